package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// page is one fresh tab on the demo page, with its uncaught exceptions and
// console errors collected: any of them fails the test.
type page struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	problems []string
	requests []request // every request the tab sent
}

// request is one HTTP request a tab sent: where, and its body.
type request struct {
	URL, Body string
}

// openPage opens the demo in a new tab and waits until the wasm module is ready.
func openPage(t *testing.T) *page {
	t.Helper()
	return openPageAt(t, env.pageURL)
}

// openPageAt opens a demo page served elsewhere (by the cognito-demo command).
func openPageAt(t *testing.T, url string) *page {
	t.Helper()
	return openPageWithin(t, url, 60*time.Second)
}

// serveBlankPage serves html at / and the built module under /dist/ until
// the test ends, and returns the server's URL: the page for tests that drive
// createAuth from their own scripts, without the demo's UI.
func serveBlankPage(t *testing.T, html string) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/dist/", http.StripPrefix("/dist/", http.FileServer(http.Dir(env.dist))))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, html)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// openPageWithin opens a page whose whole test may take up to limit.
func openPageWithin(t *testing.T, url string, limit time.Duration, opts ...chromedp.ContextOption) *page {
	t.Helper()
	tab, cancelTab := chromedp.NewContext(env.browser, opts...)
	t.Cleanup(cancelTab)
	p := &page{t: t}
	if err := chromedp.Listen(tab, p.watch); err != nil {
		t.Fatalf("listening to the tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, limit)
	t.Cleanup(cancel)
	p.ctx = ctx
	t.Cleanup(p.finish)
	p.do(chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body[data-ready]")))
	if state := p.eval(`document.body.dataset.ready`); state != "true" {
		t.Fatalf("page readiness = %q; want \"true\" (status: %s)", state, p.text("#status"))
	}
	return p
}

func (p *page) watch(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		var body strings.Builder
		for _, e := range ev.Request.PostDataEntries {
			body.Write(e.Bytes)
		}
		p.requests = append(p.requests, request{URL: ev.Request.URL, Body: body.String()})
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		p.problems = append(p.problems, "uncaught exception: "+msg)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				if a.Value != nil {
					args = append(args, string(a.Value))
				} else {
					args = append(args, a.Description)
				}
			}
			p.problems = append(p.problems, "console."+string(ev.Type)+": "+strings.Join(args, " "))
		}
	}
}

// finish fails the test on collected problems and saves a screenshot of a failed test.
func (p *page) finish() {
	p.mu.Lock()
	problems := append([]string(nil), p.problems...)
	p.mu.Unlock()
	for _, pr := range problems {
		p.t.Errorf("page reported %s", pr)
	}
	if !p.t.Failed() {
		return
	}
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 gives a PNG
	if err != nil {
		p.t.Logf("no screenshot: %v", err)
		return
	}
	dir := filepath.Join("artifacts")
	os.MkdirAll(dir, 0o755)
	name := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(p.t.Name())+".png")
	if err := os.WriteFile(name, shot, 0o644); err == nil {
		p.t.Logf("screenshot saved to e2e/%s", name)
	}
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

func (p *page) text(sel string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("Text(%q): %v", sel, err)
	}
	return v
}

func (p *page) eval(js string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("Evaluate(%.60q): %v", js, err)
	}
	return v
}

// sent returns the requests the tab has sent so far.
func (p *page) sent() []request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]request(nil), p.requests...)
}

// settleJS runs action in the page and waits until the page has ended the
// call it started (body[data-seq] moves on), then returns body[data-outcome]:
// "DONE", the signInStep shown, or "error".
const settleJS = `(async () => {
	const before = Number(document.body.dataset.seq || 0);
	%s;
	const until = Date.now() + 45000;
	while (Number(document.body.dataset.seq || 0) === before) {
		if (Date.now() > until) return "timeout (status: " + document.getElementById("status").textContent + ")";
		await new Promise((r) => setTimeout(r, 20));
	}
	return document.body.dataset.outcome;
})()`

func (p *page) settle(action string) string {
	p.t.Helper()
	return p.eval(fmt.Sprintf(settleJS, action))
}

// signIn fills the sign-in form and submits it; it returns the outcome
// ("DONE", the next signInStep, or "error").
func (p *page) signIn(username, password, flow string) string {
	p.t.Helper()
	return p.signInPreferring(username, password, flow, "")
}

// signInPreferring is signIn with USER_AUTH's preferred first factor.
func (p *page) signInPreferring(username, password, flow, preferred string) string {
	p.t.Helper()
	out := p.settle(fmt.Sprintf(`{
		const set = (id, v) => { const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event("change")); };
		set("username", %q); set("password", %q); set("authFlow", %q); set("preferredChallenge", %q);
		document.getElementById("signin").click();
	}`, username, password, flow, preferred))
	p.checkInView(out)
	return out
}

// answer fills the step form's inputs by name and submits it.
func (p *page) answer(fields map[string]string) string {
	p.t.Helper()
	raw, _ := json.Marshal(fields)
	out := p.settle(fmt.Sprintf(`{
		const form = document.getElementById("step-form");
		for (const [k, v] of Object.entries(%s)) {
			const el = form.elements.namedItem(k);
			if (!el) throw new Error("the step form has no field " + k);
			el.value = v;
		}
		document.getElementById("step-submit").click();
	}`, raw))
	p.checkInView(out)
	return out
}

// choose picks one choice of the step's radio buttons and submits it.
func (p *page) choose(value string) string {
	p.t.Helper()
	out := p.settle(fmt.Sprintf(`{
		const r = document.querySelector('#step-form input[type=radio][value=%q]');
		if (!r) throw new Error("the step offers no choice %s: " + [...document.querySelectorAll("#step-form input[type=radio]")].map((e) => e.value));
		r.checked = true;
		document.getElementById("step-submit").click();
	}`, value, value))
	p.checkInView(out)
	return out
}

// choices lists the values the step's radio buttons offer.
func (p *page) choices() []string {
	p.t.Helper()
	var out []string
	json.Unmarshal([]byte(p.eval(`JSON.stringify([...document.querySelectorAll("#step-form input[type=radio]")].map((e) => e.value))`)), &out)
	return out
}

// step is the signInStep the prompt on screen is for.
func (p *page) step() string {
	p.t.Helper()
	return p.eval(`document.getElementById("step-card").hidden ? "" : document.getElementById("step-card").dataset.step`)
}

// checkInView fails the test when the card that shows the outcome is not in
// the viewport: a new prompt must never appear below the fold.
func (p *page) checkInView(outcome string) {
	p.t.Helper()
	card := "step-card"
	switch {
	case outcome == "DONE" || (outcome == "error" && p.eval(`document.getElementById("step-card").hidden ? "yes" : "no"`) == "yes"):
		card = "result-card"
	case outcome == "SIGNED_UP" || outcome == "PASSWORD_RESET":
		card = "notice" // "confirmed: sign in", "password changed: sign in"
	}
	where := p.eval(fmt.Sprintf(`(() => {
		const el = document.getElementById(%q);
		if (el.hidden) return "hidden";
		const r = el.getBoundingClientRect();
		// The card's top is on screen (within a pixel of rounding).
		return r.top > -2 && r.top < innerHeight - 40 ? "in view" : "out of view: top " + r.top + " of " + innerHeight;
	})()`, card))
	if where != "in view" {
		p.t.Errorf("after outcome %q, #%s is %s; want it scrolled into view", outcome, card, where)
	}
}

// stepError is the plain words and the detail of the error shown in the prompt.
func (p *page) stepError() (plain, detail string) {
	p.t.Helper()
	return p.eval(`document.querySelector("#step-error span")?.textContent ?? ""`), p.eval(`document.querySelector("#step-error small")?.textContent ?? ""`)
}

// resultError is the same for an error shown in the result card.
func (p *page) resultError() string {
	p.t.Helper()
	return p.eval(`document.getElementById("error").textContent`)
}

// outboxCode refreshes the developer panel and reads the newest code sent
// to the user being signed in.
func (p *page) outboxCode() (code, medium string) {
	p.t.Helper()
	raw := p.eval(`(async () => {
		const t = document.getElementById("outbox");
		const before = Number(t.dataset.loaded || 0);
		document.getElementById("outbox-refresh").click();
		while (Number(t.dataset.loaded || 0) === before) await new Promise((r) => setTimeout(r, 20));
		const rows = t.tBodies[0].rows;
		if (!rows.length) return JSON.stringify({note: document.getElementById("outbox-note").textContent});
		const last = rows[rows.length - 1];
		return JSON.stringify({medium: last.cells[0].textContent, code: last.cells[2].textContent});
	})()`)
	var v struct{ Medium, Code, Note string }
	json.Unmarshal([]byte(raw), &v)
	if v.Code == "" {
		p.t.Fatalf("the outbox panel shows no code (%s)", v.Note)
	}
	return v.Code, v.Medium
}

// usePool picks a demo pool by ID in the page's pool settings.
func (p *page) usePool(poolID string) {
	p.t.Helper()
	for _, pl := range env.cfg.Pools {
		if pl.UserPoolID == poolID {
			p.eval(fmt.Sprintf(`(() => { document.getElementById("userPoolId").value = %q; document.getElementById("clientId").value = %q; return ""; })()`, pl.UserPoolID, pl.ClientID))
			return
		}
	}
	p.t.Fatalf("no demo pool %s", poolID)
}

// claim reads one row of a claims table on the page.
func (p *page) claim(table, name string) string {
	p.t.Helper()
	return p.eval(fmt.Sprintf(`(() => {
		for (const row of document.querySelectorAll(%q + " tr"))
			if (row.cells[0].textContent === %q) return row.cells[1].textContent;
		return "<missing>";
	})()`, table, name))
}

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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
}

// openPage opens the demo in a new tab and waits until the wasm module is ready.
func openPage(t *testing.T) *page {
	t.Helper()
	return openPageAt(t, env.pageURL)
}

// openPageAt opens a demo page served elsewhere (by the cognito-demo command).
func openPageAt(t *testing.T, url string) *page {
	t.Helper()
	tab, cancelTab := chromedp.NewContext(env.browser)
	t.Cleanup(cancelTab)
	p := &page{t: t}
	if err := chromedp.Listen(tab, p.watch); err != nil {
		t.Fatalf("listening to the tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
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

// signIn fills the form and waits for the result card to show tokens or an error.
func (p *page) signIn(username, password, flow string) (state string) {
	p.t.Helper()
	p.do(
		chromedp.SetValue(chromedp.ID("username"), username),
		chromedp.SetValue(chromedp.ID("password"), password),
		chromedp.SetValue(chromedp.ID("authFlow"), flow),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("result-card").removeAttribute("data-state")`),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitReady(chromedp.CSS("#result-card[data-state]")),
	)
	return p.eval(`document.getElementById("result-card").dataset.state`)
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

// Command loadbench measures issue 6's target 4 in headless Chromium: time to
// ready (navigation start to the module loaded and a client created, by
// performance.now() in the page) for cognito-wasm and, beside it,
// amazon-cognito-identity-js's dist/amazon-cognito-identity.min.js loaded
// and a CognitoUserPool created, on loopback and over a link throttled to
// 10 Mbit/s with DevTools network emulation, first and repeat visits, with
// the bytes transferred. Both pages are served the way the demo serves its
// own (internal/assets: precompressed, hashed names, immutable caching).
//
// Every visit pair runs in a fresh Chromium with a fresh profile, warmed up
// on a blank page of another port: the first visit has an empty cache and no
// connection, the repeat visit (same tab, after a pause) has what the first
// left. A third page splits cognito-wasm's first visit on
// loopback into download, compile, instantiate, Go start-up and createAuth;
// a fourth starts a Go module that does nothing (emptygo), the floor under
// any Go wasm's time to ready.
//
// A report, not a test. With BENCH_RESULTS set, it appends one JSON line per
// figure (bench/lib/results.mjs's format) for `make bench`'s table.
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/cognito-wasm/cognito-wasm/internal/assets"
)

// The throttled link: 10 Mbit/s each way, 20 ms added before each response.
const (
	throttleBytesPerSec = 10e6 / 8
	throttleLatencyMS   = 20
	// loopbackGoalMS is the target for a first visit on loopback.
	loopbackGoalMS = 100
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

func run() error {
	dist := flag.String("dist", "build/dist", "the built distribution, with the .br and .gz `make build` writes")
	ref := flag.String("ref", "e2e/reference/node_modules/amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js", "amazon-cognito-identity-js as shipped")
	chromium := flag.String("chromium", "/usr/bin/chromium", "Chromium to run")
	n := flag.Int("n", 5, "visit pairs per page and link")
	pause := flag.Duration("pause", 2*time.Second, "time between the first and the repeat visit")
	floor := flag.Bool("floor", true, "also time a Go module that does nothing (bench/loadbench/emptygo), the floor under any Go wasm")
	flag.Parse()
	if *n < 1 {
		return errors.New("-n must be at least 1")
	}

	srv, pages, err := newServer(*dist, *ref, *floor)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()
	base := "http://" + ln.Addr().String()
	warmLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	warmSrv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>warm-up</title>")
	})}
	go warmSrv.Serve(warmLn)
	defer warmSrv.Close()
	warm := "http://" + warmLn.Addr().String() + "/"
	loadBefore := loadavg()

	type key struct{ page, link, visit string }
	samples := map[key][]visit{}
	var diags, diagRepeats []visit
	var floors []float64 // the empty Go module's first visits
	for i := range *n {
		order := []string{"wasm", "ref"}
		if i%2 == 1 {
			slices.Reverse(order) // neither page always goes first
		}
		for _, link := range []string{"loopback", "throttled"} {
			for _, p := range order {
				first, repeat, err := visitTwice(*chromium, warm, base+pages[p], link == "throttled", *pause)
				if err != nil {
					return fmt.Errorf("%s page, %s: %w", p, link, err)
				}
				samples[key{p, link, "first"}] = append(samples[key{p, link, "first"}], first)
				samples[key{p, link, "repeat"}] = append(samples[key{p, link, "repeat"}], repeat)
			}
		}
		d, dr, err := visitTwice(*chromium, warm, base+pages["diag"], false, *pause)
		if err != nil {
			return fmt.Errorf("diagnostic page: %w", err)
		}
		diags, diagRepeats = append(diags, d), append(diagRepeats, dr)
		if *floor {
			f, _, err := visitTwice(*chromium, warm, base+pages["floor"], false, 0)
			if err != nil {
				return fmt.Errorf("empty Go module page: %w", err)
			}
			floors = append(floors, f.Ready)
		}
		fmt.Fprintf(os.Stderr, "loadbench: round %d of %d done\n", i+1, *n)
	}

	for k, vs := range samples {
		for _, v := range vs {
			if v.WasmFetches > 1 {
				fmt.Fprintf(os.Stderr, "loadbench: %v fetched the module %d times: the preload was not used\n", k, v.WasmFetches)
			}
		}
	}
	med := func(k key, f func(visit) float64) float64 {
		var xs []float64
		for _, v := range samples[k] {
			xs = append(xs, f(v))
		}
		return median(xs)
	}
	ready := func(v visit) float64 { return v.Ready }
	kb := func(v visit) float64 { return float64(v.Transfer) / 1000 }
	note := fmt.Sprintf("medians of %d, fresh Chromium per visit pair; load average %s -> %s", *n, loadBefore, loadavg())
	throttleNote := fmt.Sprintf("%s; DevTools emulation: 10 Mbit/s, %d ms latency", note, throttleLatencyMS)

	var out []result
	wasmFirst, refFirst := med(key{"wasm", "loopback", "first"}, ready), med(key{"ref", "loopback", "first"}, ready)
	out = append(out, result{Target: "4", Figure: "time to ready, first visit, loopback, Chromium", Value: wasmFirst, Unit: "ms",
		Reference: ptr(refFirst), Ratio: ptr(wasmFirst / refFirst), Goal: fmt.Sprintf("<= %d ms", loopbackGoalMS),
		Met: wasmFirst <= loopbackGoalMS, Note: fmt.Sprintf("%s; loadCognitoWasm resolved at %.0f ms, createAuth after it; reference: amazon-cognito-identity-js min.js%s",
			note, med(key{"wasm", "loopback", "first"}, func(v visit) float64 { return v.Marks["loaded"] }), firstVisitWouldTake(wasmFirst))})
	for _, row := range []struct{ link, visit, label, note string }{
		{"loopback", "repeat", "time to ready, repeat visit, loopback", note},
		{"throttled", "first", "time to ready, first visit, 10 Mbit/s", throttleNote},
		{"throttled", "repeat", "time to ready, repeat visit, 10 Mbit/s", throttleNote},
	} {
		v, r := med(key{"wasm", row.link, row.visit}, ready), med(key{"ref", row.link, row.visit}, ready)
		out = append(out, reported(row.label, v, r, "ms", row.note))
	}
	for _, visitKind := range []string{"first", "repeat"} {
		v, r := med(key{"wasm", "loopback", visitKind}, kb), med(key{"ref", "loopback", visitKind}, kb)
		out = append(out, reported("bytes transferred, "+visitKind+" visit (page and files)", v, r, "KB",
			"transferSize of the navigation and every resource"))
	}

	// Where cognito-wasm's first visit on loopback goes.
	dmed := func(f func(visit) float64) float64 {
		var xs []float64
		for _, d := range diags {
			xs = append(xs, f(d))
		}
		return median(xs)
	}
	parts := []struct {
		label string
		f     func(visit) float64
	}{
		{"module requested (preload)", func(d visit) float64 { return d.Marks["requested"] }},
		{"module first byte", func(d visit) float64 { return d.Marks["firstByte"] }},
		{"module downloaded and decoded (responseEnd)", func(d visit) float64 { return d.Marks["downloaded"] }},
		{"compiled (compileStreaming resolved)", func(d visit) float64 { return d.Marks["compiled"] }},
		{"instantiated", func(d visit) float64 { return d.Marks["instantiated"] }},
		{"Go ready (runtime and package init, main)", func(d visit) float64 { return d.Marks["goReady"] }},
		{"client created (createAuth resolved)", func(d visit) float64 { return d.Marks["ready"] }},
	}
	var split []string
	for _, p := range parts {
		split = append(split, fmt.Sprintf("%s at %.0f ms", p.label, dmed(p.f)))
	}
	fmt.Printf("cognito-wasm first visit on loopback, step by step (medians of %d, from navigation start):\n  %s\n",
		len(diags), strings.Join(split, "\n  "))
	fmt.Println(initSummary(diags))
	var again []string
	for _, p := range parts[2:] {
		var xs []float64
		for _, d := range diagRepeats {
			xs = append(xs, p.f(d))
		}
		again = append(again, fmt.Sprintf("%s at %.0f ms", p.label, median(xs)))
	}
	fmt.Printf("the same page on a repeat visit (module from the HTTP cache):\n  %s\n\n", strings.Join(again, "\n  "))
	goInit := dmed(func(d visit) float64 { return d.Marks["goReady"] - d.Marks["instantiated"] })
	compile := dmed(func(d visit) float64 { return d.Marks["compiled"] - d.Marks["downloaded"] })
	create := dmed(func(d visit) float64 { return d.Marks["ready"] - d.Marks["goReady"] })
	var steps []string
	for _, p := range parts {
		steps = append(steps, fmt.Sprintf("%.0f", dmed(p.f)))
	}
	out = append(out, reported("first visit, loopback: Go start-up (instantiate to ready)", goInit, 0, "ms",
		fmt.Sprintf("diagnostic page, ms from navigation: module requested/first byte/received %s, compiled %s, instantiated %s, Go ready %s, createAuth resolved %s (compile after download %.0f ms, createAuth %.0f ms); %s",
			strings.Join(steps[:3], "/"), steps[3], steps[4], steps[5], steps[6], compile, create, topInits(diags, 3))))

	if *floor {
		out = append(out, reported("first visit, loopback: an empty Go module (runtime floor)", median(floors), refFirst, "ms",
			"bench/loadbench/emptygo started as the shim starts cognito-wasm: what any Go wasm costs before its own code"))
	}

	fmt.Printf("\n%-58s %12s %12s %8s\n", "figure", "cognito-wasm", "reference", "ratio")
	for _, r := range out {
		ref := "-"
		ratio := "-"
		if r.Reference != nil {
			ref = fmt.Sprintf("%.1f %s", *r.Reference, r.Unit)
			if r.Ratio != nil {
				ratio = fmt.Sprintf("%.2fx", *r.Ratio)
			}
		}
		fmt.Printf("%-58s %12s %12s %8s\n", r.Figure, fmt.Sprintf("%.1f %s", r.Value, r.Unit), ref, ratio)
	}
	return writeResults(out)
}

// visit is what a page reports: ready time, named marks, bytes moved.
type visit struct {
	Ready       float64            `json:"ready"`
	Marks       map[string]float64 `json:"marks"`
	Transfer    int64              `json:"transfer"`
	Encoded     int64              `json:"encoded"`
	WasmFetches int                `json:"wasmFetches"`
	Inits       []string           `json:"inits"` // GODEBUG=inittrace=1 lines (diagnostic page)
}

// report is evaluated in the page once it is ready: the page's own times
// plus the bytes of the navigation and every resource.
const report = `(async () => {
	const r = await window.benchReady;
	const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
	let transfer = 0, encoded = 0, wasmFetches = 0;
	for (const e of entries) {
		transfer += e.transferSize || 0;
		encoded += e.encodedBodySize || 0;
		if (e.name.endsWith(".wasm")) wasmFetches++;
	}
	return JSON.stringify({ready: r.ready, marks: r.marks || {}, transfer, encoded, wasmFetches, inits: window.benchInits || []});
})()`

// visitTwice starts a fresh Chromium, optionally throttles its tab, and
// opens url twice: a first visit and, after pause, a repeat visit.
func visitTwice(chromium, warmURL, url string, throttled bool, pause time.Duration) (first, repeat visit, err error) {
	profile, err := os.MkdirTemp("", "loadbench-chromium-")
	if err != nil {
		return first, repeat, err
	}
	defer os.RemoveAll(profile)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(profile))
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil { // starts Chromium; no timeout on this context
		return first, repeat, fmt.Errorf("starting Chromium: %w", err)
	}
	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	if throttled {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return first, repeat, err
		}
		if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{
				Latency: throttleLatencyMS, DownloadThroughput: throttleBytesPerSec, UploadThroughput: throttleBytesPerSec,
			}},
		}); err != nil {
			return first, repeat, fmt.Errorf("throttling: %w", err)
		}
	}
	// A user's browser is already running: start the renderer on a blank page
	// of the same site (another port, so no connection is reused) first.
	if err := chromedp.Do(ctx, chromedp.Navigate(warmURL)); err != nil {
		return first, repeat, fmt.Errorf("warm-up page: %w", err)
	}
	open := func() (visit, error) {
		var v visit
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			return v, err
		}
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](report, chromedp.EvalAwaitPromise))
		if err != nil {
			return v, fmt.Errorf("waiting for the page to be ready: %w", err)
		}
		return v, json.Unmarshal([]byte(raw), &v)
	}
	if first, err = open(); err != nil {
		return first, repeat, err
	}
	if pause > 0 {
		time.Sleep(pause) // let the caches settle, as between a user's visits
		repeat, err = open()
	}
	return first, repeat, err
}

// newServer serves the three pages and their files as the demo serves its
// own, and returns the pages' paths.
func newServer(dist, refPath string, floor bool) (*assets.Set, map[string]string, error) {
	set := assets.New()
	urls := map[string]string{}
	for _, name := range []string{"cognito-wasm.js", "wasm_exec.js", "cognito-wasm.wasm"} {
		h, err := set.AddFile("/dist/"+name, filepath.Join(dist, name))
		if err != nil {
			return nil, nil, fmt.Errorf("%w (run `make build` first)", err)
		}
		urls[name] = h
	}
	if _, err := os.Stat(filepath.Join(dist, "cognito-wasm.wasm.br")); err != nil {
		return nil, nil, fmt.Errorf("%s has no cognito-wasm.wasm.br: run `make build`, which writes it", dist)
	}
	refJS, err := os.ReadFile(refPath)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (npm ci in e2e/reference installs it)", err)
	}
	refEnc, err := assets.Compressed(refJS)
	if err != nil {
		return nil, nil, err
	}
	urls["ref"], err = set.Add("/ref/amazon-cognito-identity.min.js", refJS, refEnc)
	if err != nil {
		return nil, nil, err
	}
	pages := map[string]string{"wasm": "/wasm.html", "ref": "/ref.html", "diag": "/diag.html"}
	sources := map[string]string{"wasm": wasmPage, "ref": refPage, "diag": diagPage}
	if floor {
		empty, err := buildEmptyGo()
		if err != nil {
			return nil, nil, err
		}
		enc, err := assets.Compressed(empty)
		if err != nil {
			return nil, nil, err
		}
		if urls["empty"], err = set.Add("/floor/emptygo.wasm", empty, enc); err != nil {
			return nil, nil, err
		}
		pages["floor"], sources["floor"] = "/floor.html", floorPage
	}
	for name, src := range sources {
		html := strings.NewReplacer("{shim}", urls["cognito-wasm.js"], "{exec}", urls["wasm_exec.js"],
			"{wasm}", urls["cognito-wasm.wasm"], "{ref}", urls["ref"], "{empty}", urls["empty"], "{config}", clientConfig).Replace(src)
		enc, err := assets.Compressed([]byte(html))
		if err != nil {
			return nil, nil, err
		}
		if err := set.AddPage(pages[name], []byte(html), enc); err != nil {
			return nil, nil, err
		}
	}
	return set, pages, nil
}

// clientConfig is a pool the client never calls: creating it is the work.
const clientConfig = `{"userPoolId": "us-east-1_bench0001", "clientId": "benchclient0000000000000001", "endpoint": "http://127.0.0.1:9/"}`

// wasmPage loads cognito-wasm as the README says to: the module preloaded
// (so it downloads and compiles while the scripts load) and its URL passed
// to loadCognitoWasm; an import map sends the shim's import of
// ./wasm_exec.js to its hashed URL.
const wasmPage = `<!doctype html>
<meta charset="utf-8"><title>load bench: cognito-wasm</title>
<script type="importmap">{"imports": {"/dist/wasm_exec.js": "{exec}"}}</script>
<link rel="preload" href="{wasm}" as="fetch" crossorigin>
<link rel="modulepreload" href="{shim}">
<link rel="modulepreload" href="{exec}">
<script type="module">
import { loadCognitoWasm, createAuth } from "{shim}";
window.benchReady = (async () => {
  await loadCognitoWasm({ wasmUrl: "{wasm}" });
  const loaded = performance.now();
  await createAuth({config});
  return { ready: performance.now(), marks: { loaded } };
})();
</script>`

// refPage loads amazon-cognito-identity-js as shipped (one classic script)
// and creates its user pool client.
const refPage = `<!doctype html>
<meta charset="utf-8"><title>load bench: amazon-cognito-identity-js</title>
<script src="{ref}"></script>
<script>
const c = {config};
new AmazonCognitoIdentity.CognitoUserPool({ UserPoolId: c.userPoolId, ClientId: c.clientId, endpoint: c.endpoint });
window.benchReady = Promise.resolve({ ready: performance.now() });
</script>`

// diagPage does the shim's loading steps one by one (same files, same
// order, the ready hook the shim documents) to time each.
const diagPage = `<!doctype html>
<meta charset="utf-8"><title>load bench: cognito-wasm step by step</title>
<link rel="preload" href="{wasm}" as="fetch" crossorigin>
<script src="{exec}"></script>
<script type="module">
// wasm_exec.js ran above, so the shim does not import it again.
import { createAuth } from "{shim}";
window.benchReady = (async () => {
  const marks = {};
  const go = new Go();
  // Go's own account of package initialisation, printed by the runtime.
  go.env = { GODEBUG: "inittrace=1" };
  const inits = [];
  const log = console.log;
  console.log = (line, ...rest) => {
    if (typeof line === "string" && line.startsWith("init ")) inits.push(line);
    else log(line, ...rest);
  };
  const mod = await WebAssembly.compileStreaming(fetch("{wasm}", { credentials: "same-origin" }));
  marks.compiled = performance.now();
  const e = performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"));
  marks.requested = e ? e.startTime : NaN;
  marks.firstByte = e ? e.responseStart : NaN;
  marks.downloaded = e ? e.responseEnd : NaN;
  const instance = await WebAssembly.instantiate(mod, go.importObject);
  marks.instantiated = performance.now();
  const ready = new Promise((resolve) => { globalThis.__cognitoWasmReady = resolve; });
  go.run(instance);
  await ready;
  marks.goReady = performance.now();
  console.log = log;
  window.benchInits = inits;
  await createAuth({config});
  marks.ready = performance.now();
  return { ready: marks.ready, marks };
})();
</script>`

// floorPage starts the empty Go module the way the shim starts
// cognito-wasm's (preloaded, streamed, the same ready hook).
const floorPage = `<!doctype html>
<meta charset="utf-8"><title>load bench: an empty Go module</title>
<link rel="preload" href="{empty}" as="fetch" crossorigin>
<script src="{exec}"></script>
<script type="module">
window.benchReady = (async () => {
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch("{empty}", { credentials: "same-origin" }), go.importObject);
  const ready = new Promise((resolve) => { globalThis.__cognitoWasmReady = resolve; });
  go.run(instance);
  await ready;
  return { ready: performance.now() };
})();
</script>`

// buildEmptyGo builds bench/loadbench/emptygo as make build builds the module.
func buildEmptyGo() ([]byte, error) {
	dir, err := os.MkdirTemp("", "loadbench-emptygo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "emptygo.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./bench/loadbench/emptygo")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building the empty Go module (run from the repository root, or pass -floor=false): %w\n%s", err, msg)
	}
	return os.ReadFile(out)
}

// result is one line of bench/lib/results.mjs's format.
type result struct {
	Target    string   `json:"target"`
	Figure    string   `json:"figure"`
	Value     float64  `json:"value"`
	Unit      string   `json:"unit"`
	Reference *float64 `json:"reference"`
	Ratio     *float64 `json:"ratio"`
	Goal      string   `json:"goal"`
	Met       bool     `json:"met"`
	Note      string   `json:"note,omitempty"`
}

// reported is a figure the issue asks to report beside the reference, with
// no target of its own: met means both were measured. ref 0 means none.
func reported(figure string, v, ref float64, unit, note string) result {
	r := result{Target: "4", Figure: figure, Value: v, Unit: unit, Goal: "report beside the reference", Note: note,
		Met: !isNaN(v) && v > 0}
	if ref > 0 {
		r.Reference = ptr(ref)
		r.Ratio = ptr(v / ref)
		r.Goal = "report beside amazon-cognito-identity-js"
		r.Met = r.Met && !isNaN(ref)
	} else {
		r.Goal = "report (where the time goes)"
	}
	return r
}

func writeResults(rs []result) error {
	path := os.Getenv("BENCH_RESULTS")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, r := range rs {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// topInits names the n packages whose initialisation took longest.
func topInits(diags []visit, n int) string {
	list, total := inits(diags)
	var parts []string
	for _, p := range list[:min(n, len(list))] {
		parts = append(parts, fmt.Sprintf("%s %.0f ms", path.Base(p.pkg), p.ms))
	}
	return fmt.Sprintf("package init %.0f ms, longest: %s", total, strings.Join(parts, ", "))
}

type pkgInit struct {
	pkg string
	ms  float64
}

// inits returns the median inittrace clock time per package, longest first,
// and the median total.
func inits(diags []visit) ([]pkgInit, float64) {
	per := map[string][]float64{}
	var totals []float64
	for _, d := range diags {
		total := 0.0
		for _, line := range d.Inits {
			// init net/http @320 ms, 67 ms clock, 8064 bytes, 62 allocs
			var pkg string
			var at, clock float64
			if _, err := fmt.Sscanf(line, "init %s @%f ms, %f ms clock", &pkg, &at, &clock); err != nil {
				continue
			}
			per[pkg] = append(per[pkg], clock)
			total += clock
		}
		totals = append(totals, total)
	}
	var list []pkgInit
	for pkg, xs := range per {
		list = append(list, pkgInit{pkg, median(xs)})
	}
	slices.SortFunc(list, func(a, b pkgInit) int { return cmp.Compare(b.ms, a.ms) })
	return list, median(totals)
}

// initSummary sums Go's inittrace clock times per package over the
// diagnostic visits and lists the packages that took longest (medians).
func initSummary(diags []visit) string {
	list, total := inits(diags)
	var b strings.Builder
	fmt.Fprintf(&b, "Go package initialisation in the page (GODEBUG=inittrace=1), median total %.0f ms over %d packages; longest:\n", total, len(list))
	for _, p := range list[:min(8, len(list))] {
		fmt.Fprintf(&b, "  %6.1f ms  %s\n", p.ms, p.pkg)
	}
	return b.String()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.SortFunc(s, cmp.Compare)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// loadavg is the machine's 1-minute load average, to read the times by.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}

func isNaN(f float64) bool { return f != f }

func ptr(f float64) *float64 { return &f }

// firstVisitWouldTake says, in a missed first-visit figure's note, where the
// time goes and what the goal would need (measured by the diagnostic rows).
func firstVisitWouldTake(ms float64) string {
	if ms <= loopbackGoalMS {
		return ""
	}
	return "; not met: an empty Go module (row below) is the floor for any Go wasm; above it, V8 decodes and lazily compiles 8.7 MB of code and Go starts up; 100 ms would take a far smaller module (without the SDK and net/http: 0.83 MB brotli when issue 6 was filed) and less start-up work (docs/PERFORMANCE.md)"
}

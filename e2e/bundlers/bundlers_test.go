package bundlers

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/cognito-wasm/cognito-wasm/emulator"
)

const (
	pool     = "us-east-1_cwBundle01"
	client   = "cwbundlerappclient000001"
	username = "bundled"
	password = "Bundl3d-Passw0rd!"
)

// A build of app/ and what its page must load to sign in.
type build struct {
	name string
	dir  string // under build.mjs's output
	page string
	// wasmURL, when set, is passed to loadCognitoWasm({wasmUrl}).
	wasmURL string
	// wasm is the path the .wasm must be fetched from; nil when no .wasm may
	// be fetched at all.
	wasm *regexp.Regexp
	// execChunk, when set, is the path of the chunk wasm_exec.js became;
	// otherwise no request may name wasm_exec.
	execChunk *regexp.Regexp
	// wantErr, when set, is what the sign-in must fail with instead.
	wantErr []string
	// fromFile opens the page from disk (a file: URL) instead of over HTTP.
	fromFile bool
}

var builds = []build{
	{name: "vite build", dir: "vite", page: "/",
		wasm: regexp.MustCompile(`^/assets/cognito-wasm-[\w-]+\.wasm$`), execChunk: regexp.MustCompile(`^/assets/wasm_exec-[\w-]+\.js$`)},
	{name: "webpack production build", dir: "webpack", page: "/",
		wasm: regexp.MustCompile(`^/[0-9a-f]+\.wasm$`)}, // wasm_exec.js is a chunk named by number
	{name: "esbuild ESM bundle", dir: "esbuild-esm", page: "/",
		wasm: regexp.MustCompile(`^/cognito-wasm\.wasm$`)},
	{name: "esbuild IIFE bundle, .wasm next to its script", dir: "esbuild-iife", page: "/",
		wasm: regexp.MustCompile(`^/cognito-wasm\.wasm$`)},
	{name: "esbuild IIFE bundle, .wasm renamed, given as wasmUrl", dir: "esbuild-iife-wasmurl", page: "/", wasmURL: "/assets/cognito-wasm.0123abcd.wasm",
		wasm: regexp.MustCompile(`^/assets/cognito-wasm\.0123abcd\.wasm$`)},
	{name: "esbuild IIFE bundle inline, nothing tells where the .wasm is", dir: "esbuild-iife-wasmurl", page: "/no-base.html",
		wantErr: []string{"InvalidParameterException", "cannot tell where cognito-wasm.wasm is", "import.meta.url", "wasmUrl"}},
	// A classic script runs from a file: page (a module would not), so the
	// shim gets to say at once why the page cannot work.
	{name: "esbuild IIFE bundle opened from a file: URL", dir: "esbuild-iife", page: "/index.html", fromFile: true,
		wantErr: []string{"opened from a file: URL", "browsers refuse to fetch file: URLs", "Serve the page over HTTP"}},
}

// TestBundledAppsSignIn builds app/ with each bundler and signs in from
// every build in Chromium. Each build is served alone (its own origin,
// nothing from node_modules or build/dist), so the page works only if the
// bundler emitted or bundled what the shim loads. Then the same from Vite's
// dev server.
func TestBundledAppsSignIn(t *testing.T) {
	for _, need := range []string{"node_modules/.bin/vite", "node_modules/.bin/esbuild", "node_modules/cognito-wasm/package.json", "node_modules/cognito-wasm/cognito-wasm.wasm"} {
		if _, err := os.Stat(need); err != nil {
			t.Fatalf("e2e/bundlers/%s is missing: run `make bundler-test`, which builds build/dist and installs the pinned bundlers here (%v)", need, err)
		}
	}
	out := t.TempDir()
	start := time.Now()
	cmd := exec.Command("node", "build.mjs", out)
	cmd.Env = append(os.Environ(), "NODE_NO_WARNINGS=1")
	msgs, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node build.mjs: %v\n%s", err, msgs)
	}
	t.Logf("built in %v: %s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(string(msgs)))

	endpoint := startEmulator(t)
	browser := startChromium(t)
	for _, b := range builds {
		name := b.dir + b.page
		if b.fromFile {
			name = "file:" + name
		}
		t.Run(name, func(t *testing.T) {
			pageURL := "file://" + filepath.ToSlash(filepath.Join(out, b.dir)) + b.page
			if !b.fromFile {
				pageURL = serve(t, filepath.Join(out, b.dir), endpoint).URL + b.page
			}
			res, paths := signIn(t, browser, pageURL, endpoint, b.wasmURL)
			check(t, b, res, paths)
		})
	}

	// Vite's dev server pre-bundles the package into its cache and must
	// rewrite the .wasm's URL there; served as Vite serves it (no policy).
	t.Run("vite-dev-server", func(t *testing.T) {
		b := build{name: "vite dev server",
			wasm:      regexp.MustCompile(`^/@fs/.*/node_modules/cognito-wasm/cognito-wasm\.wasm$`),
			execChunk: regexp.MustCompile(`^/@fs/.*/node_modules/\.vite-dev/deps/wasm_exec-[\w-]+\.js$`)}
		res, paths := signIn(t, browser, startViteDev(t), endpoint, "")
		check(t, b, res, paths)
	})
}

// startViteDev runs dev.mjs (Vite's dev server on app/) until the test ends
// and returns the page's URL.
func startViteDev(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("node", "dev.mjs")
	cmd.Env = append(os.Environ(), "NODE_NO_WARNINGS=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("node dev.mjs: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "vite dev server: "); ok {
				found <- u
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatalf("node dev.mjs ended without serving: %s", stderr.String())
		}
		return u
	case <-time.After(60 * time.Second):
		t.Fatalf("node dev.mjs printed no URL within 60 s: %s", stderr.String())
	}
	return ""
}

type result struct {
	IsSignedIn  bool     `json:"isSignedIn"`
	Step        string   `json:"step"`
	AccessToken string   `json:"accessToken"`
	Error       string   `json:"error"`
	Violations  []string `json:"violations"`
}

func check(t *testing.T, b build, res result, paths []string) {
	t.Helper()
	if len(res.Violations) > 0 {
		t.Errorf("%s: Content-Security-Policy violations: %v", b.name, res.Violations)
	}
	var wasmPaths, execPaths []string
	for _, p := range paths {
		if strings.HasSuffix(p, ".wasm") {
			wasmPaths = append(wasmPaths, p)
		}
		if strings.Contains(p, "wasm_exec") {
			execPaths = append(execPaths, p)
		}
	}
	if b.wantErr != nil {
		for _, want := range b.wantErr {
			if !strings.Contains(res.Error, want) {
				t.Errorf("%s: sign-in ended with %q; want an error containing %q", b.name, res.Error, want)
			}
		}
		if len(wasmPaths) > 0 {
			t.Errorf("%s: fetched %v; want no .wasm fetched", b.name, wasmPaths)
		}
		return
	}
	if res.Error != "" || !res.IsSignedIn || res.Step != "DONE" {
		t.Fatalf("%s: sign-in gave %+v; want signed in, DONE (requests: %v)", b.name, res, paths)
	}
	claims := tokenClaims(t, res.AccessToken)
	if claims["username"] != username || claims["client_id"] != client {
		t.Errorf("%s: access token for %v of client %v; want %s of %s", b.name, claims["username"], claims["client_id"], username, client)
	}
	if len(wasmPaths) != 1 || !b.wasm.MatchString(wasmPaths[0]) {
		t.Errorf("%s: fetched the .wasm as %v; want once, matching %s", b.name, wasmPaths, b.wasm)
	}
	switch {
	case b.execChunk == nil && len(execPaths) > 0:
		t.Errorf("%s: fetched %v; want wasm_exec.js inside the bundle", b.name, execPaths)
	case b.execChunk != nil && (len(execPaths) != 1 || !b.execChunk.MatchString(execPaths[0])):
		t.Errorf("%s: fetched wasm_exec as %v; want one chunk matching %s", b.name, execPaths, b.execChunk)
	}
}

// startEmulator serves a pool with one SRP user, as `make demo` does with its seed.
func startEmulator(t *testing.T) string {
	t.Helper()
	em, err := emulator.New(emulator.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() })
	seed := emulator.Seed{UserPools: []emulator.SeedPool{{
		ID: pool, Name: "bundlers",
		Clients: []emulator.SeedClient{{ID: client, Name: "web", ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}},
		Users:   []emulator.SeedUser{{Username: username, Password: password}},
	}}}
	if err := em.Seed(seed); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	return srv.URL
}

func startChromium(t *testing.T) context.Context {
	t.Helper()
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(chromium); err != nil {
		t.Fatalf("no Chromium at %s (run `make chromium`, or set CHROMIUM): %v", chromium, err)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
	)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	// The first Run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return browser
}

// serve serves one build's folder and nothing else, under a policy that
// allows no eval, no inline script (but for the page that is one) and no
// other origin than the emulator's; it records the paths asked for and
// fails the test on any the build does not have.
func serve(t *testing.T, dir, endpoint string) *httptest.Server {
	t.Helper()
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// No 'unsafe-eval': neither the shim nor the module evaluates
		// strings as code ('wasm-unsafe-eval' only compiles WebAssembly).
		policy := "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' " + endpoint
		if r.URL.Path == "/no-base.html" {
			policy = "default-src 'none'; script-src 'unsafe-inline'; connect-src 'self' " + endpoint
		}
		w.Header().Set("Content-Security-Policy", policy)
		if r.URL.Path != "/favicon.ico" {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(r.URL.Path))); err != nil {
				t.Errorf("the page asked for %s, which the build in %s does not have", r.URL.Path, filepath.Base(dir))
			}
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// signIn opens the page in a new tab, signs in through the app's
// signInFromBundle and returns its result and the paths the tab fetched
// from the page's origin.
func signIn(t *testing.T, browser context.Context, pageURL, endpoint, wasmURL string) (result, []string) {
	t.Helper()
	tab, cancelTab := chromedp.NewContext(browser)
	defer cancelTab()
	// What the page prints goes to the test log, for failures.
	if err := chromedp.Listen(tab, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var args []string
			for _, a := range ev.Args {
				if a.Value != nil {
					args = append(args, string(a.Value))
				} else {
					args = append(args, a.Description)
				}
			}
			t.Logf("console.%s: %s", ev.Type, strings.Join(args, " "))
		case *runtime.EventExceptionThrown:
			msg := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
			t.Logf("uncaught: %s", msg)
		}
	}); err != nil {
		t.Fatalf("listening to the tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, 90*time.Second)
	defer cancel()
	args := map[string]string{"endpoint": endpoint, "userPoolId": pool, "clientId": client, "username": username, "password": password}
	if wasmURL != "" {
		args["wasmUrl"] = wasmURL
	}
	argsJSON, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
		t.Fatalf("opening %s: %v", pageURL, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`typeof globalThis.signInFromBundle === "function"`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("%s never defined signInFromBundle (its script did not run): %v", pageURL, err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[result](fmt.Sprintf(`signInFromBundle(%s)`, argsJSON), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("signing in from %s: %v", pageURL, err)
	}
	fetched, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`performance.getEntriesByType("resource").map((e) => new URL(e.name)).filter((u) => u.origin === location.origin).map((u) => u.pathname)`))
	if err != nil {
		t.Fatalf("listing what %s fetched: %v", pageURL, err)
	}
	return res, fetched
}

func tokenClaims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("access token %q is not a JWT", jwt)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("access token payload: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatalf("access token payload: %v", err)
	}
	return claims
}

package e2e

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cognito-wasm/cognito-wasm/demo"
	"github.com/cognito-wasm/cognito-wasm/internal/precompress"
)

// resourceEntry is what the page's Resource Timing says of one file.
type resourceEntry struct {
	Name            string `json:"name"`
	TransferSize    int64  `json:"transferSize"`
	EncodedBodySize int64  `json:"encodedBodySize"`
	DecodedBodySize int64  `json:"decodedBodySize"`
	ContentEncoding string `json:"contentEncoding"`
}

const entriesJS = `JSON.stringify({
	nav: performance.getEntriesByType("navigation")[0].transferSize,
	resources: performance.getEntriesByType("resource").map((e) => ({name: e.name, transferSize: e.transferSize,
		encodedBodySize: e.encodedBodySize, decodedBodySize: e.decodedBodySize, contentEncoding: e.contentEncoding || ""})),
})`

var hashedURL = regexp.MustCompile(`\.[0-9a-f]{16}\.(js|mjs|wasm|css)$`)

// TestPrecompressedAndCached serves the demo from a dist with precompressed
// files, as make build leaves it: Chromium compiles the module from a
// gzip-encoded body (only .gz here: Brotli's best takes a minute on the
// module, gzip a second) and runs the scripts from Brotli-encoded ones, with
// one download of the module (the page's preload is the one used); on a
// second visit every hashed file comes from the cache, and only the HTML
// goes to the server.
func TestPrecompressedAndCached(t *testing.T) {
	dist := t.TempDir()
	encodings := map[string][]string{"cognito-wasm.wasm": {"gzip"}, "cognito-wasm.js": {"br", "gzip"}, "wasm_exec.js": {"br", "gzip"}}
	suffix := map[string]string{}
	for _, e := range precompress.Encodings {
		suffix[e.Name] = e.Suffix
	}
	for name, encs := range encodings {
		data, err := os.ReadFile(filepath.Join(env.dist, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dist, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, enc := range encs {
			b, err := precompress.Encode(enc, data)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dist, name+suffix[enc]), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	h, err := demo.Handler(env.cfg, dist, env.modules)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	p := openPageAt(t, srv.URL+"/")
	var first struct {
		Nav       int64           `json:"nav"`
		Resources []resourceEntry `json:"resources"`
	}
	if err := json.Unmarshal([]byte(p.eval(entriesJS)), &first); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // each file's hashed URL -> the encoding it must come in
		`/dist/cognito-wasm\.[0-9a-f]{16}\.wasm$`: "gzip",
		`/dist/cognito-wasm\.[0-9a-f]{16}\.js$`:   "br",
		`/dist/wasm_exec\.[0-9a-f]{16}\.js$`:      "br",
	}
	seen := map[string]int{}
	for _, e := range first.Resources {
		if regexp.MustCompile(`/dist/`).MatchString(e.Name) && !hashedURL.MatchString(e.Name) {
			t.Errorf("the page loaded %s; want its content-hashed URL", e.Name)
		}
		for pattern, enc := range want {
			if !regexp.MustCompile(pattern).MatchString(e.Name) {
				continue
			}
			seen[pattern]++
			if e.ContentEncoding != enc || e.EncodedBodySize >= e.DecodedBodySize {
				t.Errorf("%s: Content-Encoding %q, %d bytes for %d decoded; want %s, fewer bytes than decoded", e.Name, e.ContentEncoding, e.EncodedBodySize, e.DecodedBodySize, enc)
			}
		}
	}
	for pattern := range want {
		if seen[pattern] != 1 {
			t.Errorf("the page fetched %s %d times; want once (%+v)", pattern, seen[pattern], first.Resources)
		}
	}

	// A second visit: the hashed files from the cache, the page revalidated.
	p.do(chromedp.Navigate(srv.URL+"/"), chromedp.WaitReady(chromedp.CSS(`body[data-ready="true"]`)))
	var second struct {
		Nav       int64           `json:"nav"`
		Resources []resourceEntry `json:"resources"`
	}
	if err := json.Unmarshal([]byte(p.eval(entriesJS)), &second); err != nil {
		t.Fatal(err)
	}
	hashed := 0
	for _, e := range second.Resources {
		if !hashedURL.MatchString(e.Name) {
			continue
		}
		hashed++
		if e.TransferSize != 0 {
			t.Errorf("second visit: %s moved %d bytes; want 0 (immutable, from the cache)", e.Name, e.TransferSize)
		}
	}
	if hashed < 5 {
		t.Errorf("second visit loaded %d hashed files; want the page's (app, style, QR encoder, shim, wasm_exec, module): %+v", hashed, second.Resources)
	}
	if second.Nav == 0 {
		t.Error("second visit: the HTML came from the cache without asking; want it revalidated (no-cache)")
	}
}

package demo

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/internal/precompress"
)

func TestConfigFromSeed(t *testing.T) {
	seed, err := os.ReadFile("seed.json")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ConfigFromSeed(seed, "http://127.0.0.1:9229")
	if err != nil {
		t.Fatalf("ConfigFromSeed(seed.json) = %v", err)
	}
	if cfg.UserPoolID != "us-east-1_cwDemo001" || cfg.ClientID != "cognitowasmdemoclient00001" || cfg.Endpoint != "http://127.0.0.1:9229" {
		t.Errorf("ConfigFromSeed(seed.json) = %+v; want the demo pool, client and endpoint", cfg)
	}
	users := cfg.Users()
	if len(users) == 0 || users[0].Username != "alice" || users[0].Password == "" {
		t.Errorf("ConfigFromSeed(seed.json).Users() = %+v; want alice first, with her password", users)
	}
	if len(cfg.Pools) < 2 {
		t.Errorf("ConfigFromSeed(seed.json).Pools = %+v; want every demo pool", cfg.Pools)
	}
	// The main pool offers its default client and one with 5-minute tokens
	// (the page shows a refresh before they expire).
	if c := cfg.Pools[0].Clients; len(c) != 2 || c[0].ID != cfg.ClientID || c[0].AccessTokenMinutes != 60 || c[1].AccessTokenMinutes != 5 {
		t.Errorf("ConfigFromSeed(seed.json).Pools[0].Clients = %+v; want the default client (60 minutes) and a 5-minute one", c)
	}
	seen := map[string]bool{}
	for _, p := range cfg.Pools {
		if p.UserPoolID == "" || p.ClientID == "" {
			t.Errorf("pool %+v: want its ID and a client", p)
		}
		for _, u := range p.Users {
			if seen[u.Username] {
				t.Errorf("demo user %q appears twice: the page and the README tell users apart by name", u.Username)
			}
			seen[u.Username] = true
			if u.Note == "" {
				t.Errorf("demo user %q has no note saying what path it shows", u.Username)
			}
		}
	}

	tests := []struct{ name, seed string }{
		{"only secret clients", `{"userPools":[{"id":"us-east-1_x","clients":[{"id":"c","secret":"s"}]}]}`},
		{"no pools", `{"userPools":[]}`},
		{"not json", `{`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if cfg, err := ConfigFromSeed([]byte(tt.seed), ""); err == nil {
				t.Errorf("ConfigFromSeed(%s) = %+v, nil; want an error", tt.seed, cfg)
			}
		})
	}
}

// fakeDist writes the files the page loads, with .br and .gz as `make
// build` writes them, and returns the folder and the module's bytes.
func fakeDist(t *testing.T) (string, []byte) {
	t.Helper()
	dist := t.TempDir()
	module := append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("a module body "), 300)...)
	files := map[string][]byte{
		"cognito-wasm.wasm": module,
		"cognito-wasm.js":   []byte("export async function loadCognitoWasm() {}\n"),
		"wasm_exec.js":      []byte("globalThis.Go = class {};\n"),
	}
	for name, data := range files {
		p := filepath.Join(dist, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := precompress.File(p); err != nil {
			t.Fatal(err)
		}
	}
	return dist, module
}

// fetch GETs url with exactly the Accept-Encoding given (none when empty):
// the client neither adds gzip nor decodes anything.
func fetch(t *testing.T, url, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func TestHandlerServesPageDistAndConfig(t *testing.T) {
	dist, module := fakeDist(t)
	h, err := Handler(Config{UserPoolID: "us-east-1_p", ClientID: "c", Endpoint: "http://e"}, dist, fakeModules(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	res, page := fetch(t, srv.URL+"/", "")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(string(page), "<title>cognito-wasm demo</title>") || res.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("GET / = %d %q %q %.60q; want the page, text/html, no-cache", res.StatusCode,
			res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"), page)
	}
	if strings.Contains(string(page), "{{") {
		t.Errorf("GET / still holds template actions: %s", page)
	}
	// Every file the page names is a hashed URL that resolves, immutable, with its type.
	named := regexp.MustCompile(`"(/[a-z/_-]*[a-z_-]+\.[0-9a-f]{16}\.(?:js|mjs|wasm|css))"`).FindAllStringSubmatch(string(page), -1)
	seen := map[string]string{}
	for _, m := range named {
		seen[m[1]] = ""
	}
	wantTypes := map[string]string{".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".css": "text/css"}
	for _, plain := range []string{"/app.js", "/style.css", "/vendor/qrcode.mjs", "/dist/cognito-wasm.js", "/dist/wasm_exec.js", "/dist/cognito-wasm.wasm"} {
		found := ""
		for u := range seen {
			if strings.HasPrefix(u, strings.TrimSuffix(plain, filepath.Ext(plain))+".") && strings.HasSuffix(u, filepath.Ext(plain)) {
				found = u
			}
		}
		if found == "" {
			t.Errorf("the page names no hashed URL for %s; named: %v", plain, named)
			continue
		}
		res, _ := fetch(t, srv.URL+found, "br, gzip")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), wantTypes[filepath.Ext(plain)]) ||
			res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || res.Header.Get("Content-Encoding") != "br" {
			t.Errorf("GET %s = %d, Content-Type %q, Cache-Control %q, Content-Encoding %q; want 200, %s, immutable, br", found,
				res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"), res.Header.Get("Content-Encoding"), wantTypes[filepath.Ext(plain)])
		}
		seen[found] = plain
	}

	wasmURL := ""
	for u, plain := range seen {
		if plain == "/dist/cognito-wasm.wasm" {
			wasmURL = u
		}
	}
	if wasmURL == "" {
		t.Fatal("no hashed module URL on the page")
	}
	tests := []struct{ name, accept, wantEnc string }{
		{"brotli", "gzip, deflate, br", "br"},
		{"gzip", "gzip", "gzip"},
		{"no Accept-Encoding", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := fetch(t, srv.URL+wasmURL, tt.accept)
			if res.Header.Get("Content-Encoding") != tt.wantEnc || res.Header.Get("Content-Type") != "application/wasm" || res.Header.Get("Vary") != "Accept-Encoding" {
				t.Errorf("GET %s (Accept-Encoding %q): Content-Encoding %q, Content-Type %q, Vary %q; want %q, application/wasm, Accept-Encoding",
					wasmURL, tt.accept, res.Header.Get("Content-Encoding"), res.Header.Get("Content-Type"), res.Header.Get("Vary"), tt.wantEnc)
			}
			if tt.wantEnc != "" {
				if body, err = precompress.Decode(tt.wantEnc, body, 0); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(body, module) {
				t.Errorf("GET %s (Accept-Encoding %q) = %d bytes decoded; want the module's %d", wasmURL, tt.accept, len(body), len(module))
			}
		})
	}

	res, body := fetch(t, srv.URL+"/demo-config.json", "")
	var cfg Config
	if err := json.Unmarshal(body, &cfg); err != nil || cfg.ClientID != "c" || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("demo-config.json = %+v, %v, Cache-Control %q; want clientId c, no-store", cfg, err, res.Header.Get("Cache-Control"))
	}
	if res, _ := fetch(t, srv.URL+"/dist/missing.wasm", ""); res.StatusCode != 404 {
		t.Errorf("GET /dist/missing.wasm = %d; want 404", res.StatusCode)
	}
}

func TestHandlerRefusesStaleDist(t *testing.T) {
	dist, _ := fakeDist(t)
	// The module rebuilt without `make build` writing its .br and .gz again.
	if err := os.WriteFile(filepath.Join(dist, "cognito-wasm.wasm"), []byte("\x00asm\x01\x00\x00\x00 newer"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Handler(Config{}, dist, fakeModules(t)); err == nil || !strings.Contains(err.Error(), "cognito-wasm.wasm") {
		t.Errorf("Handler(stale .br) = %v; want an error naming cognito-wasm.wasm", err)
	}
	dist, _ = fakeDist(t)
	if err := os.Remove(filepath.Join(dist, "wasm_exec.js")); err != nil {
		t.Fatal(err)
	}
	if _, err := Handler(Config{}, dist, fakeModules(t)); err == nil || !strings.Contains(err.Error(), "wasm_exec.js") {
		t.Errorf("Handler(no wasm_exec.js) = %v; want an error naming it", err)
	}
}

// fakeModules stands in for demo/node_modules with a QR module of one line.
func fakeModules(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	qr := filepath.Join(dir, filepath.FromSlash(QRModule))
	if err := os.MkdirAll(filepath.Dir(qr), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(qr, []byte("const qrcode = () => {};\nexport default qrcode;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestHandlerNeedsDistAndQR(t *testing.T) {
	if _, err := Handler(Config{}, filepath.Join(t.TempDir(), "missing"), fakeModules(t)); err == nil {
		t.Error("Handler(missing dist) = nil error; want an error")
	}
	dist, _ := fakeDist(t)
	_, err := Handler(Config{}, dist, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "npm ci") {
		t.Errorf("Handler(no node_modules) = %v; want an error saying to run npm ci", err)
	}
}

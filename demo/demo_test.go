package demo

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
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

func TestHandlerServesPageDistAndConfig(t *testing.T) {
	dist := t.TempDir()
	if err := os.WriteFile(filepath.Join(dist, "cognito-wasm.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := Handler(Config{UserPoolID: "us-east-1_p", ClientID: "c", Endpoint: "http://e"}, dist, fakeModules(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	tests := []struct {
		path, wantType, wantIn string
	}{
		{"/", "text/html", "<title>cognito-wasm demo</title>"},
		{"/app.js", "text/javascript", "createAuth"},
		{"/dist/cognito-wasm.wasm", "application/wasm", "asm"},
		{"/demo-config.json", "application/json", `"userPoolId":"us-east-1_p"`},
		{"/vendor/qrcode.mjs", "text/javascript", "export default qrcode"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, err := http.Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), tt.wantType) || !strings.Contains(string(body), tt.wantIn) {
				t.Errorf("GET %s = %d %q %.40q; want 200 %s containing %q", tt.path, res.StatusCode, res.Header.Get("Content-Type"), body, tt.wantType, tt.wantIn)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("GET %s Cache-Control = %q; want no-store", tt.path, cc)
			}
		})
	}
	var cfg Config
	res, err := http.Get(srv.URL + "/demo-config.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(&cfg); err != nil || cfg.ClientID != "c" {
		t.Errorf("demo-config.json = %+v, %v; want clientId c", cfg, err)
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
	_, err := Handler(Config{}, t.TempDir(), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "npm ci") {
		t.Errorf("Handler(no node_modules) = %v; want an error saying to run npm ci", err)
	}
}

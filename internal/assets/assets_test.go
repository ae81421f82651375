package assets

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/internal/precompress"
)

var module = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("cognito-wasm module body "), 400)...)

func get(t *testing.T, h http.Handler, method, path string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func newModuleSet(t *testing.T) (*Set, string) {
	t.Helper()
	enc, err := Compressed(module)
	if err != nil {
		t.Fatal(err)
	}
	s := New()
	hashed, err := s.Add("/dist/cognito-wasm.wasm", module, enc)
	if err != nil {
		t.Fatal(err)
	}
	return s, hashed
}

func TestServeEncodingsAndHeaders(t *testing.T) {
	s, hashed := newModuleSet(t)
	if !regexp.MustCompile(`^/dist/cognito-wasm\.[0-9a-f]{16}\.wasm$`).MatchString(hashed) {
		t.Fatalf("Add returned %q; want /dist/cognito-wasm.<16 hex>.wasm", hashed)
	}
	if s.Hashed("/dist/cognito-wasm.wasm") != hashed {
		t.Errorf("Hashed = %q; want %q", s.Hashed("/dist/cognito-wasm.wasm"), hashed)
	}
	tests := []struct {
		name, path, accept, wantEnc, wantCache string
	}{
		{"brotli preferred", hashed, "gzip, deflate, br, zstd", "br", Immutable},
		{"gzip only", hashed, "gzip", "gzip", Immutable},
		{"brotli refused", hashed, "br;q=0, gzip;q=0.5", "gzip", Immutable},
		{"higher q wins", hashed, "br;q=0.2, gzip;q=0.9", "gzip", Immutable},
		{"any", hashed, "*", "br", Immutable},
		{"no Accept-Encoding", hashed, "", "", Immutable},
		{"nothing usable", hashed, "deflate, zstd", "", Immutable},
		{"identity preferred", hashed, "identity;q=1, br;q=0.5", "", Immutable},
		{"plain name revalidated", "/dist/cognito-wasm.wasm", "br", "br", Revalidated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := map[string]string{}
			if tt.accept != "" {
				hdr["Accept-Encoding"] = tt.accept
			}
			rec := get(t, s, "GET", tt.path, hdr)
			res := rec.Result()
			if res.StatusCode != 200 {
				t.Fatalf("GET %s = %d; want 200", tt.path, res.StatusCode)
			}
			for k, want := range map[string]string{
				"Content-Type":     "application/wasm",
				"Content-Encoding": tt.wantEnc,
				"Vary":             "Accept-Encoding",
				"Cache-Control":    tt.wantCache,
			} {
				if got := res.Header.Get(k); got != want {
					t.Errorf("GET %s (Accept-Encoding %q) %s = %q; want %q", tt.path, tt.accept, k, got, want)
				}
			}
			body := rec.Body.Bytes()
			if tt.wantEnc != "" {
				var err error
				if body, err = precompress.Decode(tt.wantEnc, body, 0); err != nil {
					t.Fatalf("decoding the %s body: %v", tt.wantEnc, err)
				}
			}
			if !bytes.Equal(body, module) {
				t.Errorf("GET %s (Accept-Encoding %q) body = %d bytes after decoding; want the module's %d", tt.path, tt.accept, len(body), len(module))
			}
		})
	}
}

func TestConditionalAndMethods(t *testing.T) {
	s, hashed := newModuleSet(t)
	first := get(t, s, "GET", hashed, map[string]string{"Accept-Encoding": "br"})
	etag := first.Header().Get("ETag")
	if etag == "" || etag == get(t, s, "GET", hashed, map[string]string{"Accept-Encoding": "gzip"}).Header().Get("ETag") {
		t.Fatalf("ETag %q; want one per encoding", etag)
	}
	if rec := get(t, s, "GET", hashed, map[string]string{"Accept-Encoding": "br", "If-None-Match": etag}); rec.Code != http.StatusNotModified {
		t.Errorf("GET with If-None-Match %s = %d; want 304", etag, rec.Code)
	}
	if rec := get(t, s, "HEAD", hashed, nil); rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != "application/wasm" {
		t.Errorf("HEAD = %d, %d body bytes, %q; want 200, none, application/wasm", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Type"))
	}
	if rec := get(t, s, "POST", hashed, nil); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d; want 405", rec.Code)
	}
	wrong := HashedName("/dist/cognito-wasm.wasm", "0123456789abcdef")
	if rec := get(t, s, "GET", wrong, nil); rec.Code != http.StatusNotFound {
		t.Errorf("GET %s (another hash) = %d; want 404", wrong, rec.Code)
	}
}

func TestAddPageIsRevalidatedOnly(t *testing.T) {
	s := New()
	html := []byte("<!doctype html><title>t</title>")
	if err := s.AddPage("/", html, nil); err != nil {
		t.Fatal(err)
	}
	rec := get(t, s, "GET", "/", map[string]string{"Accept-Encoding": "br"})
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" || rec.Header().Get("Cache-Control") != Revalidated || rec.Header().Get("Content-Encoding") != "" || rec.Header().Get("Vary") != "" {
		t.Errorf("GET / = %d %v; want 200, no-cache, identity and no Vary (no encoded bodies)", rec.Code, rec.Header())
	}
	if s.Hashed("/") != "" {
		t.Errorf("Hashed(/) = %q; want none for a page", s.Hashed("/"))
	}
	if err := s.AddPage("index.html", html, nil); err == nil {
		t.Error("AddPage(relative path) = nil error; want an error")
	}
}

func TestAddRefusesWrongBodies(t *testing.T) {
	other, err := Compressed([]byte("an older build of the module"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New().Add("/dist/cognito-wasm.wasm", module, map[string][]byte{"br": other["br"]}); err == nil || !strings.Contains(err.Error(), "br body") {
		t.Errorf("Add(stale br) = %v; want an error naming the br body", err)
	}
	if _, err := New().Add("/dist/cognito-wasm.wasm", module, map[string][]byte{"gzip": []byte("not gzip")}); err == nil {
		t.Error("Add(garbage gzip) = nil error; want an error")
	}
}

func TestAddFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "cognito-wasm.wasm")
	if err := os.WriteFile(file, module, 0o644); err != nil {
		t.Fatal(err)
	}
	// Without .br and .gz: identity only.
	s := New()
	hashed, err := s.AddFile("/dist/cognito-wasm.wasm", file)
	if err != nil {
		t.Fatal(err)
	}
	if rec := get(t, s, "GET", hashed, map[string]string{"Accept-Encoding": "br, gzip"}); rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), module) {
		t.Errorf("GET %s without precompressed files: Content-Encoding %q; want identity", hashed, rec.Header().Get("Content-Encoding"))
	}
	// With them (as `make build` writes them): served.
	if _, err := precompress.File(file); err != nil {
		t.Fatal(err)
	}
	s = New()
	hashed2, err := s.AddFile("/dist/cognito-wasm.wasm", file)
	if err != nil || hashed2 != hashed {
		t.Fatalf("AddFile = %q, %v; want %q (the hash is the file's, not its encodings')", hashed2, err, hashed)
	}
	if rec := get(t, s, "GET", hashed, map[string]string{"Accept-Encoding": "br, gzip"}); rec.Header().Get("Content-Encoding") != "br" {
		t.Errorf("GET %s with precompressed files: Content-Encoding %q; want br", hashed, rec.Header().Get("Content-Encoding"))
	}
	// The module rebuilt, the .br left from before: refused, naming the file.
	if err := os.WriteFile(file, append(module, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New().AddFile("/dist/cognito-wasm.wasm", file); err == nil || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "make build") {
		t.Errorf("AddFile(stale .br) = %v; want an error naming %s and make build", err, file)
	}
}

func TestContentType(t *testing.T) {
	for p, want := range map[string]string{
		"/a.wasm": "application/wasm", "/a.js": "text/javascript; charset=utf-8", "/a.mjs": "text/javascript; charset=utf-8",
		"/a.css": "text/css; charset=utf-8", "/": "text/html; charset=utf-8", "/a": "application/octet-stream", "/index.html": "text/html; charset=utf-8",
	} {
		if got := ContentType(p); got != want {
			t.Errorf("ContentType(%q) = %q; want %q", p, got, want)
		}
	}
}

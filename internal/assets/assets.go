// Package assets serves a page's static files the way that makes it load
// fast, first visit and repeat:
//   - each file also under a content-hashed name (cognito-wasm.<hash>.wasm),
//     cached for a year as immutable, so a repeat visit asks nothing; the
//     plain name stays, revalidated on each use (no-cache, ETag);
//   - precompressed Brotli or gzip bodies, made at build time
//     (internal/precompress), chosen from Accept-Encoding, with
//     Vary: Accept-Encoding; identity for a client that accepts neither;
//   - the right Content-Type: application/wasm is what lets
//     WebAssembly.instantiateStreaming compile the module while it downloads.
//
// Files are held in memory: what a hashed name promises cannot change under
// a running server when the files on disk are rebuilt.
package assets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cognito-wasm/cognito-wasm/internal/precompress"
)

// Cache-Control values: hashed names never change meaning; everything else
// (the HTML that names them, plain names) is revalidated on each use.
const (
	Immutable   = "public, max-age=31536000, immutable"
	Revalidated = "no-cache"
)

// Set is an http.Handler over the files added to it. Add everything before
// serving; a Set is not safe for Add concurrently with ServeHTTP.
type Set struct {
	byPath map[string]*entry
	hashed map[string]string // plain path -> hashed path
}

type entry struct {
	contentType string
	cache       string
	etag        string            // quoted, without the encoding suffix
	bodies      map[string][]byte // "" (identity), "br", "gzip"
}

// New returns an empty Set.
func New() *Set {
	return &Set{byPath: map[string]*entry{}, hashed: map[string]string{}}
}

// Add serves data under urlPath (revalidated) and under its hashed name
// (immutable), and returns the hashed path. encoded holds precompressed
// bodies by encoding name ("br", "gzip"); each must decode to data.
func (s *Set) Add(urlPath string, data []byte, encoded map[string][]byte) (string, error) {
	e, sum, err := newEntry(urlPath, data, encoded)
	if err != nil {
		return "", err
	}
	hashedPath := HashedName(urlPath, sum)
	plain := *e
	plain.cache = Revalidated
	e.cache = Immutable
	s.byPath[urlPath] = &plain
	s.byPath[hashedPath] = e
	s.hashed[urlPath] = hashedPath
	return hashedPath, nil
}

// AddPage serves data under urlPath only, revalidated on each use: for the
// HTML that names the hashed files, which must never be cached stale.
func (s *Set) AddPage(urlPath string, data []byte, encoded map[string][]byte) error {
	e, _, err := newEntry(urlPath, data, encoded)
	if err != nil {
		return err
	}
	e.cache = Revalidated
	s.byPath[urlPath] = e
	return nil
}

// AddFile reads file, and file.br and file.gz where they exist, and serves
// them as Add does. A compressed file that does not decode to file (left
// from an earlier build) is an error naming it, never served.
func (s *Set) AddFile(urlPath, file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	encoded := map[string][]byte{}
	for _, enc := range precompress.Encodings {
		b, err := os.ReadFile(file + enc.Suffix)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return "", err
		}
		encoded[enc.Name] = b
	}
	hashedPath, err := s.Add(urlPath, data, encoded)
	if err != nil {
		return "", fmt.Errorf("%w (a stale %s.br or .gz? `make build` writes them again)", err, file)
	}
	return hashedPath, nil
}

// Compressed returns data's Brotli and gzip bodies, made in memory: for small
// files such as those embedded in a binary, where it takes milliseconds.
func Compressed(data []byte) (map[string][]byte, error) {
	bodies := make([][]byte, len(precompress.Encodings))
	errs := make([]error, len(precompress.Encodings))
	var wg sync.WaitGroup
	for i, enc := range precompress.Encodings {
		wg.Go(func() { bodies[i], errs[i] = precompress.Encode(enc.Name, data) })
	}
	wg.Wait()
	out := map[string][]byte{}
	for i, enc := range precompress.Encodings {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out[enc.Name] = bodies[i]
	}
	return out, nil
}

// Hashed returns the hashed path of a file added under urlPath, or "" if
// there is none.
func (s *Set) Hashed(urlPath string) string { return s.hashed[urlPath] }

// HashedName inserts hash before the extension: /dist/a.wasm -> /dist/a.<hash>.wasm.
func HashedName(urlPath, hash string) string {
	ext := path.Ext(urlPath)
	return strings.TrimSuffix(urlPath, ext) + "." + hash + ext
}

func newEntry(urlPath string, data []byte, encoded map[string][]byte) (*entry, string, error) {
	if !strings.HasPrefix(urlPath, "/") {
		return nil, "", fmt.Errorf("assets: path %q must start with /", urlPath)
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:8])
	e := &entry{contentType: ContentType(urlPath), etag: `"` + hash + `"`, bodies: map[string][]byte{"": data}}
	// Each encoded body is checked by decoding it, all at once.
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for name, body := range encoded {
		wg.Go(func() {
			back, err := precompress.Decode(name, body, int64(len(data)))
			if err == nil && !bytes.Equal(back, data) {
				err = errors.New("does not decode to the file")
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("assets: the %s body of %s: %w", name, urlPath, err))
				return
			}
			e.bodies[name] = body
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, "", errors.Join(errs...)
	}
	return e, hash, nil
}

// ContentType is the Content-Type for a path's extension; the ones a page
// needs are fixed here rather than taken from the machine's mime.types.
func ContentType(urlPath string) string {
	if strings.HasSuffix(urlPath, "/") {
		return "text/html; charset=utf-8" // a directory's index page
	}
	switch ext := path.Ext(urlPath); ext {
	case ".wasm":
		return "application/wasm"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".json":
		return "application/json"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}

// ServeHTTP answers GET and HEAD for the files added, with ETag, If-None-Match
// and Range handled by http.ServeContent on the chosen body.
func (s *Set) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e := s.byPath[r.URL.Path]
	if e == nil {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Type", e.contentType)
	h.Set("Cache-Control", e.cache)
	h.Set("X-Content-Type-Options", "nosniff")
	etag := e.etag
	enc := ""
	if len(e.bodies) > 1 {
		h.Add("Vary", "Accept-Encoding")
		enc = Negotiate(r.Header.Values("Accept-Encoding"), e.bodies)
	}
	if enc != "" {
		h.Set("Content-Encoding", enc)
		etag = strings.TrimSuffix(etag, `"`) + "-" + enc + `"`
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(e.bodies[enc]))
}

// Negotiate picks the encoding of the bodies to send for the Accept-Encoding
// header values: the acceptable one with the highest q, Brotli before gzip
// on a tie, "" (identity) when none is acceptable or identity is preferred.
func Negotiate(accept []string, bodies map[string][]byte) string {
	q := map[string]float64{}
	for _, v := range accept {
		for _, part := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(part, ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				continue
			}
			if name == "x-gzip" {
				name = "gzip"
			}
			weight := 1.0
			for _, p := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(p, "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
					if err != nil || f < 0 || f > 1 {
						f = 0
					}
					weight = f
				}
			}
			q[name] = weight
		}
	}
	best, bestQ := "", 0.0
	for _, enc := range precompress.Encodings {
		if _, ok := bodies[enc.Name]; !ok {
			continue
		}
		w, ok := q[enc.Name]
		if !ok {
			w, ok = q["*"]
		}
		if ok && w > bestQ {
			best, bestQ = enc.Name, w
		}
	}
	if id, ok := q["identity"]; ok && id > bestQ {
		return ""
	}
	return best
}

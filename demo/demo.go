// Package demo serves the demo page: its static files (embedded), the
// built cognito-wasm distribution under /dist/, and /demo-config.json, which
// prefills the page with the local emulator's pool, client and demo users.
package demo

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
)

//go:embed static
var static embed.FS

// User is a demo account shown on the page so a newcomer can sign in at once.
// Note says what path its sign-in shows; Flow, when set, is the auth flow
// that shows it.
type User struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Note     string `json:"note,omitempty"`
	Flow     string `json:"flow,omitempty"`
}

// Pool is a demo pool with a client without a secret, as a page may use.
type Pool struct {
	Name       string `json:"name,omitempty"`
	UserPoolID string `json:"userPoolId"`
	ClientID   string `json:"clientId"`
	Users      []User `json:"users,omitempty"`
}

// Config prefills the page's pool settings: UserPoolID and ClientID are the
// first pool's, Pools lists every demo pool with its users.
type Config struct {
	UserPoolID string `json:"userPoolId"`
	ClientID   string `json:"clientId"`
	Region     string `json:"region,omitempty"`
	Endpoint   string `json:"endpoint,omitempty"`
	Pools      []Pool `json:"pools,omitempty"`
}

// Users lists every demo user of every pool, in seed order.
func (c Config) Users() []User {
	var out []User
	for _, p := range c.Pools {
		out = append(out, p.Users...)
	}
	return out
}

// QRModule is the QR encoder the page draws TOTP setup links with, as
// installed by `npm ci` in demo/ (pinned in demo/package.json).
const QRModule = "qrcode-generator/dist/qrcode.mjs"

// Handler serves the page. distDir holds cognito-wasm.js, cognito-wasm.wasm
// and wasm_exec.js as built by `make build`; modulesDir is demo/node_modules,
// from which the page loads its QR encoder.
func Handler(cfg Config, distDir, modulesDir string) (http.Handler, error) {
	if _, err := os.Stat(distDir); err != nil {
		return nil, err
	}
	qrPath := filepath.Join(modulesDir, filepath.FromSlash(QRModule))
	if _, err := os.Stat(qrPath); err != nil {
		return nil, fmt.Errorf("demo: the QR encoder is missing (run `npm ci` in demo/, as `make demo` does): %w", err)
	}
	page, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServerFS(page))
	mux.Handle("GET /dist/", http.StripPrefix("/dist/", http.FileServer(http.Dir(distDir))))
	mux.HandleFunc("GET /vendor/qrcode.mjs", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		http.ServeFile(w, r, qrPath)
	})
	mux.HandleFunc("GET /demo-config.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(cfgJSON)
	})
	return noStore(mux), nil
}

// noStore keeps browsers from caching a stale .wasm between builds.
func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(w, r)
	})
}

// seedFile is the part of the emulator's seed file the page needs.
type seedFile struct {
	UserPools []struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Clients []struct {
			ID     string `json:"id"`
			Secret string `json:"secret"`
		} `json:"clients"`
		Users []User `json:"users"`
	} `json:"userPools"`
}

// ConfigFromSeed reads every pool of an emulator seed file that has a
// secret-less client (the first such client), with its users as the demo
// accounts. The first of them prefills the page.
func ConfigFromSeed(seedJSON []byte, endpoint string) (Config, error) {
	var s seedFile
	if err := json.Unmarshal(seedJSON, &s); err != nil {
		return Config{}, err
	}
	cfg := Config{Endpoint: endpoint}
	for _, p := range s.UserPools {
		for _, c := range p.Clients {
			if c.Secret == "" {
				cfg.Pools = append(cfg.Pools, Pool{Name: p.Name, UserPoolID: p.ID, ClientID: c.ID, Users: p.Users})
				break
			}
		}
	}
	if len(cfg.Pools) == 0 {
		return Config{}, errNoPublicClient
	}
	cfg.UserPoolID, cfg.ClientID = cfg.Pools[0].UserPoolID, cfg.Pools[0].ClientID
	return cfg, nil
}

var errNoPublicClient = errors.New("demo: the seed has no pool with a client without a secret")

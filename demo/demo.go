// Package demo serves the demo page: its static files (embedded), the
// built cognito-wasm distribution under /dist/, and /demo-config.json, which
// prefills the page with the local emulator's pool, client and demo users.
package demo

import (
	"embed"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"os"
)

//go:embed static
var static embed.FS

// User is a demo account shown on the page so a newcomer can sign in at once.
type User struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// Config prefills the page's pool settings.
type Config struct {
	UserPoolID string `json:"userPoolId"`
	ClientID   string `json:"clientId"`
	Region     string `json:"region,omitempty"`
	Endpoint   string `json:"endpoint,omitempty"`
	Users      []User `json:"users,omitempty"`
}

// Handler serves the page. distDir holds cognito-wasm.js, cognito-wasm.wasm
// and wasm_exec.js as built by `make build`.
func Handler(cfg Config, distDir string) (http.Handler, error) {
	if _, err := os.Stat(distDir); err != nil {
		return nil, err
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
		Clients []struct {
			ID     string `json:"id"`
			Secret string `json:"secret"`
		} `json:"clients"`
		Users []User `json:"users"`
	} `json:"userPools"`
}

// ConfigFromSeed reads the first pool and its first secret-less client from
// an emulator seed file, with its users as the demo accounts.
func ConfigFromSeed(seedJSON []byte, endpoint string) (Config, error) {
	var s seedFile
	if err := json.Unmarshal(seedJSON, &s); err != nil {
		return Config{}, err
	}
	for _, p := range s.UserPools {
		for _, c := range p.Clients {
			if c.Secret == "" {
				return Config{UserPoolID: p.ID, ClientID: c.ID, Endpoint: endpoint, Users: p.Users}, nil
			}
		}
	}
	return Config{}, errNoPublicClient
}

var errNoPublicClient = errors.New("demo: the seed has no pool with a client without a secret")

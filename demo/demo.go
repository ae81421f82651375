// Package demo serves the demo page: its static files (embedded), the
// built cognito-wasm distribution under /dist/, and /demo-config.json, which
// prefills the page with the local emulator's pool, client and demo users.
// Files go out precompressed, under content-hashed names cached as immutable.
package demo

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"text/template"

	"github.com/cognito-wasm/cognito-wasm/internal/assets"
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
// ClientID is its first such client; Clients lists them all (the page offers
// a choice when there are several, e.g. one with short-lived tokens).
type Pool struct {
	Name       string   `json:"name,omitempty"`
	UserPoolID string   `json:"userPoolId"`
	ClientID   string   `json:"clientId"`
	Clients    []Client `json:"clients,omitempty"`
	Users      []User   `json:"users,omitempty"`
}

// Client is an app client without a secret. AccessTokenMinutes is how long
// its access tokens last, so the page can say when to expect a refresh.
type Client struct {
	ID                 string `json:"id"`
	Name               string `json:"name,omitempty"`
	AccessTokenMinutes int    `json:"accessTokenMinutes"`
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

// distFiles are the files of build/dist the page loads; the page names each
// by its content-hashed URL.
var distFiles = []string{"cognito-wasm.js", "wasm_exec.js", "cognito-wasm.wasm"}

// Handler serves the page. distDir holds cognito-wasm.js, cognito-wasm.wasm
// and wasm_exec.js as built by `make build`, with the .br and .gz that
// `make build` writes next to them; modulesDir is demo/node_modules, from
// which the page loads its QR encoder.
//
// Every file but the HTML is served under a content-hashed name, cached as
// immutable (internal/assets); index.html is a template that names those
// URLs and is revalidated on each visit. The files are read once, here.
func Handler(cfg Config, distDir, modulesDir string) (http.Handler, error) {
	if _, err := os.Stat(distDir); err != nil {
		return nil, err
	}
	qrPath := filepath.Join(modulesDir, filepath.FromSlash(QRModule))
	if _, err := os.Stat(qrPath); err != nil {
		return nil, fmt.Errorf("demo: the QR encoder is missing (run `npm ci` in demo/, as `make demo` does): %w", err)
	}
	set := assets.New()
	for _, name := range distFiles {
		if _, err := set.AddFile("/dist/"+name, filepath.Join(distDir, name)); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	// Small files, compressed in memory at start (a fraction of a second); build/dist's
	// are compressed at build time.
	small := map[string]func() ([]byte, error){
		"/vendor/qrcode.mjs": func() ([]byte, error) { return os.ReadFile(qrPath) },
		"/app.js":            func() ([]byte, error) { return static.ReadFile("static/app.js") },
		"/style.css":         func() ([]byte, error) { return static.ReadFile("static/style.css") },
	}
	for urlPath, read := range small {
		if err := addCompressed(set, urlPath, read); err != nil {
			return nil, err
		}
	}
	page, err := renderPage(set)
	if err != nil {
		return nil, err
	}
	pageEnc, err := assets.Compressed(page)
	if err != nil {
		return nil, err
	}
	for _, p := range []string{"/", "/index.html"} {
		if err := set.AddPage(p, page, pageEnc); err != nil {
			return nil, err
		}
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /", set)
	mux.HandleFunc("GET /demo-config.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store") // this run's emulator address
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Write(cfgJSON)
	})
	return mux, nil
}

func addCompressed(set *assets.Set, urlPath string, read func() ([]byte, error)) error {
	data, err := read()
	if err != nil {
		return err
	}
	enc, err := assets.Compressed(data)
	if err != nil {
		return err
	}
	_, err = set.Add(urlPath, data, enc)
	return err
}

// renderPage fills index.html's {{asset "/path"}} with each file's hashed
// URL. A name the set does not hold is an error, not a broken page. The
// values are hex hashes in paths of our own, so text/template's lack of
// escaping is safe here (html/template would escape inside the import map).
func renderPage(set *assets.Set) ([]byte, error) {
	src, err := static.ReadFile("static/index.html")
	if err != nil {
		return nil, err
	}
	tmpl, err := template.New("index.html").Funcs(template.FuncMap{
		"asset": func(p string) (string, error) {
			if h := set.Hashed(p); h != "" {
				return h, nil
			}
			return "", fmt.Errorf("no file %s", p)
		},
	}).Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("demo: index.html: %w", err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, nil); err != nil {
		return nil, fmt.Errorf("demo: index.html: %w", err)
	}
	return buf.Bytes(), nil
}

// seedFile is the part of the emulator's seed file the page needs.
type seedFile struct {
	UserPools []struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Clients []struct {
			ID                  string `json:"id"`
			Name                string `json:"name"`
			Secret              string `json:"secret"`
			AccessTokenValidity *int   `json:"accessTokenValidity"`
			TokenValidityUnits  struct {
				AccessToken string `json:"accessToken"`
			} `json:"tokenValidityUnits"`
		} `json:"clients"`
		Users []User `json:"users"`
	} `json:"userPools"`
}

// ConfigFromSeed reads every pool of an emulator seed file that has a
// secret-less client, with those clients (the first is the pool's default)
// and its users as the demo accounts. The first pool prefills the page.
func ConfigFromSeed(seedJSON []byte, endpoint string) (Config, error) {
	var s seedFile
	if err := json.Unmarshal(seedJSON, &s); err != nil {
		return Config{}, err
	}
	cfg := Config{Endpoint: endpoint}
	for _, p := range s.UserPools {
		pool := Pool{Name: p.Name, UserPoolID: p.ID, Users: p.Users}
		for _, c := range p.Clients {
			if c.Secret != "" {
				continue
			}
			minutes := 60 // Cognito's default: 60 minutes
			if c.AccessTokenValidity != nil {
				minutes = *c.AccessTokenValidity * unitSeconds(c.TokenValidityUnits.AccessToken) / 60
			}
			pool.Clients = append(pool.Clients, Client{ID: c.ID, Name: c.Name, AccessTokenMinutes: minutes})
		}
		if len(pool.Clients) > 0 {
			pool.ClientID = pool.Clients[0].ID
			cfg.Pools = append(cfg.Pools, pool)
		}
	}
	if len(cfg.Pools) == 0 {
		return Config{}, errNoPublicClient
	}
	cfg.UserPoolID, cfg.ClientID = cfg.Pools[0].UserPoolID, cfg.Pools[0].ClientID
	return cfg, nil
}

// unitSeconds is a TokenValidityUnits value in seconds (minutes when unset,
// Cognito's default unit for access tokens).
func unitSeconds(unit string) int {
	switch unit {
	case "seconds":
		return 1
	case "hours":
		return 60 * 60
	case "days":
		return 24 * 60 * 60
	}
	return 60
}

var errNoPublicClient = errors.New("demo: the seed has no pool with a client without a secret")

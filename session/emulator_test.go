//go:build !(js && wasm)

// The emulator (bbolt) is native only.

package session

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/account"
	"github.com/cognito-wasm/cognito-wasm/emulator"
	"github.com/cognito-wasm/cognito-wasm/signin"
)

const (
	pool        = "us-east-1_SessionPool1"
	plainApp    = "plainclient0000000000001" // no rotation, 60-minute tokens
	rotatingApp = "rotateclient000000000001" // refresh-token rotation, no grace period
	endpoint    = "http://emulator.invalid"  // never dialled
	user        = "alice"
	password    = "Passw0rd!Alice"
)

// clock is a fake clock the emulator and the session share (the session's
// may run off the emulator's by skew).
type clock struct {
	mu   sync.Mutex
	t    time.Time
	skew time.Duration // local clock minus server clock
}

func (c *clock) server() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) local() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t.Add(c.skew) }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// transport hands requests to the emulator in-process and counts them by
// operation; unknown lists operations answered as a server that lacks them.
type transport struct {
	em      http.Handler
	mu      sync.Mutex
	n       map[string]int
	unknown map[string]bool
	// hold, when set, is received from before GetTokensFromRefreshToken
	// reaches the emulator.
	hold chan struct{}
}

func (p *transport) Do(req *http.Request) (*http.Response, error) {
	target := strings.TrimPrefix(req.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	p.mu.Lock()
	p.n[target]++
	hold := p.hold
	p.mu.Unlock()
	if hold != nil && target == "GetTokensFromRefreshToken" {
		<-hold
	}
	rec := httptest.NewRecorder()
	if p.unknown[target] {
		rec.WriteHeader(400)
		io.WriteString(rec, `{"__type":"UnknownOperationException","message":"Unknown operation."}`)
	} else {
		p.em.ServeHTTP(rec, req)
	}
	res := rec.Result()
	res.ContentLength = int64(rec.Body.Len())
	return res, nil
}

func (p *transport) count(target string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n[target]
}

// env is an emulator, a signed-in-able client and a Manager over them.
type env struct {
	t      *testing.T
	clk    *clock
	tr     *transport
	signin *signin.Client
	api    *account.Client
	st     *MemoryStorage
	m      *Manager
	mu     sync.Mutex
	events []Event
}

func newEnv(t *testing.T, clientID string) *env {
	t.Helper()
	clk := &clock{t: time.Now().Truncate(time.Second)}
	em, err := emulator.New(emulator.Config{DataDir: t.TempDir(), Now: clk.server})
	if err != nil {
		t.Fatalf("emulator.New = %v", err)
	}
	t.Cleanup(func() { em.Close() })
	flows := []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	err = em.Seed(emulator.Seed{UserPools: []emulator.SeedPool{{ID: pool, Name: "session",
		Clients: []emulator.SeedClient{
			{ID: plainApp, Name: "plain", ExplicitAuthFlows: flows},
			{ID: rotatingApp, Name: "rotating", ExplicitAuthFlows: flows,
				RefreshTokenRotation: &emulator.SeedRefreshTokenRotation{Feature: "ENABLED"}},
		},
		Users: []emulator.SeedUser{{Username: user, Password: password, Attributes: map[string]string{"email": "alice@example.com"}}},
	}}})
	if err != nil {
		t.Fatalf("Seed = %v", err)
	}
	e := &env{t: t, clk: clk, tr: &transport{em: em, n: map[string]int{}, unknown: map[string]bool{}}, st: NewMemoryStorage()}
	e.signin, err = signin.New(signin.Config{UserPoolID: pool, ClientID: clientID, Endpoint: endpoint, HTTPClient: e.tr, Now: clk.local, OneShot: true})
	if err != nil {
		t.Fatalf("signin.New = %v", err)
	}
	if e.api, err = account.New(account.Config{UserPoolID: pool, ClientID: clientID, Endpoint: endpoint, HTTPClient: e.tr}); err != nil {
		t.Fatalf("account.New = %v", err)
	}
	e.m, err = New(Config{ClientID: clientID, Storage: e.st, API: e.api, Initiate: e.signin, Now: clk.local,
		OnEvent: func(ev Event) { e.mu.Lock(); e.events = append(e.events, ev); e.mu.Unlock() }})
	if err != nil {
		t.Fatalf("New = %v", err)
	}
	return e
}

// signIn signs alice in and stores her tokens.
func (e *env) signIn() *signin.Tokens {
	e.t.Helper()
	res, err := e.signin.SignIn(context.Background(), signin.SignInInput{Username: user, Password: password, AuthFlowType: signin.AuthFlowUserPassword})
	if err != nil || !res.IsSignedIn {
		e.t.Fatalf("SignIn = %+v, %v", res, err)
	}
	if _, err := e.m.Store(context.Background(), res.Tokens, &SignInDetails{LoginID: user, AuthFlowType: signin.AuthFlowUserPassword}); err != nil {
		e.t.Fatalf("Store = %v", err)
	}
	return res.Tokens
}

func (e *env) eventTypes() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, ev := range e.events {
		out = append(out, ev.Type)
	}
	return out
}

func (e *env) stored(name string) string {
	v, _, _ := e.st.Get(context.Background(), UserKey(e.m.cfg.ClientID, user, name))
	return v
}

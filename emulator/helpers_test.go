package emulator

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

var (
	testKeyOnce sync.Once
	testKey     *rsa.PrivateKey
)

// sharedKey saves generating an RSA key for every test emulator.
func sharedKey(t testing.TB) *rsa.PrivateKey {
	testKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey
}

// clock is a settable time source for sessions, lockout and token expiry.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type harness struct {
	t     testing.TB
	emu   *Emulator
	srv   *httptest.Server
	clock *clock
}

const (
	demoPool   = "us-east-1_cwDemo001"
	demoClient = "cognitowasmdemoclient00001"
	demoUser   = "alice"
	demoPass   = "Passw0rd!Demo"
)

// demoSeed is the seed from the shared contract, plus a few variants.
func demoSeed() Seed {
	return Seed{UserPools: []SeedPool{{
		ID: demoPool, Name: "demo", AliasAttributes: []string{"email"},
		Clients: []SeedClient{
			{ID: demoClient, Name: "demo-web", ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}},
			{ID: "secretclient0000000000001", Name: "with-secret", Secret: "s3cr3tvalue0123456789abcdefghijklmnopqrstuvwxyz0123",
				ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}},
			{ID: "srponlyclient000000000001", Name: "srp-only", ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}},
			{ID: "hiddenusersclient00000001", Name: "prevent", PreventUserExistenceErrors: "ENABLED",
				ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}},
		},
		Users: []SeedUser{
			{Username: demoUser, Password: demoPass, Attributes: map[string]string{"email": "alice@example.com", "email_verified": "true"}},
			{Username: "bob", Password: "Hunter2!Bob", Attributes: map[string]string{"email": "bob@example.com", "email_verified": "false"}},
			{Username: "Zoë", Password: "Pässwörd!1Ω", Attributes: map[string]string{"name": "Zoë"}},
		},
	}, {
		ID: "us-east-1_cwEmail01", Name: "by-email", UsernameAttributes: []string{"email"},
		CaseSensitive: boolPtr(false),
		Clients: []SeedClient{{ID: "emailpoolclient0000000001", Name: "web",
			ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}},
		Users: []SeedUser{{Username: "carol@example.com", Password: "Carol!pass9", Attributes: map[string]string{"email_verified": "true"}}},
	}}}
}

func boolPtr(b bool) *bool { return &b }

func newHarness(t testing.TB, seed *Seed) *harness {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 7, 15, 4, 5, 0, time.UTC)}
	emu, err := New(Config{Now: c.Now, SigningKey: sharedKey(t)})
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	if seed != nil {
		if err := emu.Seed(*seed); err != nil {
			t.Fatalf("Seed() = %v", err)
		}
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		if err := emu.Close(); err != nil {
			t.Errorf("Close() = %v", err)
		}
	})
	return &harness{t: t, emu: emu, srv: srv, clock: c}
}

func demoHarness(t testing.TB) *harness {
	s := demoSeed()
	return newHarness(t, &s)
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (r response) errType() string {
	s, _ := r.body["__type"].(string)
	return s
}

func (r response) message() string {
	s, _ := r.body["message"].(string)
	return s
}

// str digs a string out of nested objects: str("AuthenticationResult", "IdToken").
func (r response) str(path ...string) string {
	var cur any = r.body
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[p]
	}
	s, _ := cur.(string)
	return s
}

const sigV4 = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260307/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123abcd"

// rawCall posts body (raw bytes) for op.
func (h *harness) rawCall(op string, body []byte, signed bool) response {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/", bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if op != "" {
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	}
	if signed {
		req.Header.Set("Authorization", sigV4)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s: %v", op, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	out := response{status: resp.StatusCode, header: resp.Header, raw: raw}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out.body); err != nil {
			h.t.Fatalf("%s: response is not JSON: %q", op, raw)
		}
	}
	return out
}

func (h *harness) call(op string, body any, signed bool) response {
	h.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.rawCall(op, b, signed)
}

// admin calls a signed management operation and fails the test on error.
func (h *harness) admin(op string, body any) response {
	h.t.Helper()
	r := h.call(op, body, true)
	if r.status != http.StatusOK {
		h.t.Fatalf("%s = %d %s: %s; want 200", op, r.status, r.errType(), r.message())
	}
	return r
}

type m = map[string]any

// srpStart sends InitiateAuth USER_SRP_AUTH and returns the client half and the reply.
func (h *harness) srpStart(clientID, username string, extra map[string]string) (*srp.Client, response) {
	h.t.Helper()
	c, err := srp.NewClient()
	if err != nil {
		h.t.Fatal(err)
	}
	params := map[string]string{"USERNAME": username, "SRP_A": c.A()}
	for k, v := range extra {
		params[k] = v
	}
	return c, h.call("InitiateAuth", m{"AuthFlow": "USER_SRP_AUTH", "ClientId": clientID, "AuthParameters": params}, false)
}

// srpAnswer signs the PASSWORD_VERIFIER challenge in ch with password.
func (h *harness) srpAnswer(c *srp.Client, poolID, clientID, password string, ch response, now time.Time, extra map[string]string) response {
	h.t.Helper()
	poolName, err := srp.PoolName(poolID)
	if err != nil {
		h.t.Fatal(err)
	}
	p := ch.body["ChallengeParameters"].(map[string]any)
	claim, err := c.PasswordClaim(srp.ClaimInput{PoolName: poolName, UserID: p["USER_ID_FOR_SRP"].(string), Password: password,
		Salt: p["SALT"].(string), SRPB: p["SRP_B"].(string), SecretBlock: p["SECRET_BLOCK"].(string), Now: now})
	if err != nil {
		h.t.Fatalf("PasswordClaim() = %v", err)
	}
	resp := map[string]string{"USERNAME": p["USER_ID_FOR_SRP"].(string), "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"].(string),
		"TIMESTAMP": claim.Timestamp, "PASSWORD_CLAIM_SIGNATURE": claim.Signature}
	for k, v := range extra {
		resp[k] = v
	}
	body := m{"ClientId": clientID, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": resp}
	if s, _ := ch.body["Session"].(string); s != "" {
		body["Session"] = s
	}
	return h.call("RespondToAuthChallenge", body, false)
}

// srpSignIn runs a whole SRP sign-in and returns the final reply.
func (h *harness) srpSignIn(poolID, clientID, username, password string) response {
	h.t.Helper()
	c, ch := h.srpStart(clientID, username, nil)
	if ch.status != http.StatusOK || ch.str("ChallengeName") != "PASSWORD_VERIFIER" {
		return ch
	}
	return h.srpAnswer(c, poolID, clientID, password, ch, h.clock.Now(), nil)
}

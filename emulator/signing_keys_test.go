package emulator

import (
	"crypto/x509"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

func (h *harness) jwks(poolID string) jose.JSONWebKeySet {
	h.t.Helper()
	resp, err := h.srv.Client().Get(h.srv.URL + "/" + poolID + "/.well-known/jwks.json")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		h.t.Fatal(err)
	}
	return set
}

func kidOf(t *testing.T, tok string) string {
	t.Helper()
	jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	return jws.Signatures[0].Header.KeyID
}

// TestSigningKeysPerPoolAndUse: without a fixed key, each pool signs id and
// access tokens with two keys of its own, publishes both, keeps them across
// restarts, and accepts an access token only under its own access key.
func TestSigningKeysPerPoolAndUse(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: time.Now()}
	open := func() (*harness, func()) {
		emu, err := New(Config{DataDir: dir, Now: c.Now})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(emu)
		return &harness{t: t, emu: emu, srv: srv, clock: c}, func() { srv.Close(); _ = emu.Close() }
	}
	h, stop := open()
	defer func() { stop() }()
	if err := h.emu.Seed(demoSeed()); err != nil {
		t.Fatal(err)
	}
	a := h.signInTokens(demoClient)
	access, id := a.str("AuthenticationResult", "AccessToken"), a.str("AuthenticationResult", "IdToken")
	set := h.jwks(demoPool)
	if len(set.Keys) != 2 {
		t.Fatalf("JWKS has %d keys; want 2 (id and access)", len(set.Keys))
	}
	if kidOf(t, access) == kidOf(t, id) {
		t.Fatalf("id and access tokens share kid %s", kidOf(t, id))
	}
	h.verifyJWT(demoPool, access)
	h.verifyJWT(demoPool, id)
	other := h.jwks("us-east-1_cwEmail01")
	for _, k := range other.Keys {
		if len(set.Key(k.KeyID)) != 0 {
			t.Fatalf("pools share key %s", k.KeyID)
		}
	}
	h.wantOK(h.getUser(access))

	// An id token is not an access token, and a token signed with another
	// pool's key is refused even with this pool's iss.
	h.wantError(h.getUser(id), "NotAuthorizedException", "Invalid Access Token")
	otherKeys, err := h.emu.keys.forPool("us-east-1_cwEmail01")
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	parts := strings.Split(access, ".")
	jws, _ := jose.ParseSigned(access, []jose.SignatureAlgorithm{jose.RS256})
	if err := json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &claims); err != nil || len(parts) != 3 {
		t.Fatal(err)
	}
	forged, err := otherKeys.access.sign(claims)
	if err != nil {
		t.Fatal(err)
	}
	h.wantError(h.getUser(forged), "NotAuthorizedException", "Invalid Access Token")

	// The keys survive a restart: the same JWKS, the same token accepted.
	stop()
	h, stop = open()
	if got := h.jwks(demoPool); len(got.Keys) != 2 || got.Keys[0].KeyID != set.Keys[0].KeyID || got.Keys[1].KeyID != set.Keys[1].KeyID {
		t.Fatalf("JWKS after restart = %v; want %v", got.Keys, set.Keys)
	}
	h.wantOK(h.getUser(access))

	// A deleted pool's keys go with it.
	h.admin("DeleteUserPool", m{"UserPoolId": "us-east-1_cwEmail01"})
	var left []string
	if err := h.emu.store.view(func(t *txn) error {
		return t.scan(bucketMeta, metaSigningKey+":us-east-1_cwEmail01:", func(k, _ []byte) (bool, error) {
			left = append(left, string(k))
			return true, nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Fatalf("deleted pool's keys left in the store: %v", left)
	}
}

// TestLegacySigningKeyStillAccepted: a store from before per-pool keys
// keeps its one key published and its access tokens accepted.
func TestLegacySigningKeyStillAccepted(t *testing.T) {
	dir := t.TempDir()
	emu, err := New(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := emu.store.update(func(t *txn) error {
		return t.setMeta(metaSigningKey, x509.MarshalPKCS1PrivateKey(sharedKey(nil)))
	}); err != nil {
		t.Fatal(err)
	}
	if err := emu.Close(); err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Now()}
	emu, err = New(Config{DataDir: dir, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	defer func() { srv.Close(); _ = emu.Close() }()
	h := &harness{t: t, emu: emu, srv: srv, clock: c}
	if err := emu.Seed(demoSeed()); err != nil {
		t.Fatal(err)
	}
	access := h.signInTokens(demoClient).str("AuthenticationResult", "AccessToken")
	if n := len(h.jwks(demoPool).Keys); n != 3 {
		t.Fatalf("JWKS has %d keys; want the pool's 2 and the store's earlier key", n)
	}
	jws, _ := jose.ParseSigned(access, []jose.SignatureAlgorithm{jose.RS256})
	var claims map[string]any
	if err := json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &claims); err != nil {
		t.Fatal(err)
	}
	old, err := emu.keys.legacy.sign(claims)
	if err != nil {
		t.Fatal(err)
	}
	h.verifyJWT(demoPool, old)
	h.wantOK(h.getUser(old))
}

// TestRotationMakesMissingKeysOutsideItsWrite: a rotating refresh whose
// pool has no keys yet (a store from before per-pool keys) makes them
// before its write transaction, not inside it (bbolt allows one writer).
func TestRotationMakesMissingKeysOutsideItsWrite(t *testing.T) {
	c := &clock{t: time.Now()}
	emu, err := New(Config{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	defer func() { srv.Close(); _ = emu.Close() }()
	h := &harness{t: t, emu: emu, srv: srv, clock: c}
	if err := emu.Seed(demoSeed()); err != nil {
		t.Fatal(err)
	}
	client := h.newClient(m{"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		"RefreshTokenRotation": m{"Feature": "ENABLED"}})
	rt := h.signInTokens(client).str("AuthenticationResult", "RefreshToken")
	if err := emu.store.update(func(t *txn) error {
		for _, use := range []string{"id", "access"} {
			if err := t.del(bucketMeta, poolKeyName(demoPool, use)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	emu.keys.forget(demoPool)
	h.wantTokens(h.getTokens(client, rt, nil))
	if n := len(h.jwks(demoPool).Keys); n != 2 {
		t.Fatalf("JWKS has %d keys after the refresh; want 2", n)
	}
}

package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// storedHarness runs an emulator on a data folder that outlives it, so a
// test can stop it and open the same store again. stop closes the server
// and the store.
func storedHarness(t *testing.T, dir string, c *clock, seed bool) (h *harness, stop func()) {
	t.Helper()
	emu, err := New(Config{DataDir: dir, Now: c.Now, SigningKey: sharedKey(t)})
	if err != nil {
		t.Fatalf("New(DataDir) = %v", err)
	}
	if seed {
		if err := emu.Seed(demoSeed()); err != nil {
			t.Fatalf("Seed() = %v", err)
		}
	}
	srv := httptest.NewServer(emu)
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		srv.Close()
		if err := emu.Close(); err != nil {
			t.Errorf("Close() = %v", err)
		}
	}
	t.Cleanup(stop)
	return &harness{t: t, emu: emu, srv: srv, clock: c}, stop
}

func (h *harness) refresh(client, tok string) response {
	h.t.Helper()
	return h.call("InitiateAuth", m{"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client,
		"AuthParameters": m{"REFRESH_TOKEN": tok}}, false)
}

func (h *harness) storedRefreshRecords() int {
	h.t.Helper()
	n := 0
	if err := h.emu.store.view(func(t *txn) error {
		return t.scan(bucketRefresh, "", func(_, _ []byte) (bool, error) { n++; return true, nil })
	}); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// TestSignInStoresNoRefreshRecord: the refresh token carries its record,
// so sign-ins leave the store as it was, and each token still refreshes.
func TestSignInStoresNoRefreshRecord(t *testing.T) {
	h := demoHarness(t)
	var toks []string
	for range 5 {
		r := h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass})
		toks = append(toks, r.str("AuthenticationResult", "RefreshToken"))
	}
	toks = append(toks, h.srpSignIn(demoPool, demoClient, "bob", "Hunter2!Bob").str("AuthenticationResult", "RefreshToken"))
	if n := h.storedRefreshRecords(); n != 0 {
		t.Errorf("refresh records stored after 6 sign-ins = %d; want 0", n)
	}
	seen := map[string]bool{}
	for i, tok := range toks {
		if tok == "" || seen[tok] {
			t.Fatalf("sign-in %d gave refresh token %q (empty or repeated)", i, tok)
		}
		seen[tok] = true
		if got := h.refresh(demoClient, tok); got.status != http.StatusOK {
			t.Errorf("refresh with sign-in %d's token = %s %q; want tokens", i, got.errType(), got.message())
		}
	}
}

// TestSealedRefreshTokenRefused: a token changed anywhere, cut short, or
// sealed by another store is not a refresh token here.
func TestSealedRefreshTokenRefused(t *testing.T) {
	h := demoHarness(t)
	other := demoHarness(t)
	tok := h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}).str("AuthenticationResult", "RefreshToken")
	foreign := other.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}).str("AuthenticationResult", "RefreshToken")
	if strings.Count(tok, ".") != 4 {
		t.Fatalf("refresh token %q is not a compact JWE", tok)
	}
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	parts := strings.Split(tok, ".")
	ciphertextAt := len(parts[0]) + len(parts[1]) + len(parts[2]) + 3 + len(parts[3])/2
	tests := []struct{ name, tok string }{
		{"ciphertext changed", flip(tok, ciphertextAt)},
		{"tag changed", flip(tok, len(tok)-3)},
		{"header changed", flip(tok, 5)},
		{"cut short", tok[:len(tok)-10]},
		{"another store's token", foreign},
		{"too long", tok + strings.Repeat("A", maxRefreshTokenLen)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.refresh(demoClient, tt.tok)
			if got.errType() != "NotAuthorizedException" || got.message() != "Invalid Refresh Token" {
				t.Errorf("refresh(%s) = %d %s %q; want NotAuthorizedException %q", tt.name, got.status, got.errType(), got.message(), "Invalid Refresh Token")
			}
		})
	}
	if got := h.refresh(demoClient, tok); got.status != http.StatusOK {
		t.Errorf("refresh(untouched token) = %s %q; want tokens", got.errType(), got.message())
	}
}

// TestRefreshTokenSurvivesRestart: the sealing key is in the store, so a
// token works after the emulator restarts on the same data folder.
func TestRefreshTokenSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: time.Date(2026, 3, 7, 15, 4, 5, 0, time.UTC)}
	h, stop := storedHarness(t, dir, c, true)
	tok := h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}).str("AuthenticationResult", "RefreshToken")
	stop()
	h2, _ := storedHarness(t, dir, c, false)
	if got := h2.refresh(demoClient, tok); got.status != http.StatusOK {
		t.Errorf("refresh after restart = %s %q; want tokens", got.errType(), got.message())
	}
}

// TestStoredRefreshTokensPurged: tokens stored by earlier versions keep
// working until they expire, and opening the store removes the expired ones.
func TestStoredRefreshTokensPurged(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: time.Date(2026, 3, 7, 15, 4, 5, 0, time.UTC)}
	h, stop := storedHarness(t, dir, c, true)
	sub := h.verifyJWT(demoPool, h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}).str("AuthenticationResult", "IdToken"))["sub"].(string)
	const live, expired, corrupt = "old-live-token", "old-expired-token", "old-corrupt-token"
	err := h.emu.store.update(func(t *txn) error {
		for tok, exp := range map[string]time.Time{live: c.Now().Add(time.Hour), expired: c.Now().Add(-time.Second)} {
			rec := refreshRecord{PoolID: demoPool, ClientID: demoClient, Username: "alice", Sub: sub,
				OriginJTI: newUUID(), EventID: newUUID(), AuthTime: c.Now().Add(-time.Hour), Expires: exp}
			if err := t.put(bucketRefresh, refreshKey(tok), rec); err != nil {
				return err
			}
		}
		return t.tx.Bucket(bucketRefresh).Put([]byte(refreshKey(corrupt)), []byte("{not json"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.refresh(demoClient, live); got.status != http.StatusOK {
		t.Fatalf("refresh(stored live token) = %s %q; want tokens", got.errType(), got.message())
	}
	stop()

	h2, _ := storedHarness(t, dir, c, false)
	if n := h2.storedRefreshRecords(); n != 2 {
		t.Errorf("stored refresh records after reopening = %d; want 2 (the live one, and the unreadable one left for a person to see)", n)
	}
	if got := h2.refresh(demoClient, live); got.status != http.StatusOK {
		t.Errorf("refresh(stored live token) after reopening = %s %q; want tokens", got.errType(), got.message())
	}
	if got := h2.refresh(demoClient, expired); got.message() != "Invalid Refresh Token" {
		t.Errorf("refresh(purged token) = %s %q; want NotAuthorizedException %q", got.errType(), got.message(), "Invalid Refresh Token")
	}
	c.Advance(time.Hour)
	if got := h2.refresh(demoClient, live); got.message() != "Refresh Token has expired" {
		t.Errorf("refresh(stored token an hour on) = %s %q; want NotAuthorizedException %q", got.errType(), got.message(), "Refresh Token has expired")
	}
}

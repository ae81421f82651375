//go:build !(js && wasm)

package session

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/cognito-wasm/cognito-wasm/signin"
)

var bg = context.Background()

func errCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return fmt.Sprint(err)
}

func TestStoreWritesTheAWSLibrariesKeys(t *testing.T) {
	e := newEnv(t, plainApp)
	tok := e.signIn()
	last, _, _ := e.st.Get(bg, "CognitoIdentityServiceProvider."+plainApp+".LastAuthUser")
	if last != user {
		t.Fatalf("LastAuthUser = %q; want %q", last, user)
	}
	prefix := "CognitoIdentityServiceProvider." + plainApp + ".alice."
	for key, want := range map[string]string{
		prefix + "accessToken":   tok.AccessToken,
		prefix + "idToken":       tok.IdToken,
		prefix + "refreshToken":  tok.RefreshToken,
		prefix + "clockDrift":    "0", // the fake clocks agree, to the second
		prefix + "signInDetails": `{"loginId":"alice","authFlowType":"USER_PASSWORD_AUTH"}`,
	} {
		if got, ok, _ := e.st.Get(bg, key); !ok || got != want {
			t.Errorf("storage[%s] = %.20q (present %v); want %.20q", key, got, ok, want)
		}
	}
	if got := e.eventTypes(); !slices.Equal(got, []string{EventSignedIn}) {
		t.Errorf("events = %v; want [signedIn]", got)
	}
	if ev := e.events[0]; ev.Username != user || ev.UserID == "" {
		t.Errorf("signedIn event = %+v; want alice with her sub", ev)
	}
}

func TestCurrentUser(t *testing.T) {
	e := newEnv(t, plainApp)
	if _, err := e.m.CurrentUser(bg); !errors.Is(err, ErrUnauthenticated) || errCode(err) != CodeUnauthenticated {
		t.Fatalf("CurrentUser signed out = %v; want %s", err, CodeUnauthenticated)
	}
	tok := e.signIn()
	u, err := e.m.CurrentUser(bg)
	if err != nil {
		t.Fatalf("CurrentUser = %v", err)
	}
	id, _ := parseJWT(tok.IdToken)
	if u.Username != user || u.UserID != id.Sub || u.UserID == "" || u.SignInDetails == nil || u.SignInDetails.LoginID != user {
		t.Errorf("CurrentUser = %+v (details %+v); want alice, sub %s, loginId alice", u, u.SignInDetails, id.Sub)
	}
}

func TestFreshKeepsValidTokensAndRefreshesBeforeExpiry(t *testing.T) {
	e := newEnv(t, plainApp)
	tok := e.signIn()
	e.clk.advance(58 * time.Minute) // 2 of 60 minutes left: still fresh
	got, err := e.m.Fresh(bg, false)
	if err != nil || got == nil || got.AccessToken.Raw != tok.AccessToken {
		t.Fatalf("Fresh at 58 min = %v, %v; want the stored tokens", got, err)
	}
	if n := e.tr.count("GetTokensFromRefreshToken"); n != 0 {
		t.Fatalf("refreshes at 58 min = %d; want 0", n)
	}
	e.clk.advance(90 * time.Second) // 30 s left: inside RefreshBefore
	got, err = e.m.Fresh(bg, false)
	if err != nil || got == nil {
		t.Fatalf("Fresh at 59.5 min = %v, %v", got, err)
	}
	if n := e.tr.count("GetTokensFromRefreshToken"); n != 1 {
		t.Fatalf("refreshes at 59.5 min = %d; want 1", n)
	}
	if got.AccessToken.Raw == tok.AccessToken || e.stored(KeyAccessToken) != got.AccessToken.Raw {
		t.Errorf("access token not replaced in storage after refresh")
	}
	if e.stored(KeyRefreshToken) != tok.RefreshToken {
		t.Errorf("refresh token changed without rotation; want the old one kept")
	}
	if e.stored(KeySignInDetails) == "" {
		t.Errorf("signInDetails lost by the refresh")
	}
	if got := e.eventTypes(); !slices.Equal(got, []string{EventSignedIn, EventTokenRefresh}) {
		t.Errorf("events = %v; want [signedIn tokenRefresh]", got)
	}
}

func TestConcurrentCallersShareOneRefresh(t *testing.T) {
	e := newEnv(t, plainApp)
	e.signIn()
	e.tr.hold = make(chan struct{})
	var wg sync.WaitGroup
	got := make([]*Tokens, 2)
	errs := make([]error, 2)
	for i := range got {
		wg.Add(1)
		go func() { defer wg.Done(); got[i], errs[i] = e.m.Fresh(bg, true) }()
	}
	// Release the refresh once the second caller has joined it, or has
	// sent a refresh of its own (the failure this test is about).
	for {
		e.m.mu.Lock()
		joined := e.m.flight != nil && e.m.flight.joins == 1
		e.m.mu.Unlock()
		if joined || e.tr.count("GetTokensFromRefreshToken") == 2 {
			break
		}
		runtime.Gosched()
	}
	close(e.tr.hold)
	wg.Wait()
	for i := range got {
		if errs[i] != nil || got[i] == nil {
			t.Fatalf("Fresh #%d = %v, %v", i, got[i], errs[i])
		}
	}
	if got[0].AccessToken.Raw != got[1].AccessToken.Raw {
		t.Errorf("the two callers got different tokens")
	}
	if n := e.tr.count("GetTokensFromRefreshToken"); n != 1 {
		t.Errorf("GetTokensFromRefreshToken calls = %d; want 1", n)
	}
}

func TestRotationStoresTheNewRefreshToken(t *testing.T) {
	e := newEnv(t, rotatingApp)
	tok := e.signIn()
	if _, err := e.m.Fresh(bg, true); err != nil {
		t.Fatalf("Fresh = %v", err)
	}
	rotated := e.stored(KeyRefreshToken)
	if rotated == "" || rotated == tok.RefreshToken {
		t.Fatalf("stored refresh token after rotation is unchanged or empty")
	}
	if _, err := e.api.GetTokensFromRefreshToken(bg, tok.RefreshToken, ""); err == nil {
		t.Fatalf("the rotated-out refresh token still works")
	}
	if got, err := e.m.Fresh(bg, true); err != nil || got == nil {
		t.Fatalf("Fresh with the rotated token = %v, %v", got, err)
	}
	if e.stored(KeyRefreshToken) == rotated {
		t.Errorf("second rotation did not store a new refresh token")
	}
}

func TestClockDriftFromIat(t *testing.T) {
	e := newEnv(t, plainApp)
	e.clk.skew = -10 * time.Minute // the local clock is 10 minutes slow
	e.signIn()
	if d := e.stored(KeyClockDrift); d != "600000" {
		t.Fatalf("clockDrift = %q; want 600000 (ms, server ahead)", d)
	}
	// A new Manager over the same storage reads the drift back.
	m2, err := New(Config{ClientID: plainApp, Storage: e.st, API: e.api, Now: e.clk.local})
	if err != nil {
		t.Fatal(err)
	}
	e.clk.advance(50 * time.Minute) // server: 10 min left; local: 20 min left
	if _, err := m2.Fresh(bg, false); err != nil || e.tr.count("GetTokensFromRefreshToken") != 0 {
		t.Fatalf("Fresh with 10 min left = %v, refreshes %d; want none", err, e.tr.count("GetTokensFromRefreshToken"))
	}
	e.clk.advance(9*time.Minute + 30*time.Second) // server: 30 s left; local: 10.5 min left
	if got, err := m2.Fresh(bg, false); err != nil || got == nil {
		t.Fatalf("Fresh with 30 s left on the server = %v, %v", got, err)
	}
	if n := e.tr.count("GetTokensFromRefreshToken"); n != 1 {
		t.Errorf("refreshes = %d; want 1: the drift says the token is about to expire", n)
	}
}

func TestRevokedRefreshTokenEndsTheSession(t *testing.T) {
	e := newEnv(t, plainApp)
	tok := e.signIn()
	if err := e.api.RevokeToken(bg, tok.RefreshToken); err != nil {
		t.Fatalf("RevokeToken = %v", err)
	}
	got, err := e.m.Fresh(bg, true)
	if err != nil || got != nil {
		t.Fatalf("Fresh after revocation = %v, %v; want nil, nil (signed out)", got, err)
	}
	if _, ok, _ := e.st.Get(bg, LastAuthUserKey(plainApp)); ok || e.stored(KeyRefreshToken) != "" {
		t.Errorf("session still stored after a refused refresh")
	}
	types := e.eventTypes()
	if !slices.Equal(types, []string{EventSignedIn, EventTokenRefreshFailed}) {
		t.Fatalf("events = %v; want [signedIn tokenRefresh_failure]", types)
	}
	if c := errCode(e.events[1].Err); c != "NotAuthorizedException" {
		t.Errorf("tokenRefresh_failure error = %s; want NotAuthorizedException", c)
	}
	if _, err := e.m.AccessToken(bg); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("AccessToken after = %v; want ErrUnauthenticated", err)
	}
}

func TestRefreshFallsBackToRefreshTokenAuth(t *testing.T) {
	e := newEnv(t, plainApp)
	tok := e.signIn()
	e.tr.unknown["GetTokensFromRefreshToken"] = true
	for i := range 2 {
		got, err := e.m.Fresh(bg, true)
		if err != nil || got == nil || got.AccessToken.Raw == tok.AccessToken {
			t.Fatalf("Fresh #%d = %v, %v; want new tokens", i, got, err)
		}
	}
	if n := e.tr.count("GetTokensFromRefreshToken"); n != 1 {
		t.Errorf("GetTokensFromRefreshToken tries = %d; want 1 (remembered as unknown)", n)
	}
	if n := e.tr.count("InitiateAuth"); n != 3 {
		t.Errorf("InitiateAuth calls = %d; want 3 (sign-in and two REFRESH_TOKEN_AUTH)", n)
	}
	if e.stored(KeyRefreshToken) != tok.RefreshToken {
		t.Errorf("refresh token not kept after REFRESH_TOKEN_AUTH")
	}
}

func TestSignOutRevokesAndClears(t *testing.T) {
	e := newEnv(t, plainApp)
	tok := e.signIn()
	if err := e.m.SignOut(bg, false); err != nil {
		t.Fatalf("SignOut = %v", err)
	}
	if n := e.tr.count("RevokeToken"); n != 1 {
		t.Errorf("RevokeToken calls = %d; want 1", n)
	}
	if _, err := e.api.GetTokensFromRefreshToken(bg, tok.RefreshToken, ""); errCode(err) != "NotAuthorizedException" {
		t.Errorf("refresh with the signed-out token = %v; want NotAuthorizedException", err)
	}
	if _, ok, _ := e.st.Get(bg, LastAuthUserKey(plainApp)); ok || e.stored(KeyAccessToken) != "" {
		t.Errorf("storage not cleared")
	}
	if got := e.eventTypes(); !slices.Equal(got, []string{EventSignedIn, EventSignedOut}) || e.events[1].Err != nil {
		t.Errorf("events = %v (err %v); want [signedIn signedOut] without error", got, e.events[1].Err)
	}
}

// failingAPI fails the sign-out calls, as when offline.
type failingAPI struct{ TokenAPI }

var errOffline = errors.New("offline")

func (failingAPI) RevokeToken(context.Context, string) error   { return errOffline }
func (failingAPI) GlobalSignOut(context.Context, string) error { return errOffline }

func TestSignOutClearsEvenWhenTheCallFails(t *testing.T) {
	for _, global := range []bool{false, true} {
		t.Run(fmt.Sprint("global=", global), func(t *testing.T) {
			e := newEnv(t, plainApp)
			e.signIn()
			e.m.cfg.API = failingAPI{e.api}
			if err := e.m.SignOut(bg, global); err != nil {
				t.Fatalf("SignOut = %v; want nil (the session is cleared)", err)
			}
			if _, ok, _ := e.st.Get(bg, LastAuthUserKey(plainApp)); ok || e.stored(KeyRefreshToken) != "" {
				t.Errorf("storage not cleared")
			}
			if ev := e.events[len(e.events)-1]; ev.Type != EventSignedOut || !errors.Is(ev.Err, errOffline) || ev.Username != user {
				t.Errorf("last event = %+v; want signedOut for alice carrying the call's error", ev)
			}
		})
	}
}

func TestGlobalSignOut(t *testing.T) {
	e := newEnv(t, plainApp)
	tok := e.signIn()
	if err := e.m.SignOut(bg, true); err != nil {
		t.Fatalf("SignOut(global) = %v", err)
	}
	if n := e.tr.count("GlobalSignOut"); n != 1 {
		t.Errorf("GlobalSignOut calls = %d; want 1", n)
	}
	_, err := e.api.GetUser(bg, tok.AccessToken)
	if errCode(err) != "NotAuthorizedException" {
		t.Errorf("GetUser with the old access token = %v; want NotAuthorizedException", err)
	}
	if _, err := e.m.CurrentUser(bg); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("CurrentUser after = %v; want ErrUnauthenticated", err)
	}
}

// TestIdentityJSSession reads a session as amazon-cognito-identity-js
// writes it (no signInDetails, drift in its own format).
func TestIdentityJSSession(t *testing.T) {
	e := newEnv(t, plainApp)
	e.clk.skew = 10 * time.Minute // the local clock is 10 minutes fast
	tok := e.signIn()
	st := NewMemoryStorage()
	p := "CognitoIdentityServiceProvider." + plainApp + "."
	// identity-js's clockDrift: seconds, local now minus iat.
	for k, v := range map[string]string{p + "LastAuthUser": user, p + "alice.idToken": tok.IdToken,
		p + "alice.accessToken": tok.AccessToken, p + "alice.refreshToken": tok.RefreshToken, p + "alice.clockDrift": "600"} {
		st.Set(bg, k, v)
	}
	m, err := New(Config{ClientID: plainApp, Storage: st, API: e.api, Now: e.clk.local})
	if err != nil {
		t.Fatal(err)
	}
	u, err := m.CurrentUser(bg)
	if err != nil || u.Username != user {
		t.Fatalf("CurrentUser = %+v, %v; want alice", u, err)
	}
	// Read as Amplify reads it: 600 ms, i.e. no drift, so the tokens are
	// judged by the local clock (which only refreshes early here).
	if got, err := m.Fresh(bg, false); err != nil || got == nil || got.ClockDrift != 600*time.Millisecond || got.AccessToken.Raw != tok.AccessToken {
		t.Fatalf("Fresh = %+v, %v; want the stored tokens with a drift of 600ms", got, err)
	}
	if got, err := m.Fresh(bg, true); err != nil || got == nil || got.AccessToken.Raw == tok.AccessToken {
		t.Fatalf("Fresh(force) = %v, %v; want refreshed tokens", got, err)
	}
	// The refresh writes Amplify's form: ms, iat minus local now.
	if d, _, _ := st.Get(bg, p+"alice.clockDrift"); d != "-600000" {
		t.Errorf("clockDrift after the refresh = %q; want -600000", d)
	}
}

// brokenStorage fails every call naming key parts that contain fail.
type brokenStorage struct {
	*MemoryStorage
	fail string
}

var errQuota = errors.New("quota exceeded")

func (b brokenStorage) Get(ctx context.Context, k string) (string, bool, error) {
	if strings.Contains(k, b.fail) {
		return "", false, errQuota
	}
	return b.MemoryStorage.Get(ctx, k)
}

func (b brokenStorage) Set(ctx context.Context, k, v string) error {
	if strings.Contains(k, b.fail) {
		return errQuota
	}
	return b.MemoryStorage.Set(ctx, k, v)
}

func TestStorageFailuresAreReturned(t *testing.T) {
	e := newEnv(t, plainApp)
	tok := e.signIn()
	m, _ := New(Config{ClientID: plainApp, Storage: brokenStorage{NewMemoryStorage(), "refreshToken"}, API: e.api, Now: e.clk.local,
		OnEvent: func(ev Event) { t.Errorf("event %s after a failed store", ev.Type) }})
	if _, err := m.Store(bg, tok, nil); !errors.Is(err, errQuota) {
		t.Errorf("Store = %v; want the storage's error", err)
	}
	m2, _ := New(Config{ClientID: plainApp, Storage: brokenStorage{e.st, "LastAuthUser"}, API: e.api, Now: e.clk.local})
	if _, err := m2.Fresh(bg, false); !errors.Is(err, errQuota) {
		t.Errorf("Fresh = %v; want the storage's error", err)
	}
}

func TestSignInReplacesAnotherUsersSession(t *testing.T) {
	e := newEnv(t, plainApp)
	e.st.Set(bg, LastAuthUserKey(plainApp), "bob")
	e.st.Set(bg, UserKey(plainApp, "bob", KeyRefreshToken), "bobs-token")
	e.st.Set(bg, UserKey(plainApp, "bob", KeyDeviceKey), "bobs-device")
	e.signIn()
	if _, ok, _ := e.st.Get(bg, UserKey(plainApp, "bob", KeyRefreshToken)); ok {
		t.Errorf("bob's refresh token left behind")
	}
	if _, ok, _ := e.st.Get(bg, UserKey(plainApp, "bob", KeyDeviceKey)); !ok {
		t.Errorf("bob's device key removed; a remembered device outlives the session")
	}
}

// offlineRefresh fails refreshes as a network would.
type offlineRefresh struct{ TokenAPI }

func (offlineRefresh) GetTokensFromRefreshToken(context.Context, string, string) (*signin.Tokens, error) {
	return nil, errOffline
}

func TestRefreshFailureThatIsNotTheSessionsEndKeepsIt(t *testing.T) {
	e := newEnv(t, plainApp)
	tok := e.signIn()
	e.m.cfg.API = offlineRefresh{e.api}
	if got, err := e.m.Fresh(bg, true); !errors.Is(err, errOffline) || got != nil {
		t.Fatalf("Fresh offline = %v, %v; want the network's error", got, err)
	}
	if e.stored(KeyRefreshToken) != tok.RefreshToken {
		t.Errorf("session cleared after a network failure; want it kept for a retry")
	}
	if ev := e.events[len(e.events)-1]; ev.Type != EventTokenRefreshFailed || !errors.Is(ev.Err, errOffline) {
		t.Errorf("last event = %+v; want tokenRefresh_failure with the error", ev)
	}
	e.m.cfg.API = e.api
	if got, err := e.m.Fresh(bg, true); err != nil || got == nil {
		t.Errorf("Fresh back online = %v, %v; want refreshed tokens", got, err)
	}
}

func TestForgetClearsWithoutCallingCognito(t *testing.T) {
	e := newEnv(t, plainApp)
	tok := e.signIn()
	if err := e.m.Forget(bg); err != nil {
		t.Fatalf("Forget = %v", err)
	}
	if n := e.tr.count("RevokeToken") + e.tr.count("GlobalSignOut"); n != 0 {
		t.Errorf("Forget called Cognito %d times; want none", n)
	}
	if _, err := e.m.AccessToken(bg); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("AccessToken after Forget = %v; want ErrUnauthenticated", err)
	}
	if ev := e.events[len(e.events)-1]; ev.Type != EventSignedOut || ev.Username != user {
		t.Errorf("last event = %+v; want signedOut for alice", ev)
	}
	// The refresh token itself was not revoked.
	if _, err := e.api.GetTokensFromRefreshToken(bg, tok.RefreshToken, ""); err != nil {
		t.Errorf("refresh token after Forget = %v; want still valid (Forget is local)", err)
	}
}

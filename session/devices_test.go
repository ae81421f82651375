//go:build !(js && wasm)

package session

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/account"
	"github.com/cognito-wasm/cognito-wasm/emulator"
	"github.com/cognito-wasm/cognito-wasm/signin"
)

const devPool = "us-east-1_SessionDevice1"

// newDeviceEnv is an "Always remember" pool (every confirmed device is
// remembered and proven on each sign-in) with refresh tokens bound to the
// device, and a Manager over memory storage.
func newDeviceEnv(t *testing.T) (*env, *signin.Client) {
	t.Helper()
	em, err := emulator.New(emulator.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() })
	err = em.Seed(emulator.Seed{UserPools: []emulator.SeedPool{{ID: devPool, Name: "devices",
		AliasAttributes: []string{"email"}, DeviceConfiguration: &emulator.SeedDeviceConfiguration{},
		Clients: []emulator.SeedClient{{ID: plainApp, Name: "plain", ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}},
		Users:   []emulator.SeedUser{{Username: user, Password: password, Attributes: map[string]string{"email": "alice@example.com", "email_verified": "true"}}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, tr: &transport{em: em, n: map[string]int{}, unknown: map[string]bool{}}, st: NewMemoryStorage()}
	c, err := signin.New(signin.Config{UserPoolID: devPool, ClientID: plainApp, Endpoint: endpoint, HTTPClient: e.tr})
	if err != nil {
		t.Fatal(err)
	}
	if e.api, err = account.New(account.Config{UserPoolID: devPool, ClientID: plainApp, Endpoint: endpoint, HTTPClient: e.tr}); err != nil {
		t.Fatal(err)
	}
	if e.m, err = New(Config{ClientID: plainApp, Storage: e.st, API: e.api, Initiate: c}); err != nil {
		t.Fatal(err)
	}
	return e, c
}

func (e *env) keys() []string {
	e.st.mu.Lock()
	defer e.st.mu.Unlock()
	var out []string
	for k := range e.st.m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestDevicesInStorage: the engine keeps the device it confirms under the
// key names of amazon-cognito-identity-js and Amplify, by username even
// when an alias was typed; the refresh names the device (the emulator binds
// refresh tokens to it); sign-out leaves the device, which the next
// sign-in proves instead of confirming a new one.
func TestDevicesInStorage(t *testing.T) {
	e, c := newDeviceEnv(t)
	ctx := context.Background()
	signIn := func(name string) *signin.Tokens {
		t.Helper()
		res, err := c.SignIn(ctx, signin.SignInInput{Username: name, Password: password, Devices: e.m.Devices(), DeviceName: "Go test"})
		if err != nil || !res.IsSignedIn {
			t.Fatalf("SignIn(%s) = %+v, %v", name, res, err)
		}
		if _, err := e.m.Store(ctx, res.Tokens, nil); err != nil {
			t.Fatal(err)
		}
		return res.Tokens
	}
	tok := signIn("alice@example.com")
	if tok.NewDeviceMetadata == nil {
		t.Fatal("no NewDeviceMetadata in a device-tracking pool")
	}
	prefix := KeyPrefix + "." + plainApp + "."
	for _, name := range []string{"deviceKey", "deviceGroupKey", "randomPasswordKey"} {
		if v, ok, _ := e.st.Get(ctx, prefix+"alice."+name); !ok || v == "" {
			t.Errorf("%salice.%s not stored (keys %v)", prefix, name, e.keys())
		}
	}
	for _, k := range e.keys() {
		if strings.Contains(k, "@") {
			t.Errorf("key %s names the alias typed", k)
		}
	}
	if got, _, _ := e.st.Get(ctx, prefix+"alice.deviceKey"); got != tok.NewDeviceMetadata.DeviceKey {
		t.Errorf("deviceKey = %q; want %q", got, tok.NewDeviceMetadata.DeviceKey)
	}

	// The refresh sends the device key; without it the emulator (as
	// Cognito) refuses a refresh token bound to a device.
	if tk, err := e.m.Fresh(ctx, true); err != nil || tk == nil || e.tr.count("GetTokensFromRefreshToken") != 1 {
		t.Fatalf("Fresh(force) = %v, %v after %d refreshes; want refreshed once", tk, err, e.tr.count("GetTokensFromRefreshToken"))
	}

	// Sign out: the device stays and the next sign-in proves it.
	if err := e.m.SignOut(ctx, false); err != nil {
		t.Fatal(err)
	}
	if u, at, d, err := e.m.CurrentDevice(ctx); !errors.Is(err, ErrUnauthenticated) || u != "" || at != "" || d != nil {
		t.Errorf("CurrentDevice signed out = %q, %v, %v; want ErrUnauthenticated", u, d, err)
	}
	if d, _ := e.m.Devices().Device(ctx, user); d == nil || d.Key != tok.NewDeviceMetadata.DeviceKey {
		t.Fatalf("device after sign-out = %+v; want it kept", d)
	}
	confirms, answers := e.tr.count("ConfirmDevice"), e.tr.count("RespondToAuthChallenge")
	tok2 := signIn(user)
	if tok2.NewDeviceMetadata != nil || e.tr.count("ConfirmDevice") != confirms || e.tr.count("RespondToAuthChallenge")-answers != 3 {
		t.Errorf("second sign-in: new device %v, %d ConfirmDevice, %d answers; want the kept device proven (PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER)",
			tok2.NewDeviceMetadata, e.tr.count("ConfirmDevice")-confirms, e.tr.count("RespondToAuthChallenge")-answers)
	}
	u, at, d, err := e.m.CurrentDevice(ctx)
	if err != nil || u != user || at != tok2.AccessToken || d == nil || d.Key != tok.NewDeviceMetadata.DeviceKey {
		t.Errorf("CurrentDevice = %q, %v, %v; want alice's device and her access token", u, d, err)
	}

	// A refresh without the device key is refused: the key is what made
	// the first one work.
	e.st.Remove(ctx, prefix+"alice.deviceKey")
	if tk, err := e.m.Fresh(ctx, true); err != nil || tk != nil {
		t.Errorf("Fresh(force) without the device key = %v, %v; want the session over", tk, err)
	}
	if d, _ := e.m.Devices().Device(ctx, user); d != nil {
		t.Errorf("Device with deviceKey removed = %+v; want nil (all three values or none)", d)
	}
	if err := e.m.Devices().ForgetDevice(ctx, user); err != nil {
		t.Fatal(err)
	}
	for _, k := range e.keys() {
		if strings.Contains(k, "device") || strings.Contains(k, "randomPassword") {
			t.Errorf("%s left after ForgetDevice", k)
		}
	}
}

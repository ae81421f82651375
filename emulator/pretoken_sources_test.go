package emulator

import (
	"net/http/httptest"
	"testing"
	"time"
)

// TestPreTokenGenerationAuthenticateDevice: a sign-in that ends with a
// remembered device's proof (DEVICE_PASSWORD_VERIFIER) is
// TokenGeneration_AuthenticateDevice, as Cognito calls it; the sign-in
// that handed the device out was TokenGeneration_Authentication, and a
// refresh is TokenGeneration_RefreshTokens.
func TestPreTokenGenerationAuthenticateDevice(t *testing.T) {
	fl := &fakeLambda{fns: map[string]triggerFunc{}}
	ls := httptest.NewServer(fl)
	t.Cleanup(ls.Close)
	c := &clock{t: time.Date(2026, 3, 7, 15, 4, 5, 0, time.UTC)}
	emu, err := New(Config{Now: c.Now, SigningKey: sharedKey(t), LambdaEndpoint: ls.URL})
	if err != nil {
		t.Fatal(err)
	}
	seed := deviceSeed(promptConfig)
	seed.UserPools[0].LambdaConfig = &SeedLambdaConfig{PreTokenGeneration: lambdaARN + "pretoken"}
	if err := emu.Seed(seed); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(func() { srv.Close(); _ = emu.Close() })
	h := &harness{t: t, emu: emu, srv: srv, clock: c}
	fl.set("pretoken", func(ev map[string]any) (map[string]any, string) {
		return map[string]any{"claimsOverrideDetails": map[string]any{
			"claimsToAddOrOverride": map[string]any{"source": ev["triggerSource"]}}}, ""
	})
	source := func(r response) any {
		t.Helper()
		h.wantTokens(r)
		return h.verifyJWT(devPool, r.str("AuthenticationResult", "IdToken"))["source"]
	}

	done := h.emailMFA(h.passwordStep("dana", ""), "dana", "dana@example.com")
	if got := source(done); got != "TokenGeneration_Authentication" {
		t.Errorf("first sign-in's trigger source = %v", got)
	}
	dev, r := h.confirm(done)
	wantOK(t, "ConfirmDevice", r)
	wantOK(t, "UpdateDeviceStatus", h.call("UpdateDeviceStatus", m{"AccessToken": done.str("AuthenticationResult", "AccessToken"),
		"DeviceKey": dev.key, "DeviceRememberedStatus": "remembered"}, false))
	fin := h.deviceSRP(h.passwordStep("dana", dev.key), "dana", dev)
	if got := source(fin); got != "TokenGeneration_AuthenticateDevice" {
		t.Errorf("device sign-in's trigger source = %v; want TokenGeneration_AuthenticateDevice", got)
	}
	ref := h.call("InitiateAuth", m{"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": devClient, "AuthParameters": m{
		"REFRESH_TOKEN": fin.str("AuthenticationResult", "RefreshToken"), "DEVICE_KEY": dev.key}}, false)
	if got := source(ref); got != "TokenGeneration_RefreshTokens" {
		t.Errorf("refresh's trigger source = %v", got)
	}
}

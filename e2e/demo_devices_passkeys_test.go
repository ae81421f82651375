package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cognito-wasm/cognito-wasm/emulator"
)

// The demo's devices-and-passkeys pool (demo/seed.json): SMS MFA, devices
// remembered on the user's prompt, passkeys for the relying party
// "localhost". The tests' own users, so the demo's dana and piper stay as
// a developer finds them.
const (
	poolDevices     = "us-east-1_cwDemo004"
	pageDevUser     = "page-dev"
	pagePasskeyUser = "page-passkey"
	pageDevPassword = "Page-Passw0rd!dev"
)

func demoDevicesSeed() emulator.Seed {
	return emulator.Seed{UserPools: []emulator.SeedPool{{ID: poolDevices, Users: []emulator.SeedUser{
		{Username: pageDevUser, Password: pageDevPassword, MFA: &emulator.SeedUserMFA{SMS: true, Preferred: "SMS_MFA"},
			Attributes: map[string]string{"email": "page-dev@example.com", "email_verified": "true",
				"phone_number": "+15555550199", "phone_number_verified": "true"}},
		{Username: pagePasskeyUser, Password: pageDevPassword,
			Attributes: map[string]string{"email": "page-passkey@example.com", "email_verified": "true"}},
	}}}}
}

// listed is what a list of the account page shows: its rows' data
// attribute key, and whether its "none" line is shown.
func (p *page) listed(table, key string) (values []string, none bool) {
	p.t.Helper()
	raw := p.eval(fmt.Sprintf(`JSON.stringify({v: [...document.querySelectorAll("#%s tbody tr")].map((r) => r.dataset[%q]),
		none: !document.getElementById("%s-none").hidden})`, table, key, table))
	var v struct {
		V    []string
		None bool
	}
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		p.t.Fatalf("list #%s: %q: %v", table, raw, err)
	}
	return v.V, v.None
}

// challengesAnswered lists the ChallengeName of each RespondToAuthChallenge
// the tab sent since request number from.
func (p *page) challengesAnswered(from int) []string {
	var out []string
	for _, r := range p.sent()[from:] {
		var b struct{ ChallengeName string }
		if json.Unmarshal([]byte(r.Body), &b) == nil && b.ChallengeName != "" {
			out = append(out, b.ChallengeName)
		}
	}
	return out
}

// TestDemoRememberDevice: on the demo page, a user with SMS MFA signs in
// with the code, remembers the device on the account page, signs out and in
// again without being asked (DEVICE_SRP_AUTH), forgets the device from the
// list and is asked for the code again.
func TestDemoRememberDevice(t *testing.T) {
	p := openFreshPage(t)
	p.usePool(poolDevices)

	p.wantStep(p.signIn(pageDevUser, pageDevPassword, "USER_SRP_AUTH"), "CONFIRM_SIGN_IN_WITH_SMS_CODE")
	code, _ := p.outboxCode()
	p.wantSignedInAs(p.answer(map[string]string{"code": code}), pageDevUser)
	// The device is confirmed, not remembered: ListDevices lists remembered ones.
	if devices, none := p.listed("devices", "status"); len(devices) != 0 || !none {
		t.Fatalf("after the first sign-in the device list shows statuses %v (none line shown: %v); want none remembered", devices, none)
	}

	p.want(p.click("remember-device"), "device-remembered:ok")
	p.inView("devices-result")
	if devices, _ := p.listed("devices", "status"); len(devices) != 1 || devices[0] != "remembered" {
		t.Fatalf("after Remember this device the list shows statuses %v; want one device, remembered", devices)
	}
	keys, _ := p.listed("devices", "device")
	if here, _ := p.listed("devices", "here"); len(here) != 1 || here[0] != "true" {
		t.Errorf("the remembered device is marked this browser's: %v; want [true] (the access token's device_key)", here)
	}

	p.want(p.click("signout"), "signedOut:ok")
	from := len(p.sent())
	p.wantSignedInAs(p.signIn(pageDevUser, pageDevPassword, "USER_SRP_AUTH"), pageDevUser)
	if got := strings.Join(p.challengesAnswered(from), ","); got != "PASSWORD_VERIFIER,DEVICE_SRP_AUTH,DEVICE_PASSWORD_VERIFIER" {
		t.Errorf("sign-in on the remembered device answered %s; want PASSWORD_VERIFIER,DEVICE_SRP_AUTH,DEVICE_PASSWORD_VERIFIER (no SMS code)", got)
	}

	p.want(p.settle(fmt.Sprintf(`document.querySelector('#devices button[data-forget=%q]').click()`, keys[0])), "device-forgotten:ok")
	p.inView("devices-result")
	if left, none := p.listed("devices", "device"); len(left) != 0 || !none {
		t.Errorf("after Forget the list shows %v (none line shown: %v); want no device", left, none)
	}
	p.want(p.click("signout"), "signedOut:ok")
	p.wantStep(p.signIn(pageDevUser, pageDevPassword, "USER_SRP_AUTH"), "CONFIRM_SIGN_IN_WITH_SMS_CODE")
}

// TestDemoPasskey: on the demo page opened at its localhost address, with a
// virtual authenticator, a user adds a passkey on the account page, signs
// out, signs in with "Sign in with a passkey" (no password) and by choosing
// it at the first-factor prompt, sees it listed, deletes it, and the passkey
// no longer signs in. At 127.0.0.1 the page explains why it cannot be used.
func TestDemoPasskey(t *testing.T) {
	url := strings.Replace(env.pageURL, "127.0.0.1", "localhost", 1)
	p := openPageWithin(t, url, 120*time.Second, chromedp.WithNewBrowserContext())
	addAuthenticator(t, p.ctx)
	p.usePool(poolDevices)

	p.wantSignedInAs(p.signIn(pagePasskeyUser, pageDevPassword, "USER_SRP_AUTH"), pagePasskeyUser)
	if creds, none := p.listed("passkeys", "credential"); len(creds) != 0 || !none {
		t.Fatalf("before adding one, the passkey list shows %v (none line shown: %v); want none", creds, none)
	}
	p.want(p.click("add-passkey"), "passkey-added:ok")
	p.inView("passkeys-result")
	creds, _ := p.listed("passkeys", "credential")
	if len(creds) != 1 || creds[0] == "" {
		t.Fatalf("after Add a passkey the list shows %v; want one passkey", creds)
	}

	p.want(p.click("signout"), "signedOut:ok")
	passkeySignIn := func() string {
		p.fill(map[string]string{"username": pagePasskeyUser, "password": ""})
		out := p.click("signin-passkey")
		p.checkInView(out)
		return out
	}
	from := len(p.sent())
	p.wantSignedInAs(passkeySignIn(), pagePasskeyUser)
	if got := strings.Join(p.challengesAnswered(from), ","); got != "WEB_AUTHN" {
		t.Errorf("the passkey sign-in answered %q; want WEB_AUTHN alone", got)
	}
	for _, r := range p.sent()[from:] {
		if strings.Contains(r.Body, pageDevPassword) || strings.Contains(r.Body, "SRP_A") {
			t.Errorf("the passkey sign-in sent a password or SRP: %.200s", r.Body)
		}
	}
	if again, _ := p.listed("passkeys", "credential"); len(again) != 1 || again[0] != creds[0] {
		t.Errorf("signed in with the passkey, the list shows %v; want %v", again, creds)
	}

	// Chosen at the first-factor prompt, the passkey signs in too.
	p.want(p.click("signout"), "signedOut:ok")
	p.wantStep(p.signIn(pagePasskeyUser, "", "USER_AUTH"), "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION")
	p.wantSignedInAs(p.choose("WEB_AUTHN"), pagePasskeyUser)

	// At 127.0.0.1 the browser refuses the relying party "localhost": the
	// page says so, naming the address to open.
	other := openFreshPage(t)
	other.usePool(poolDevices)
	other.fill(map[string]string{"username": pagePasskeyUser, "password": ""})
	out := other.click("signin-passkey")
	other.checkInView(out)
	if msg := other.resultError(); out != "error" || !strings.Contains(msg, "RelyingPartyMismatch") || !strings.Contains(msg, "localhost address") {
		t.Errorf("passkey sign-in at 127.0.0.1: outcome %q, error %q; want RelyingPartyMismatch in words naming the localhost address", out, msg)
	}

	p.want(p.settle(fmt.Sprintf(`document.querySelector('#passkeys button[data-delete-passkey=%q]').click()`, creds[0])), "passkey-deleted:ok")
	p.inView("passkeys-result")
	if left, none := p.listed("passkeys", "credential"); len(left) != 0 || !none {
		t.Errorf("after Delete the passkey list shows %v (none line shown: %v); want none", left, none)
	}
	// The authenticator still holds it, but the user has no passkey left:
	// Cognito offers the other first factors instead.
	p.want(p.click("signout"), "signedOut:ok")
	p.wantStep(passkeySignIn(), "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION")
	if got := p.choices(); slices.Contains(got, "WEB_AUTHN") || !slices.Contains(got, "PASSWORD_SRP") {
		t.Errorf("after the passkey is deleted, the sign-in offers %v; want the password, no passkey", got)
	}
}

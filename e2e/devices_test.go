package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cognito-wasm/cognito-wasm/emulator"
)

// The remembered-devices pool: MFA by SMS (codes from the outbox), device
// tracking with "remember on the user's prompt" and the device's proof in
// place of MFA (ChallengeRequiredOnNewDevice), as Cognito's console sets it.
const (
	devPool     = "us-east-1_cwE2EDevic01"
	devClient   = "cwe2edeviceclient0000001"
	devPassword = "Passw0rd!Device"
)

// Each test has its own users, so that no test sees another's devices.
var devUsers = []string{"dev-ann", "dev-bob", "dev-cat", "dev-dan", "dev-eve"}

func devicesSeed() emulator.Seed {
	p := emulator.SeedPool{ID: devPool, Name: "e2e-devices", MfaConfiguration: "OPTIONAL", EnabledMfas: []string{"SMS_MFA"},
		DeviceConfiguration: &emulator.SeedDeviceConfiguration{ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true},
		Clients: []emulator.SeedClient{{ID: devClient, Name: "devices-web",
			ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}}}
	for i, u := range devUsers {
		p.Users = append(p.Users, emulator.SeedUser{Username: u, Password: devPassword, MFA: &emulator.SeedUserMFA{SMS: true},
			Attributes: map[string]string{"email": u + "@example.com", "email_verified": "true",
				"phone_number": fmt.Sprintf("+1555555%04d", i), "phone_number_verified": "true"}})
	}
	return emulator.Seed{UserPools: []emulator.SeedPool{p}}
}

// openDevicePage opens a blank page that loads the built module from
// /dist/, in a browser context of its own (its own localStorage). The tests
// drive createAuth from page scripts; the demo's UI is not involved.
func openDevicePage(t *testing.T) *page {
	t.Helper()
	url := serveBlankPage(t, `<!doctype html><title>devices</title><body data-ready="true">devices</body>`)
	return openPageWithin(t, url+"/", 120*time.Second, chromedp.WithNewBrowserContext())
}

// devJS runs body (an async function body with auth in scope: the page's
// createAuth over localStorage, made once per page load) and decodes the
// JSON it returns into out.
func (p *page) devJS(body string, out any) {
	p.t.Helper()
	raw := p.eval(fmt.Sprintf(`(async () => {
		const mod = await import("/dist/cognito-wasm.js");
		const auth = globalThis.__auth || (globalThis.__auth = await mod.createAuth({userPoolId: %q, clientId: %q, endpoint: %q, storage: "localStorage"}));
		const fail = async (p) => { try { await p; return "resolved"; } catch (e) { return e.name + ": " + e.message; } };
		%s
	})()`, devPool, devClient, env.endpoint, body))
	if err := json.Unmarshal([]byte(raw), out); err != nil {
		p.t.Fatalf("page answered %q: %v", raw, err)
	}
}

// devSignIn is one sign-in of user as the page runs it.
type devSignIn struct {
	Step      string // signIn's nextStep.signInStep
	Confirmed string // confirmSignIn's, when an MFA code was asked
	DeviceKey string // the access token's device_key
	Username  string // getCurrentUser's
	// The requests of this sign-in, by the ChallengeName they answered.
	DeviceSRP, DeviceVerifier int
	// DeviceKeysSent are the DEVICE_KEY values this sign-in sent.
	DeviceKeysSent []string
	Codes          int // SMS codes the outbox got during it
}

// countSent counts, in the requests a sign-in sent, the answers to
// DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER and the DEVICE_KEY values.
func (s *devSignIn) countSent(reqs []request) {
	for _, r := range reqs {
		var b struct {
			ChallengeName      string
			AuthParameters     map[string]string
			ChallengeResponses map[string]string
		}
		if json.Unmarshal([]byte(r.Body), &b) != nil {
			continue
		}
		switch b.ChallengeName {
		case "DEVICE_SRP_AUTH":
			s.DeviceSRP++
		case "DEVICE_PASSWORD_VERIFIER":
			s.DeviceVerifier++
		}
		for _, m := range []map[string]string{b.AuthParameters, b.ChallengeResponses} {
			if k := m["DEVICE_KEY"]; k != "" {
				s.DeviceKeysSent = append(s.DeviceKeysSent, k)
			}
		}
	}
}

func (s devSignIn) askedMFA() bool { return s.Step == "CONFIRM_SIGN_IN_WITH_SMS_CODE" }

// signInDevice signs user in with the password and, when asked, the SMS
// code from the emulator's outbox.
func (p *page) signInDevice(user string) devSignIn {
	p.t.Helper()
	sentBefore, codesBefore := len(p.sent()), len(outbox(p.t, user))
	var s devSignIn
	var res struct {
		Step     string
		SignedIn bool
	}
	p.devJS(fmt.Sprintf(`const r = await auth.signIn({username: %q, password: %q});
		return JSON.stringify({Step: r.nextStep.signInStep, SignedIn: r.isSignedIn});`, user, devPassword), &res)
	s.Step = res.Step
	if res.Step == "CONFIRM_SIGN_IN_WITH_SMS_CODE" {
		msgs := outbox(p.t, user)
		if len(msgs) == codesBefore {
			p.t.Fatalf("%s was asked for an SMS code, but the outbox got none", user)
		}
		p.devJS(fmt.Sprintf(`const r = await auth.confirmSignIn({challengeResponse: %q});
			return JSON.stringify({Step: r.nextStep.signInStep, SignedIn: r.isSignedIn});`, msgs[len(msgs)-1].Code), &res)
		s.Confirmed = res.Step
	}
	if !res.SignedIn || res.Step != "DONE" {
		p.t.Fatalf("sign-in of %s ended at %q (signed in %v); want DONE", user, res.Step, res.SignedIn)
	}
	var tok struct{ DeviceKey, Username string }
	p.devJS(`const s = await auth.fetchAuthSession();
		return JSON.stringify({DeviceKey: s.tokens.accessToken.payload.device_key || "", Username: (await auth.getCurrentUser()).username});`, &tok)
	s.DeviceKey, s.Username = tok.DeviceKey, tok.Username
	s.Codes = len(outbox(p.t, user)) - codesBefore
	s.countSent(p.sent()[sentBefore:])
	if s.Username != user {
		p.t.Errorf("getCurrentUser().username = %q; want %s", s.Username, user)
	}
	return s
}

// signOutDevice signs out on this device (RevokeToken).
func (p *page) signOutDevice() {
	p.t.Helper()
	var ok struct{ Out string }
	p.devJS(`return JSON.stringify({Out: await fail(auth.signOut())});`, &ok)
	if ok.Out != "resolved" {
		p.t.Fatalf("signOut = %s", ok.Out)
	}
}

// kept is the device this browser keeps for user in localStorage, under
// identity-js's and Amplify's key names.
type kept struct{ Key, Group, Password string }

// String shows a kept device without its password (a secret).
func (k kept) String() string {
	return fmt.Sprintf("{key %q, group key %q, password set: %v}", k.Key, k.Group, k.Password != "")
}

func (p *page) keptDevice(user string) kept {
	p.t.Helper()
	return kept{p.stored(storageKey(devClient, user, "deviceKey")), p.stored(storageKey(devClient, user, "deviceGroupKey")),
		p.stored(storageKey(devClient, user, "randomPasswordKey"))}
}

func (p *page) keepDevice(user string, d kept) {
	p.t.Helper()
	p.eval(fmt.Sprintf(`localStorage.setItem(%q, %q); localStorage.setItem(%q, %q); localStorage.setItem(%q, %q); ""`,
		storageKey(devClient, user, "deviceKey"), d.Key, storageKey(devClient, user, "deviceGroupKey"), d.Group,
		storageKey(devClient, user, "randomPasswordKey"), d.Password))
}

type outboxMsg struct{ Code, Medium string }

// outbox lists the codes the emulator "sent" to user in the devices pool.
func outbox(t *testing.T, user string) []outboxMsg {
	t.Helper()
	res, err := http.Get(env.endpoint + "/_dev/outbox?userPoolId=" + devPool + "&username=" + user)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var msgs []outboxMsg
	if err := json.NewDecoder(res.Body).Decode(&msgs); err != nil {
		t.Fatalf("outbox: %v", err)
	}
	return msgs
}

// serverDevices is AdminListDevices for user: device key -> remembered status.
func serverDevices(t *testing.T, user string) map[string]string {
	t.Helper()
	raw, _ := json.Marshal(map[string]any{"UserPoolId": devPool, "Username": user, "Limit": 60})
	req, _ := http.NewRequest(http.MethodPost, env.endpoint+"/", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminListDevices")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("AdminListDevices(%s) = %d %s", user, res.StatusCode, data)
	}
	var out struct {
		Devices []struct {
			DeviceKey        string
			DeviceAttributes []struct{ Name, Value string }
		}
	}
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	devs := map[string]string{}
	for _, d := range out.Devices {
		devs[d.DeviceKey] = ""
		for _, a := range d.DeviceAttributes {
			if a.Name == "dev:device_remembered_status" {
				devs[d.DeviceKey] = a.Value
			}
		}
	}
	return devs
}

// wantDeviceSignIn checks a sign-in that a remembered device spared MFA:
// no code, the device proven by DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER,
// the tokens bound to the device.
func wantDeviceSignIn(t *testing.T, what string, s devSignIn, device string) {
	t.Helper()
	if s.Step != "DONE" || s.Codes != 0 {
		t.Errorf("%s: step %q, %d SMS codes sent; want DONE with no MFA", what, s.Step, s.Codes)
	}
	if s.DeviceSRP != 1 || s.DeviceVerifier != 1 {
		t.Errorf("%s: %d DEVICE_SRP_AUTH and %d DEVICE_PASSWORD_VERIFIER answers; want one each", what, s.DeviceSRP, s.DeviceVerifier)
	}
	if s.DeviceKey != device {
		t.Errorf("%s: access token device_key %q; want %q", what, s.DeviceKey, device)
	}
}

// wantMFASignIn checks a sign-in that asked for the SMS code and confirmed
// a new device, kept in localStorage and known, not remembered, to Cognito.
func (p *page) wantMFASignIn(what, user string, s devSignIn) kept {
	p.t.Helper()
	if !s.askedMFA() || s.Confirmed != "DONE" || s.Codes != 1 {
		p.t.Errorf("%s: step %q then %q, %d SMS codes; want the SMS code asked once, then DONE", what, s.Step, s.Confirmed, s.Codes)
	}
	if s.DeviceSRP != 0 || s.DeviceVerifier != 0 {
		p.t.Errorf("%s: %d DEVICE_SRP_AUTH and %d DEVICE_PASSWORD_VERIFIER answers; want none", what, s.DeviceSRP, s.DeviceVerifier)
	}
	d := p.keptDevice(user)
	if !strings.HasPrefix(d.Key, "us-east-1_") || d.Group == "" || d.Password == "" {
		p.t.Fatalf("%s: kept device %+v; want the key, group key and password of a confirmed device", what, d)
	}
	if s.DeviceKey != d.Key {
		p.t.Errorf("%s: access token device_key %q; want the kept device %q", what, s.DeviceKey, d.Key)
	}
	if st, ok := serverDevices(p.t, user)[d.Key]; !ok || st != "not_remembered" {
		p.t.Errorf("%s: Cognito has the kept device %v with status %q; want it, not_remembered", what, ok, st)
	}
	return d
}

func (p *page) rememberDevice(user string) {
	p.t.Helper()
	var r struct{ Got string }
	p.devJS(`return JSON.stringify({Got: await fail(auth.rememberDevice())});`, &r)
	if r.Got != "resolved" {
		p.t.Fatalf("rememberDevice = %s", r.Got)
	}
}

// TestRememberedDeviceSkipsMFA: sign in with MFA, remember the device, and
// the next sign-ins (also after a reload) are spared MFA through
// DEVICE_SRP_AUTH; after forgetDevice MFA is asked again.
func TestRememberedDeviceSkipsMFA(t *testing.T) {
	const user = "dev-ann"
	p := openDevicePage(t)

	first := p.signInDevice(user)
	dev := p.wantMFASignIn("first sign-in", user, first)
	if len(first.DeviceKeysSent) != 0 {
		t.Errorf("first sign-in sent DEVICE_KEY %v; want none (no device kept yet)", first.DeviceKeysSent)
	}

	p.rememberDevice(user)
	if st := serverDevices(t, user)[dev.Key]; st != "remembered" {
		t.Errorf("after rememberDevice, Cognito's status of %s = %q; want remembered", dev.Key, st)
	}
	var fetched struct {
		Devices []struct {
			ID, Name   string
			Attributes map[string]string
		}
		UserAgent string
		Dates     bool
	}
	p.devJS(`const list = await auth.fetchDevices();
		return JSON.stringify({Devices: list.map((d) => ({ID: d.id, Name: d.name, Attributes: d.attributes})), UserAgent: navigator.userAgent,
			Dates: list.every((d) => d.createDate instanceof Date && d.lastAuthenticatedDate instanceof Date)});`, &fetched)
	if len(fetched.Devices) != 1 || fetched.Devices[0].ID != dev.Key {
		t.Fatalf("fetchDevices = %+v; want the one device %s", fetched.Devices, dev.Key)
	}
	if d := fetched.Devices[0]; d.Name != fetched.UserAgent || d.Attributes["dev:device_remembered_status"] != "remembered" || !fetched.Dates {
		t.Errorf("fetchDevices()[0] = %+v (dates are Dates: %v); want name %q (the user agent), remembered, Date members", d, fetched.Dates, fetched.UserAgent)
	}

	p.signOutDevice()
	if got := p.keptDevice(user); got != dev {
		t.Fatalf("after signOut the kept device is %+v; want %+v (a device outlives the session)", got, dev)
	}
	again := p.signInDevice(user)
	wantDeviceSignIn(t, "sign-in on the remembered device", again, dev.Key)
	if !slices.Contains(again.DeviceKeysSent, dev.Key) {
		t.Errorf("sign-in on the remembered device sent DEVICE_KEY %v; want %s", again.DeviceKeysSent, dev.Key)
	}

	// A reload: localStorage keeps the device (and the session).
	p.reload()
	if got := p.keptDevice(user); got != dev {
		t.Fatalf("after a reload the kept device is %+v; want %+v", got, dev)
	}
	p.signOutDevice()
	wantDeviceSignIn(t, "sign-in after a reload", p.signInDevice(user), dev.Key)

	// forgetDevice: gone from Cognito and from storage; MFA again, and a new device.
	var forgot struct {
		Got  string
		Left int
	}
	p.devJS(`const got = await fail(auth.forgetDevice());
		return JSON.stringify({Got: got, Left: (await auth.fetchDevices()).length});`, &forgot)
	if forgot.Got != "resolved" || forgot.Left != 0 {
		t.Errorf("forgetDevice = %s, then fetchDevices lists %d; want resolved, none", forgot.Got, forgot.Left)
	}
	if _, ok := serverDevices(t, user)[dev.Key]; ok {
		t.Errorf("Cognito still lists %s after forgetDevice", dev.Key)
	}
	if got := p.keptDevice(user); got != (kept{}) {
		t.Errorf("after forgetDevice localStorage keeps %+v; want nothing", got)
	}
	p.signOutDevice()
	next := p.wantMFASignIn("sign-in after forgetDevice", user, p.signInDevice(user))
	if next.Key == dev.Key {
		t.Errorf("sign-in after forgetDevice kept the forgotten device %s", dev.Key)
	}
}

// TestAnotherUsersDeviceNotUsed: device keys of another user placed under
// this user's names do not spare MFA; Cognito refuses them, the module
// drops them and keeps this user's own new device; the other user's
// device is untouched.
func TestAnotherUsersDeviceNotUsed(t *testing.T) {
	const user, other = "dev-cat", "dev-bob"
	p := openDevicePage(t)
	p.wantMFASignIn("the other user's first sign-in", other, p.signInDevice(other))
	p.rememberDevice(other)
	bobs := p.keptDevice(other)
	p.signOutDevice()

	p.keepDevice(user, bobs)
	s := p.signInDevice(user)
	if !slices.Contains(s.DeviceKeysSent, bobs.Key) {
		t.Errorf("the sign-in sent DEVICE_KEY %v; want the planted %s presented (and refused)", s.DeviceKeysSent, bobs.Key)
	}
	own := p.wantMFASignIn("sign-in with another user's device keys", user, s)
	if own.Key == bobs.Key || own.Group == bobs.Group || own.Password == bobs.Password {
		t.Errorf("kept device after the sign-in = %+v; want a new one in place of %+v", own, bobs)
	}
	if st := serverDevices(t, other)[bobs.Key]; st != "remembered" {
		t.Errorf("%s's device %s is %q at Cognito; want it still remembered", other, bobs.Key, st)
	}
	if _, ok := serverDevices(t, user)[bobs.Key]; ok {
		t.Errorf("%s's device %s is listed for %s", other, bobs.Key, user)
	}
	if got := p.keptDevice(other); got != bobs {
		t.Errorf("%s's kept device changed to %+v", other, got)
	}
}

// TestWrongDevicePasswordRefused: a remembered device whose stored
// randomPasswordKey is wrong fails DEVICE_PASSWORD_VERIFIER. The password
// was right, so the engine drops the device and starts the sign-in over
// once without it: the user is asked for MFA (never told "Incorrect
// username or password.") and a new device is kept in its place.
func TestWrongDevicePasswordRefused(t *testing.T) {
	const user = "dev-bob"
	p := openDevicePage(t)
	dev := p.wantMFASignIn("first sign-in", user, p.signInDevice(user))
	p.rememberDevice(user)
	p.signOutDevice()

	wrong := dev
	wrong.Password = strings.Repeat("A", len(dev.Password)-2) + "=="
	if wrong.Password == dev.Password {
		wrong.Password = "B" + dev.Password[1:]
	}
	p.keepDevice(user, wrong)
	s := p.signInDevice(user) // fails the test unless it ends signed in
	t.Logf("sign-in with a wrong device password: step %q then %q", s.Step, s.Confirmed)
	if !s.askedMFA() || s.Confirmed != "DONE" || s.Codes != 1 {
		t.Errorf("step %q then %q, %d SMS codes; want the SMS code asked once, then DONE", s.Step, s.Confirmed, s.Codes)
	}
	if s.DeviceSRP != 1 || s.DeviceVerifier != 1 {
		t.Errorf("%d DEVICE_SRP_AUTH and %d DEVICE_PASSWORD_VERIFIER answers; want one each (the proof refused), then none", s.DeviceSRP, s.DeviceVerifier)
	}
	if !slices.Contains(s.DeviceKeysSent, dev.Key) {
		t.Errorf("DEVICE_KEY sent %v; want the refused device %s presented first", s.DeviceKeysSent, dev.Key)
	}
	d := p.keptDevice(user)
	if !strings.HasPrefix(d.Key, "us-east-1_") || d.Key == dev.Key || d.Group == "" || d.Password == "" {
		t.Fatalf("kept device %+v; want a new confirmed device in place of %s", d, dev.Key)
	}
	if s.DeviceKey != d.Key {
		t.Errorf("access token device_key %q; want the new kept device %q", s.DeviceKey, d.Key)
	}
	if st, ok := serverDevices(t, user)[d.Key]; !ok || st != "not_remembered" {
		t.Errorf("Cognito has the new device %v with status %q; want it, not_remembered", ok, st)
	}
}

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// Remembered devices shared with amazon-cognito-identity-js in one page:
// both libraries keep a device under the same localStorage names
// (.deviceKey, .deviceGroupKey, .randomPasswordKey), so a device one of them
// confirmed and remembered spares MFA to the other.

// loadIdentityJS runs identity-js's pinned browser bundle in the page and
// defines __idjs(method, username, ...args): one call of a CognitoUser kept
// per username (the page's localStorage is identity-js's storage), resolving
// with the callback identity-js ended it with.
func (p *page) loadIdentityJS() {
	p.t.Helper()
	lib, err := os.ReadFile(identityJS)
	if err != nil {
		p.t.Fatalf("amazon-cognito-identity-js: %v", err)
	}
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[chromedp.Void](string(lib)+";undefined")); err != nil {
		p.t.Fatalf("loading amazon-cognito-identity-js into the page: %v", err)
	}
	p.eval(fmt.Sprintf(`(() => {
		const { CognitoUserPool, CognitoUser } = AmazonCognitoIdentity;
		const pool = new CognitoUserPool({ UserPoolId: %q, ClientId: %q, endpoint: %q });
		const users = {};
		globalThis.__idjs = (method, username, ...args) => new Promise((resolve) => {
			const cu = users[username] || (users[username] = new CognitoUser({ Username: username, Pool: pool }));
			const end = (kind) => (...a) => {
				const out = { Kind: kind, Args: a.map((x) => (typeof x === "string" || typeof x === "boolean" ? x : null)) };
				const s = cu.getSignInUserSession();
				if (s && s.isValid()) out.DeviceKey = s.getAccessToken().decodePayload().device_key || "";
				if (kind === "onFailure") out.Error = a[0] && (a[0].code || a[0].name) + ": " + a[0].message;
				resolve(JSON.stringify(out));
			};
			const callbacks = {};
			for (const k of ["onSuccess", "onFailure", "mfaRequired", "totpRequired", "selectMFAType", "mfaSetup", "newPasswordRequired", "customChallenge"]) callbacks[k] = end(k);
			if (method === "signOut") return cu.signOut((err) => (err ? end("onFailure")(err) : end("onSuccess")()));
			cu[method](...args, callbacks);
		});
		return "";
	})()`, devPool, devClient, env.endpoint+"/"))
}

// idjsEnd is how an identity-js call ended.
type idjsEnd struct {
	Kind      string // the callback: onSuccess, mfaRequired, onFailure...
	Args      []any  // its string and boolean arguments
	Error     string
	DeviceKey string // the signed-in session's access token device_key
}

func (p *page) idjs(call string) idjsEnd {
	p.t.Helper()
	raw := p.eval(call)
	var e idjsEnd
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		p.t.Fatalf("%s answered %q: %v", call, raw, err)
	}
	return e
}

// idjsSignIn runs authenticateUser for user (USER_SRP_AUTH, identity-js's
// default), answering an SMS_MFA question with the code from the outbox.
// It returns how the sign-in ended, whether MFA was asked, and the
// requests it sent counted as devSignIn counts them.
func (p *page) idjsSignIn(user string) (end idjsEnd, askedMFA bool, s devSignIn) {
	p.t.Helper()
	sentBefore, codesBefore := len(p.sent()), len(outbox(p.t, user))
	end = p.idjs(fmt.Sprintf(`__idjs("authenticateUser", %q, new AmazonCognitoIdentity.AuthenticationDetails({ Username: %q, Password: %q }))`,
		user, user, devPassword))
	if end.Kind == "mfaRequired" {
		askedMFA = true
		msgs := outbox(p.t, user)
		if len(msgs) == codesBefore {
			p.t.Fatalf("identity-js was asked for an SMS code for %s, but the outbox got none", user)
		}
		end = p.idjs(fmt.Sprintf(`__idjs("sendMFACode", %q, %q)`, user, msgs[len(msgs)-1].Code))
	}
	if end.Kind != "onSuccess" {
		p.t.Fatalf("identity-js sign-in of %s ended with %s %v %s; want onSuccess", user, end.Kind, end.Args, end.Error)
	}
	s.Step, s.DeviceKey = "DONE", end.DeviceKey
	s.Codes = len(outbox(p.t, user)) - codesBefore
	s.countSent(p.sent()[sentBefore:])
	return end, askedMFA, s
}

func (p *page) idjsSignOut(user string) {
	p.t.Helper()
	if e := p.idjs(fmt.Sprintf(`__idjs("signOut", %q)`, user)); e.Kind != "onSuccess" {
		p.t.Fatalf("identity-js signOut of %s: %s %s", user, e.Kind, e.Error)
	}
	if got := p.stored(storageKey(devClient, "", "LastAuthUser")); got != "" {
		p.t.Fatalf("after identity-js's signOut LastAuthUser = %q; want none", got)
	}
}

// TestIdentityJSDeviceUsedByCognitoWasm: identity-js signs in with SMS MFA,
// confirms the new device and marks it remembered; cognito-wasm, over the
// same localStorage, then signs the user in without MFA by proving that
// device (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) and keeps it.
func TestIdentityJSDeviceUsedByCognitoWasm(t *testing.T) {
	const user = "dev-dan"
	p := openDevicePage(t)
	p.loadIdentityJS()

	end, asked, first := p.idjsSignIn(user)
	if !asked || first.Codes != 1 {
		t.Errorf("identity-js's first sign-in: MFA asked %v, %d SMS codes; want the code asked once", asked, first.Codes)
	}
	if len(end.Args) < 2 || end.Args[1] != true {
		t.Errorf("identity-js's onSuccess arguments %v; want userConfirmationNecessary true (remembered only on the user's prompt)", end.Args)
	}
	dev := p.keptDevice(user)
	if dev.Key == "" || dev.Group == "" || dev.Password == "" {
		t.Fatalf("identity-js kept %v in localStorage; want a confirmed device", dev)
	}
	if end.DeviceKey != dev.Key {
		t.Errorf("identity-js's access token device_key %q; want its kept device %q", end.DeviceKey, dev.Key)
	}
	if st, ok := serverDevices(t, user)[dev.Key]; !ok || st != "not_remembered" {
		t.Errorf("after ConfirmDevice Cognito lists %s: %v, status %q; want not_remembered", dev.Key, ok, st)
	}
	if e := p.idjs(fmt.Sprintf(`__idjs("setDeviceStatusRemembered", %q)`, user)); e.Kind != "onSuccess" {
		t.Fatalf("setDeviceStatusRemembered: %s %s", e.Kind, e.Error)
	}
	if st := serverDevices(t, user)[dev.Key]; st != "remembered" {
		t.Fatalf("after setDeviceStatusRemembered Cognito's status of %s = %q; want remembered", dev.Key, st)
	}
	p.idjsSignOut(user)
	if got := p.keptDevice(user); got != dev {
		t.Fatalf("after identity-js's signOut localStorage keeps %v; want %v", got, dev)
	}

	s := p.signInDevice(user)
	wantDeviceSignIn(t, "cognito-wasm on identity-js's device", s, dev.Key)
	if !slices.Contains(s.DeviceKeysSent, dev.Key) || slices.ContainsFunc(s.DeviceKeysSent, func(k string) bool { return k != dev.Key }) {
		t.Errorf("cognito-wasm sent DEVICE_KEY %v; want only identity-js's %s", s.DeviceKeysSent, dev.Key)
	}
	if got := p.keptDevice(user); got != dev {
		t.Errorf("after cognito-wasm's sign-in localStorage keeps %v; want identity-js's %v unchanged", got, dev)
	}
	if devs := serverDevices(t, user); len(devs) != 1 || devs[dev.Key] != "remembered" {
		t.Errorf("Cognito lists %v for %s; want only %s, remembered", devs, user, dev.Key)
	}
}

// TestCognitoWasmDeviceUsedByIdentityJS: cognito-wasm signs in with SMS
// MFA and remembers its device; identity-js, in the same page, then signs
// the user in without MFA through that device.
func TestCognitoWasmDeviceUsedByIdentityJS(t *testing.T) {
	const user = "dev-eve"
	p := openDevicePage(t)
	p.loadIdentityJS()

	dev := p.wantMFASignIn("cognito-wasm's first sign-in", user, p.signInDevice(user))
	p.rememberDevice(user)
	if st := serverDevices(t, user)[dev.Key]; st != "remembered" {
		t.Fatalf("after rememberDevice Cognito's status of %s = %q; want remembered", dev.Key, st)
	}
	p.signOutDevice()

	end, asked, s := p.idjsSignIn(user)
	if asked || s.Codes != 0 {
		t.Errorf("identity-js on cognito-wasm's device: MFA asked %v, %d SMS codes; want neither", asked, s.Codes)
	}
	wantDeviceSignIn(t, "identity-js on cognito-wasm's device", s, dev.Key)
	if !slices.Contains(s.DeviceKeysSent, dev.Key) || slices.ContainsFunc(s.DeviceKeysSent, func(k string) bool { return k != dev.Key }) {
		t.Errorf("identity-js sent DEVICE_KEY %v; want only cognito-wasm's %s", s.DeviceKeysSent, dev.Key)
	}
	if len(end.Args) > 1 && end.Args[1] != nil {
		t.Errorf("identity-js's onSuccess arguments %v; want no new device to confirm", end.Args)
	}
	if got := p.stored(storageKey(devClient, "", "LastAuthUser")); got != user {
		t.Errorf("identity-js left LastAuthUser = %q; want %s", got, user)
	}
	if got := p.keptDevice(user); got != dev {
		t.Errorf("after identity-js's sign-in localStorage keeps %v; want cognito-wasm's %v unchanged", got, dev)
	}
	if devs := serverDevices(t, user); len(devs) != 1 || devs[dev.Key] != "remembered" {
		t.Errorf("Cognito lists %v for %s; want only %s, remembered", devs, user, dev.Key)
	}
}

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// shiftClock moves the page's clock (Date, which Go's wall clock in wasm
// reads too) so that it reads at, in Unix milliseconds: as if the tab had
// slept until then. Timers and the server's clock are untouched.
func (p *page) shiftClock(atMillis int64) {
	p.t.Helper()
	p.eval(fmt.Sprintf(`(() => {
		const Real = globalThis.__realDate || Date;
		const shift = %d - Real.now();
		class Shifted extends Real {
			constructor(...a) { if (a.length) super(...a); else super(Real.now() + shift); }
			static now() { return Real.now() + shift; }
		}
		globalThis.__realDate = Real;
		globalThis.Date = Shifted;
		return "";
	})()`, atMillis))
}

// accessJTI and accessExp read the access token the page shows.
func (p *page) accessJTI() string { return p.claim("#access-claims", "jti") }

func (p *page) accessExp() int64 {
	p.t.Helper()
	n, err := strconv.ParseInt(p.eval(`document.getElementById("expiry").dataset.exp`), 10, 64)
	if err != nil {
		p.t.Fatalf("the page shows no expiry: %v", err)
	}
	return n
}

func TestRefreshBeforeExpiry(t *testing.T) {
	const user = "acct-refresh"
	p := openFreshPage(t)
	p.want(p.selectValue("storage", "localStorage"), "session:none")
	p.want(p.selectValue("clientChoice", shortClient), "session:none")
	p.signedInAs(user)
	if exp := p.text("#expiry"); !strings.Contains(exp, "in 5 minutes") {
		t.Errorf("expiry = %q; want tokens of the 5-minute client", exp)
	}
	jti, exp := p.accessJTI(), p.accessExp()
	refresh := p.stored(storageKey(shortClient, user, "refreshToken"))
	if refresh == "" {
		t.Fatal("no refresh token stored in localStorage")
	}

	// Fresh tokens: a session check keeps them.
	p.want(p.click("check-session"), "session:ok")
	if p.accessJTI() != jti || p.events("tokenRefresh") != 0 {
		t.Fatalf("a check of fresh tokens refreshed them (jti %s -> %s, %d tokenRefresh events)", jti, p.accessJTI(), p.events("tokenRefresh"))
	}

	// A second before they expire (by the page's clock), the check refreshes them.
	p.shiftClock(exp*1000 - 1000)
	p.want(p.click("check-session"), "session:ok")
	if n := p.events("tokenRefresh"); n != 1 {
		t.Fatalf("tokenRefresh events after the check near expiry = %d; want 1", n)
	}
	if at, _ := strconv.ParseInt(p.eval(`document.querySelector('#events li[data-type=tokenRefresh]').dataset.at`), 10, 64); at >= exp*1000 {
		t.Errorf("tokenRefresh fired at %d by the page's clock; want before the old tokens' expiry %d", at, exp*1000)
	}
	newJTI, newExp := p.accessJTI(), p.accessExp()
	// (Issued within the same second as the first, it may expire in the same second.)
	if newJTI == jti || newExp < exp {
		t.Errorf("after the refresh, access token jti %s exp %d; want a new token, expiring no earlier than %d", newJTI, newExp, exp)
	}
	// The client rotates refresh tokens: the new one is kept.
	if got := p.stored(storageKey(shortClient, user, "refreshToken")); got == "" || got == refresh {
		t.Errorf("stored refresh token after the rotation changed: %v; want the new one stored", got != refresh)
	}
	// The page's clock is now 5 minutes ahead of the server's: the drift is
	// taken from the new tokens, and the next check does not refresh again.
	p.want(p.click("check-session"), "session:ok")
	if n := p.events("tokenRefresh"); n != 1 || p.accessJTI() != newJTI {
		t.Errorf("a check right after the refresh: %d tokenRefresh events, jti %s; want no second refresh (drift from iat)", n, p.accessJTI())
	}
	// And the stored tokens are the new ones, usable.
	wantAccepted(t, "the refreshed access token", "GetUser", map[string]string{"AccessToken": p.stored(storageKey(shortClient, user, "accessToken"))})
}

func TestReloadKeepsOrLosesTheSession(t *testing.T) {
	const user = "acct-store"
	for _, tt := range []struct {
		storage string
		kept    bool
	}{
		{"localStorage", true},
		{"sessionStorage", true},
		{"memory", false},
	} {
		t.Run(tt.storage, func(t *testing.T) {
			p := openFreshPage(t)
			if tt.storage != "memory" {
				p.want(p.selectValue("storage", tt.storage), "session:none")
			}
			p.signedInAs(user)
			signIns := countTarget(p.sent(), "InitiateAuth")
			p.reload()
			got := p.eval(`document.body.dataset.session`)
			if !tt.kept {
				if got != "signed-out" || p.shown("result-card") != "" {
					t.Errorf("after a reload with %s: session %q; want signed out", tt.storage, got)
				}
				return
			}
			if got != "signed-in" {
				t.Fatalf("after a reload with %s: session %q; want still signed in (status %q)", tt.storage, got, p.text("#status"))
			}
			if got := p.text("#signed-in"); got != "Signed in as "+user+"." {
				t.Errorf("after a reload: %q; want signed in as %s", got, user)
			}
			if got := p.attribute("email"); got != user+"@example.com" {
				t.Errorf("after a reload the account page shows email %q; want it loaded", got)
			}
			if n := countTarget(p.sent(), "InitiateAuth"); n != signIns {
				t.Errorf("the reload sent %d InitiateAuth calls; want none (the session was kept)", n-signIns)
			}
		})
	}
}

// countTarget counts the requests that carried a Cognito operation's
// parameters; the watch records bodies, so it goes by what each body holds.
func countTarget(reqs []request, op string) int {
	n := 0
	for _, r := range reqs {
		if op == "InitiateAuth" && strings.Contains(r.Body, `"AuthFlow"`) {
			n++
		}
	}
	return n
}

func TestSignOutRevokesTokens(t *testing.T) {
	const user = "acct-out"
	p := openFreshPage(t)
	p.want(p.selectValue("storage", "localStorage"), "session:none")
	p.signedInAs(user)
	client := env.cfg.ClientID
	if got := p.stored(storageKey(client, "", "LastAuthUser")); got != user {
		t.Errorf("LastAuthUser = %q; want %s", got, user)
	}
	access := p.stored(storageKey(client, user, "accessToken"))
	refresh := p.stored(storageKey(client, user, "refreshToken"))
	if access == "" || refresh == "" || p.stored(storageKey(client, user, "idToken")) == "" || p.stored(storageKey(client, user, "clockDrift")) == "" {
		t.Fatal("the tokens are not in localStorage under identity-js's key names")
	}
	wantAccepted(t, "before sign-out", "GetUser", map[string]string{"AccessToken": access})

	p.want(p.click("signout"), "signedOut:ok")
	p.inView("notice")
	if got := p.shown("notice"); !strings.Contains(got, "Signed out of "+user+" on this device") {
		t.Errorf("notice = %q; want it to say signed out on this device", got)
	}
	if p.shown("account-card") != "" || p.shown("result-card") != "" {
		t.Error("the account page is still shown after sign-out")
	}
	keys := p.eval(`Object.keys(localStorage).filter((k) => k.startsWith("CognitoIdentityServiceProvider.")).join(",")`)
	if keys != "" {
		t.Errorf("localStorage still holds %s after sign-out", keys)
	}
	wantRefused(t, "the access token after sign-out", "GetUser", map[string]string{"AccessToken": access})
	wantRefused(t, "the refresh token after sign-out", "InitiateAuth", map[string]any{"AuthFlow": "REFRESH_TOKEN_AUTH",
		"ClientId": client, "AuthParameters": map[string]string{"REFRESH_TOKEN": refresh}})
	p.reload()
	if got := p.eval(`document.body.dataset.session`); got != "signed-out" {
		t.Errorf("after sign-out and reload: session %q; want signed out", got)
	}
}

func TestSignOutEverywhere(t *testing.T) {
	const user = "acct-global"
	// Two devices: two browser contexts, each signed in.
	a, b := openFreshPage(t), openFreshPage(t)
	for _, p := range []*page{a, b} {
		p.want(p.selectValue("storage", "localStorage"), "session:none")
		p.signedInAs(user)
	}
	client := env.cfg.ClientID
	accessA, accessB := a.stored(storageKey(client, user, "accessToken")), b.stored(storageKey(client, user, "accessToken"))
	refreshB := b.stored(storageKey(client, user, "refreshToken"))

	a.want(a.click("signout-global"), "signedOut:ok")
	if got := a.shown("notice"); !strings.Contains(got, "Signed out everywhere") {
		t.Errorf("notice = %q; want it to say signed out everywhere", got)
	}
	wantRefused(t, "this device's access token", "GetUser", map[string]string{"AccessToken": accessA})
	wantRefused(t, "the other device's access token", "GetUser", map[string]string{"AccessToken": accessB})
	wantRefused(t, "the other device's refresh token", "InitiateAuth", map[string]any{"AuthFlow": "REFRESH_TOKEN_AUTH",
		"ClientId": client, "AuthParameters": map[string]string{"REFRESH_TOKEN": refreshB}})
	// The other device finds out at its next refresh.
	if got := b.click("refresh"); got != "error" {
		t.Errorf("refreshing on the other device after a global sign-out: outcome %q; want error", got)
	}
}

func TestGroupsFromTheIDToken(t *testing.T) {
	const user = "acct-groups"
	for _, g := range []string{"e2e-readers", "e2e-writers"} {
		adminCall(t, "CreateGroup", map[string]any{"UserPoolId": poolMain, "GroupName": g, "Description": "made by the e2e test"})
		adminCall(t, "AdminAddUserToGroup", map[string]any{"UserPoolId": poolMain, "Username": user, "GroupName": g})
	}
	p := openFreshPage(t)
	p.signedInAs(user)
	var groups []string
	json.Unmarshal([]byte(p.eval(`document.getElementById("groups").dataset.groups`)), &groups)
	if !slices.Equal(groups, []string{"e2e-readers", "e2e-writers"}) {
		t.Errorf("groups shown = %v; want e2e-readers, e2e-writers (cognito:groups)", groups)
	}
	if got := p.text("#groups"); got != "e2e-readers, e2e-writers" {
		t.Errorf("groups text = %q", got)
	}
	// alice is in the groups demo/groups.json gives her.
	a := openFreshPage(t)
	alice, pass := demoUser(t, "alice")
	a.wantSignedInAs(a.signIn(alice, pass, "USER_SRP_AUTH"), alice)
	if got := a.text("#groups"); got != "admins, editors" {
		t.Errorf("alice's groups shown = %q; want admins, editors (demo/groups.json)", got)
	}
	// A user in no group.
	q := openFreshPage(t)
	q.signedInAs("acct-store")
	if got := q.text("#groups"); got != "none" {
		t.Errorf("groups of a user in none = %q; want none", got)
	}
}

// TestIdentityJSSessionPickedUp signs in with amazon-cognito-identity-js in
// the demo page (its pinned browser bundle, which keeps the session in
// localStorage), then switches the page's storage to localStorage: the page
// shows that session, and its calls use identity-js's tokens, without a sign-in.
func TestIdentityJSSessionPickedUp(t *testing.T) {
	const user = "acct-idjs"
	lib, err := os.ReadFile(identityJS)
	if err != nil {
		t.Fatalf("amazon-cognito-identity-js: %v", err)
	}
	p := openFreshPage(t)
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[chromedp.Void](string(lib)+";undefined")); err != nil {
		t.Fatalf("loading amazon-cognito-identity-js into the page: %v", err)
	}
	access := p.eval(fmt.Sprintf(`new Promise((resolve, reject) => {
		const { CognitoUserPool, CognitoUser, AuthenticationDetails } = AmazonCognitoIdentity;
		const pool = new CognitoUserPool({ UserPoolId: %q, ClientId: %q, endpoint: %q });
		const user = new CognitoUser({ Username: %q, Pool: pool });
		user.authenticateUser(new AuthenticationDetails({ Username: %q, Password: %q }), {
			onSuccess: (s) => resolve(s.getAccessToken().getJwtToken()),
			onFailure: (e) => reject(new Error(e.code + ": " + e.message)),
		});
	})`, poolMain, env.cfg.ClientID, env.endpoint+"/", user, user, acctPassword))
	if got := p.stored(storageKey(env.cfg.ClientID, "", "LastAuthUser")); got != user {
		t.Fatalf("identity-js left LastAuthUser = %q; want %s", got, user)
	}
	before := len(p.sent())

	p.want(p.selectValue("storage", "localStorage"), "session:found")
	if got := p.text("#signed-in"); got != "Signed in as "+user+"." {
		t.Errorf("after switching to localStorage: %q; want signed in as %s", got, user)
	}
	if got := p.attribute("email"); got != user+"@example.com" {
		t.Errorf("the account page shows email %q; want it loaded with identity-js's tokens", got)
	}
	var usedAccess bool
	for _, r := range p.sent()[before:] {
		if strings.Contains(r.Body, `"AuthFlow"`) || strings.Contains(r.Body, `"ChallengeName"`) {
			t.Errorf("cognito-wasm signed in again (%s); want identity-js's session used", r.Body)
		}
		usedAccess = usedAccess || strings.Contains(r.Body, access)
	}
	if !usedAccess {
		t.Error("no call of the page carried identity-js's access token")
	}
	// Its refresh token works for cognito-wasm too.
	jti := p.accessJTI()
	p.want(p.click("refresh"), "DONE")
	if p.accessJTI() == jti {
		t.Error("a forced refresh kept the same access token")
	}
}

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cognito-wasm/cognito-wasm/emulator"
)

// The account tests' users, in the demo's main pool (its autoVerifiedAttributes
// and short-token client), one per test so that none sees another's changes.
const acctPassword = "Acct-Passw0rd!"

var acctUsers = []string{"acct-attrs", "acct-pw", "acct-mfa", "acct-reset", "acct-refresh", "acct-store",
	"acct-out", "acct-global", "acct-groups", "acct-idjs", "acct-delete"}

// shortClient is the demo's client with 5-minute tokens (demo/seed.json).
const shortClient = "cognitowasmdemoshort000001"

func accountSeed() emulator.Seed {
	p := emulator.SeedPool{ID: poolMain}
	for _, u := range acctUsers {
		p.Users = append(p.Users, emulator.SeedUser{Username: u, Password: acctPassword,
			Attributes: map[string]string{"email": u + "@example.com", "email_verified": "true"}})
	}
	return emulator.Seed{UserPools: []emulator.SeedPool{p}}
}

// openFreshPage opens the demo in a browser context of its own: its
// localStorage and sessionStorage are its own, as a new browser profile's.
func openFreshPage(t *testing.T) *page {
	t.Helper()
	return openPageWithin(t, env.pageURL, 120*time.Second, chromedp.WithNewBrowserContext())
}

// cognito sends a user-pool operation (no SigV4: the public ones) to the
// emulator and returns the status and the decoded answer.
func cognito(t *testing.T, op string, body any) (int, map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, env.endpoint+"/", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	out := map[string]any{}
	json.Unmarshal(data, &out)
	return res.StatusCode, out
}

// wantRefused checks that Cognito refuses a call with NotAuthorizedException.
func wantRefused(t *testing.T, what, op string, body any) {
	t.Helper()
	status, out := cognito(t, op, body)
	if status != http.StatusBadRequest || out["__type"] != "NotAuthorizedException" {
		t.Errorf("%s: %s = %d %v; want NotAuthorizedException", what, op, status, out)
	}
}

// wantAccepted checks that Cognito answers a call.
func wantAccepted(t *testing.T, what, op string, body any) {
	t.Helper()
	if status, out := cognito(t, op, body); status != http.StatusOK {
		t.Fatalf("%s: %s = %d %v; want 200", what, op, status, out)
	}
}

// click clicks a button of the page and waits for the call it starts to end.
func (p *page) click(id string) string {
	p.t.Helper()
	return p.settle(fmt.Sprintf(`{
		const b = document.getElementById(%q);
		if (!b) throw new Error("no button #%s");
		b.click();
	}`, id, id))
}

// fill sets inputs of the page by id.
func (p *page) fill(values map[string]string) {
	p.t.Helper()
	raw, _ := json.Marshal(values)
	p.eval(fmt.Sprintf(`(() => {
		for (const [id, v] of Object.entries(%s)) {
			const el = document.getElementById(id);
			if (!el) throw new Error("no input #" + id);
			el.value = v;
		}
		return "";
	})()`, raw))
}

// choose sets a select of the page and fires its change event, waiting for
// the call the change starts (a session looked up under the new settings).
func (p *page) selectValue(id, value string) string {
	p.t.Helper()
	return p.settle(fmt.Sprintf(`{
		const el = document.getElementById(%q);
		if (![...el.options].some((o) => o.value === %q)) throw new Error("#%s offers no %s");
		el.value = %q;
		el.dispatchEvent(new Event("change"));
	}`, id, value, id, value, value))
}

// want fails the test unless an outcome is the one expected, saying what the
// page shows.
func (p *page) want(got, want string) {
	p.t.Helper()
	if got != want {
		p.t.Fatalf("outcome = %q; want %q (notice %q, result %q, step %q, status %q, results: %s)", got, want,
			p.eval(`document.getElementById("notice").textContent`), p.resultError(), p.step(), p.text("#status"),
			p.eval(`[...document.querySelectorAll(".result:not([hidden])")].map((e) => e.id + ": " + e.textContent).join(" | ")`))
	}
}

// shown is an element's text, "" when it is hidden.
func (p *page) shown(id string) string {
	p.t.Helper()
	return p.eval(fmt.Sprintf(`(() => { const el = document.getElementById(%q); return el.hidden ? "" : el.textContent; })()`, id))
}

// inView fails the test unless the element is on screen: each action's
// result appears where the user is looking.
func (p *page) inView(id string) {
	p.t.Helper()
	where := p.eval(fmt.Sprintf(`(() => {
		const el = document.getElementById(%q);
		if (el.hidden) return "hidden";
		const r = el.getBoundingClientRect();
		return r.bottom > 0 && r.top < innerHeight ? "in view" : "out of view: top " + r.top + " of " + innerHeight;
	})()`, id))
	if where != "in view" {
		p.t.Errorf("#%s is %s; want it on screen", id, where)
	}
}

func (p *page) signedInAs(user string) {
	p.t.Helper()
	p.wantSignedInAs(p.signIn(user, acctPassword, "USER_SRP_AUTH"), user)
}

// attribute is the value the account page shows for an attribute ("<missing>" if none).
func (p *page) attribute(name string) string {
	p.t.Helper()
	return p.eval(fmt.Sprintf(`(() => {
		const row = document.querySelector('#attributes tr[data-attribute=%q]');
		if (!row) return "<missing>";
		const el = row.cells[1].querySelector("input");
		return el ? el.value : row.cells[1].textContent;
	})()`, name))
}

// attributeStatus is the verification cell of an attribute's row.
func (p *page) attributeStatus(name string) string {
	p.t.Helper()
	return p.eval(fmt.Sprintf(`document.querySelector('#attributes tr[data-attribute=%q]')?.cells[2].textContent ?? "<missing>"`, name))
}

// setAttribute types a new value into an attribute's input.
func (p *page) setAttribute(name, value string) {
	p.t.Helper()
	p.eval(fmt.Sprintf(`(() => {
		const el = document.querySelector('#attributes tr[data-attribute=%q] input');
		if (!el) throw new Error("no input for %s");
		el.value = %q;
		return "";
	})()`, name, name, value))
}

// stored reads the page's localStorage.
func (p *page) stored(key string) string {
	p.t.Helper()
	return p.eval(fmt.Sprintf(`localStorage.getItem(%q) ?? ""`, key))
}

// storageKey is the key amazon-cognito-identity-js and Amplify keep a token under.
func storageKey(clientID, user, what string) string {
	if user == "" {
		return "CognitoIdentityServiceProvider." + clientID + "." + what
	}
	return "CognitoIdentityServiceProvider." + clientID + "." + user + "." + what
}

// reload reloads the tab and waits until the page is ready again.
func (p *page) reload() {
	p.t.Helper()
	p.do(chromedp.Reload(), chromedp.WaitReady(chromedp.CSS("body[data-ready]")))
	if state := p.eval(`document.body.dataset.ready`); state != "true" {
		p.t.Fatalf("after reload, readiness = %q (status: %s)", state, p.text("#status"))
	}
}

// events counts the session events of a type the page has listed.
func (p *page) events(kind string) int {
	p.t.Helper()
	var n int
	fmt.Sscan(p.eval(fmt.Sprintf(`String(document.querySelectorAll('#events li[data-type=%q]').length)`, kind)), &n)
	return n
}

func TestSignUpConfirmAndSignIn(t *testing.T) {
	p := openFreshPage(t)
	p.fill(map[string]string{"signup-username": "fresh-signup", "signup-email": "fresh-signup@example.com",
		"signup-name": "New Bie", "signup-password": "Newbie-Passw0rd!"})
	p.wantStep(p.click("signup"), "CONFIRM_SIGN_UP")
	p.inView("step-card")
	if text := p.stepText(); !strings.Contains(text, "by email to f***@e***") {
		t.Errorf("the confirmation prompt says %q; want where the code went (by email to f***@e***)", text)
	}
	code, medium := p.outboxCode()
	if medium != "EMAIL" {
		t.Errorf("the sign-up code went by %s; want EMAIL (the pool's autoVerifiedAttributes)", medium)
	}
	// A wrong code keeps the prompt open with the error in it.
	p.wantStep(p.answer(map[string]string{"code": wrongCode(code)}), "error")
	if plain, detail := p.stepError(); !strings.Contains(detail, "CodeMismatchException") || plain == "" {
		t.Errorf("wrong code: the prompt shows %q %q; want CodeMismatchException in plain words", plain, detail)
	}
	// The right one confirms the account and signs in (autoSignIn).
	p.wantSignedInAs(p.answer(map[string]string{"code": code}), "fresh-signup")
	if got := p.attribute("email"); got != "fresh-signup@example.com" {
		t.Errorf("the account page shows email %q; want fresh-signup@example.com", got)
	}
	if got := p.attributeStatus("email"); got != "verified" {
		t.Errorf("email status = %q; want verified (confirmed with the emailed code)", got)
	}
	if got := p.attribute("name"); got != "New Bie" {
		t.Errorf("name = %q; want New Bie", got)
	}
	if p.events("signedIn") != 1 {
		t.Errorf("signedIn events listed = %d; want 1", p.events("signedIn"))
	}

	// The same name again is refused, in words.
	p.fill(map[string]string{"signup-username": "fresh-signup", "signup-email": "other@example.com", "signup-password": "Newbie-Passw0rd!"})
	if got := p.click("signup"); got != "error" || !strings.Contains(p.resultError(), "UsernameExistsException") {
		t.Errorf("signing up a taken name: outcome %q, error %q; want UsernameExistsException", got, p.resultError())
	}
}

func TestUnconfirmedUserConfirmsFromSignIn(t *testing.T) {
	user, pass := demoUser(t, "uma")
	p := openFreshPage(t)
	if got := p.signIn(user, pass+"x", "USER_SRP_AUTH"); got != "error" || !strings.Contains(p.resultError(), "NotAuthorizedException") {
		t.Errorf("unconfirmed user with a wrong password: outcome %q, error %q; want NotAuthorizedException", got, p.resultError())
	}
	p.wantStep(p.signIn(user, pass, "USER_SRP_AUTH"), "CONFIRM_SIGN_UP")
	if text := p.stepText(); !strings.Contains(text, "has not confirmed") {
		t.Errorf("CONFIRM_SIGN_UP prompt says %q; want it to say the account is not confirmed", text)
	}
	p.wantStep(p.click("resend-code"), "CODE_SENT")
	if text := p.stepText(); !strings.Contains(text, "by email to u***@e***") {
		t.Errorf("after a new code, the prompt says %q; want where it went", text)
	}
	code, _ := p.outboxCode()
	p.wantStep(p.answer(map[string]string{"code": code}), "SIGNED_UP")
	p.inView("notice")
	if got := p.shown("notice"); !strings.Contains(got, "uma is confirmed") {
		t.Errorf("notice = %q; want it to say uma is confirmed", got)
	}
	p.wantSignedInAs(p.signIn(user, pass, "USER_SRP_AUTH"), user)
}

func TestForgotPassword(t *testing.T) {
	const user, newPassword = "acct-reset", "Reset-Passw0rd!2"
	p := openFreshPage(t)
	// No username typed: the page says what to do.
	p.fill(map[string]string{"username": ""})
	if got := p.click("forgot"); got != "error" || !strings.Contains(p.shown("notice"), "username") {
		t.Errorf("forgot password with no username: outcome %q, notice %q; want a notice asking for it", got, p.shown("notice"))
	}
	p.fill(map[string]string{"username": user})
	p.wantStep(p.click("forgot"), "CONFIRM_RESET_PASSWORD_WITH_CODE")
	p.inView("step-card")
	if text := p.stepText(); !strings.Contains(text, "by email to a***@e***") {
		t.Errorf("the reset prompt says %q; want where the code went", text)
	}
	code, _ := p.outboxCode()
	p.wantStep(p.answer(map[string]string{"code": code, "newPassword": newPassword}), "PASSWORD_RESET")
	p.inView("notice")
	if got := p.shown("notice"); !strings.Contains(got, "password of acct-reset is changed") {
		t.Errorf("notice = %q; want it to say the password is changed", got)
	}
	if got := p.signIn(user, acctPassword, "USER_SRP_AUTH"); got != "error" {
		t.Errorf("the old password after the reset: outcome %q; want error", got)
	}
	p.wantSignedInAs(p.signIn(user, newPassword, "USER_SRP_AUTH"), user)
}

func TestEditAndVerifyAttributes(t *testing.T) {
	const user = "acct-attrs"
	p := openFreshPage(t)
	p.signedInAs(user)
	if got, st := p.attribute("email"), p.attributeStatus("email"); got != user+"@example.com" || st != "verified" {
		t.Fatalf("email = %q (%s); want %s@example.com, verified", got, st, user)
	}
	if got := p.attribute("sub"); got != p.claim("#id-claims", "sub") {
		t.Errorf("sub = %q; want the id token's", got)
	}

	// A plain attribute: saved at once.
	p.fill(map[string]string{"new-attribute-name": "name", "new-attribute-value": "Attr Person"})
	p.want(p.click("save-attributes"), "attributes:ok")
	p.inView("attributes-result")
	if got := p.shown("attributes-result"); got != "Saved name." {
		t.Errorf("result = %q; want %q", got, "Saved name.")
	}
	if got := p.attribute("name"); got != "Attr Person" {
		t.Errorf("name after saving = %q; want Attr Person", got)
	}
	p.setAttribute("name", "Attr Renamed")
	p.want(p.click("save-attributes"), "attributes:ok")
	if got := p.attribute("name"); got != "Attr Renamed" {
		t.Errorf("name after editing = %q; want Attr Renamed", got)
	}

	// A new email needs its code: a wrong one is refused where it was typed.
	p.setAttribute("email", "attrs-new@example.com")
	p.want(p.click("save-attributes"), "attributes:ok")
	if got := p.shown("attributes-result"); !strings.Contains(got, "email needs verifying") {
		t.Errorf("result = %q; want it to say email needs verifying", got)
	}
	if text := p.shown("verify-form"); !strings.Contains(text, "by email to a***@e***") {
		t.Errorf("the verify form says %q; want where the code went", text)
	}
	p.inView("verify-form")
	if got := p.attributeStatus("email"); !strings.Contains(got, "not verified") {
		t.Errorf("email status after the change = %q; want not verified", got)
	}
	code, _ := p.outboxCode()
	p.fill(map[string]string{"verify-code": wrongCode(code)})
	p.want(p.click("verify"), "error")
	if got := p.shown("attributes-result"); !strings.Contains(got, "CodeMismatchException") {
		t.Errorf("wrong code: result = %q; want CodeMismatchException", got)
	}
	p.fill(map[string]string{"verify-code": code})
	p.want(p.click("verify"), "verify:ok")
	if got, st := p.attribute("email"), p.attributeStatus("email"); got != "attrs-new@example.com" || st != "verified" {
		t.Errorf("after verifying, email = %q (%s); want attrs-new@example.com, verified", got, st)
	}

	// An unverified email gets a code from its row's Verify button.
	adminCall(t, "AdminUpdateUserAttributes", map[string]any{"UserPoolId": poolMain, "Username": user,
		"UserAttributes": []map[string]string{{"Name": "email_verified", "Value": "false"}}})
	p.want(p.click("signout"), "signedOut:ok") // the next sign-in draws the attributes anew
	p.signedInAs(user)
	p.want(p.settle(`document.querySelector('#attributes button[data-verify=email]').click()`), "verify-code:ok")
	code, _ = p.outboxCode()
	p.fill(map[string]string{"verify-code": code})
	p.want(p.click("verify"), "verify:ok")
	if st := p.attributeStatus("email"); st != "verified" {
		t.Errorf("after the Verify button, email is %q; want verified", st)
	}

	// Removed.
	p.want(p.settle(`document.querySelector('#attributes button[data-remove=name]').click()`), "attributes:ok")
	if got := p.attribute("name"); got != "<missing>" {
		t.Errorf("name after removing = %q; want it gone", got)
	}
	if got := p.shown("attributes-result"); got != "Removed name." {
		t.Errorf("result = %q; want %q", got, "Removed name.")
	}
}

func TestChangePassword(t *testing.T) {
	const user, newPassword = "acct-pw", "Changed-Passw0rd!3"
	p := openFreshPage(t)
	p.signedInAs(user)
	p.fill(map[string]string{"old-password": "Not-The-Passw0rd!", "new-password": newPassword})
	p.want(p.click("change-password"), "error")
	p.inView("password-result")
	if got := p.shown("password-result"); !strings.Contains(got, "NotAuthorizedException") {
		t.Errorf("wrong current password: result = %q; want NotAuthorizedException", got)
	}
	p.fill(map[string]string{"old-password": acctPassword, "new-password": newPassword})
	p.want(p.click("change-password"), "password:ok")
	if got := p.shown("password-result"); !strings.Contains(got, "Password changed") {
		t.Errorf("result = %q; want Password changed", got)
	}
	p.want(p.click("signout"), "signedOut:ok")
	if got := p.signIn(user, acctPassword, "USER_SRP_AUTH"); got != "error" {
		t.Errorf("the old password: outcome %q; want error", got)
	}
	p.wantSignedInAs(p.signIn(user, newPassword, "USER_SRP_AUTH"), user)
}

func TestTOTPSetupOnAccountPage(t *testing.T) {
	const user = "acct-mfa"
	p := openFreshPage(t)
	p.signedInAs(user)
	if got := p.eval(`document.getElementById("mfa-current").dataset.enabled`); got != "" {
		t.Fatalf("MFA enabled at first = %q; want none", got)
	}
	p.want(p.click("setup-totp"), "totp-setup:ok")
	p.inView("totp-form")
	secret := strings.TrimSpace(p.text("#account-totp-secret"))
	uri := p.eval(`document.getElementById("totp-setup").dataset.uri`)
	if m := otpauthSecret.FindStringSubmatch(uri); !strings.HasPrefix(uri, "otpauth://totp/") || m == nil || m[1] != secret || !strings.Contains(uri, user) {
		t.Errorf("setup link = %q; want an otpauth://totp/ URI for %s with the secret shown (%s)", uri, user, secret)
	}
	if got := p.decodeQR("account-totp-qr"); got != uri {
		t.Errorf("the QR code reads %q; want %q", got, uri)
	}
	now := time.Now()
	p.fill(map[string]string{"totp-code": wrongCode(totpCode(t, secret, now), totpCode(t, secret, now.Add(-30*time.Second)), totpCode(t, secret, now.Add(30*time.Second)))})
	p.want(p.click("verify-totp"), "error")
	if got := p.shown("mfa-result"); !strings.Contains(got, "Exception") {
		t.Errorf("wrong code: result = %q; want the error named", got)
	}
	p.fill(map[string]string{"totp-code": totpCode(t, secret, time.Now()), "totp-device": "e2e phone"})
	p.want(p.click("verify-totp"), "totp:ok")
	p.inView("mfa-result")
	if got := p.eval(`document.getElementById("mfa-current").dataset.preferred`); got != "TOTP" {
		t.Errorf("preferred MFA after setup = %q; want TOTP", got)
	}
	p.want(p.click("signout"), "signedOut:ok")
	p.wantStep(p.signIn(user, acctPassword, "USER_SRP_AUTH"), "CONFIRM_SIGN_IN_WITH_TOTP_CODE")
	p.wantSignedInAs(p.answer(map[string]string{"code": totpCode(t, secret, time.Now().Add(30*time.Second))}), user)

	// Turned off again: the next sign-in asks for the password only.
	p.eval(`(() => { document.getElementById("mfa-totp").value = "DISABLED"; return ""; })()`)
	p.want(p.click("save-mfa"), "mfa:ok")
	if got := p.eval(`document.getElementById("mfa-current").dataset.enabled`); got != "" {
		t.Errorf("MFA enabled after turning TOTP off = %q; want none", got)
	}
	p.want(p.click("signout"), "signedOut:ok")
	p.signedInAs(user)
}

func TestDeleteAccount(t *testing.T) {
	const user = "acct-delete"
	p := openFreshPage(t)
	p.want(p.selectValue("storage", "localStorage"), "session:none")
	p.signedInAs(user)
	access := p.stored(storageKey(env.cfg.ClientID, user, "accessToken"))
	// The first click only asks; "Keep it" keeps it.
	p.eval(`(() => { document.getElementById("delete-account").click(); document.getElementById("delete-cancel").click(); return ""; })()`)
	wantAccepted(t, "after Keep it", "GetUser", map[string]string{"AccessToken": access})
	p.eval(`(() => { document.getElementById("delete-account").click(); return ""; })()`)
	p.inView("delete-confirm")
	p.want(p.click("delete-confirmed"), "deleted:ok")
	p.inView("notice")
	if got := p.shown("notice"); !strings.Contains(got, "account acct-delete is deleted") {
		t.Errorf("notice = %q; want it to say the account is deleted", got)
	}
	if keys := p.eval(`Object.keys(localStorage).filter((k) => k.startsWith("CognitoIdentityServiceProvider.")).join(",")`); keys != "" {
		t.Errorf("localStorage still holds %s after deleting the account", keys)
	}
	if status, out := cognito(t, "GetUser", map[string]string{"AccessToken": access}); status == http.StatusOK {
		t.Errorf("GetUser with the deleted user's token = %d %v; want it refused", status, out)
	}
	if got := p.signIn(user, acctPassword, "USER_SRP_AUTH"); got != "error" {
		t.Errorf("signing in as the deleted user: outcome %q; want error", got)
	}
}

//go:build js && wasm

package main

import (
	"context"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/internal/jsbridge"
)

const (
	acctPool       = "us-east-1_cwAcct001"
	acctPublic     = "cwacctpublicclient000001"
	acctSecretful  = "cwacctsecretclient000001"
	acctUserAuth   = "cwacctuserauthclient0001"
	acctPassword   = "Passw0rd!Alice"
	acctNewcomerPw = "Passw0rd!Newcomer"
)

// acctHandle is a client of the account test pool.
func acctHandle(t *testing.T, ns js.Value, client, secret string) js.Value {
	t.Helper()
	return newHandleJS(t, ns, `{userPoolId: "`+acctPool+`", clientId: "`+client+`", clientSecret: "`+secret+`", endpoint: "`+emulatorURL+`"}`)
}

// accountCall sends op through the handle's accountCall (JSON text in and
// out, as the shim does) and returns its answer parsed. extra adds fields,
// e.g. `, AutoSignIn: true`.
func accountCall(t *testing.T, h js.Value, op, request, extra string) (js.Value, error) {
	t.Helper()
	args := jsArgs(t, `[JSON.stringify({Operation: "`+op+`", Request: `+request+extra+`})]`)
	out, err := call(t, h, "accountCall", args)
	if err != nil {
		return js.Undefined(), err
	}
	if out.Length() != 2 || out.Index(0).Type() != js.TypeString || out.Index(1).Type() != js.TypeBoolean {
		t.Fatalf("accountCall(%s) = %v; want [JSON text, boolean]", op, out)
	}
	v := js.Global().Get("Object").New()
	v.Set("body", js.Global().Get("JSON").Call("parse", out.Index(0)))
	v.Set("autoSignIn", out.Index(1))
	return v, nil
}

// lastCode is the newest code the emulator's outbox holds for username.
func lastCode(t *testing.T, username string) string {
	t.Helper()
	p := js.Global().Get("Function").New("url", "pool", "user", `
		return fetch(url + "/_dev/outbox?userPoolId=" + encodeURIComponent(pool) + "&username=" + encodeURIComponent(user))
			.then(r => r.json()).then(m => m.length ? m[m.length - 1].code : "");`).Invoke(emulatorURL, acctPool, username)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, err := jsbridge.Await(ctx, p)
	if err != nil || v.String() == "" {
		t.Fatalf("outbox for %s = %v, %v; want a code", username, v, err)
	}
	return v.String()
}

func wantRejection(t *testing.T, what string, err error, name, msg string) {
	t.Helper()
	if n, m := rejection(err); n != name || !strings.Contains(m, msg) {
		t.Fatalf("%s = %v; want %s containing %q", what, err, name, msg)
	}
}

func TestAccountCallBadArguments(t *testing.T) {
	ns := newNamespace(t)
	h := acctHandle(t, ns, acctPublic, "")
	for _, tt := range []struct {
		name, args, wantName, wantMsg string
	}{
		{"no input", `[]`, "InvalidParameterException", "input must be a string, not undefined"},
		{"an object", `[{Operation: "GetUser"}]`, "InvalidParameterException", "input must be a string, not an object"},
		{"revoked proxy", `[(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })()]`, "InvalidParameterException", "input must be a string, not an unreadable value"},
		{"not JSON", `["{"]`, "InvalidParameterException", "input must be the JSON text of"},
		{"an array", `["[1]"]`, "InvalidParameterException", "input must be the JSON text of"},
		{"number operation", `[JSON.stringify({Operation: 1})]`, "InvalidParameterException", "input must be the JSON text of"},
		{"request an array", `[JSON.stringify({Operation: "ForgotPassword", Request: [1]})]`, "InvalidParameterException", "request must be the JSON text of an object"},
		{"forged token", `[JSON.stringify({Operation: "GetUser", Request: {AccessToken: "x"}})]`, "InvalidParameterException", "request must not carry"},
		{"forged client", `[JSON.stringify({Operation: "ForgotPassword", Request: {Username: "a", ClientId: "x"}})]`, "InvalidParameterException", "request must not carry ClientId"},
		{"autoSignIn a number", `[JSON.stringify({Operation: "SignUp", Request: {Username: "x"}, AutoSignIn: 1})]`, "InvalidParameterException", "input must be the JSON text of"},
		{"autoSignIn flow a number", `[JSON.stringify({Operation: "SignUp", Request: {Username: "x"}, AutoSignIn: {authFlowType: 2}})]`, "InvalidParameterException", "input must be the JSON text of"},
		{"admin operation", `[JSON.stringify({Operation: "AdminDeleteUser", Request: {}})]`, "InvalidParameterException", "operation must be one of the account operations"},
		{"no operation", `["{}"]`, "InvalidParameterException", "operation must be one of the account operations"},
		{"no username", `[JSON.stringify({Operation: "ForgotPassword", Request: {}})]`, "InvalidParameterException", "Username is required"},
		{"signed out", `[JSON.stringify({Operation: "GetUser"})]`, "UserUnAuthenticatedException", "User needs to be authenticated"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := call(t, h, "accountCall", jsArgs(t, tt.args))
			wantRejection(t, "accountCall"+tt.args, err, tt.wantName, tt.wantMsg)
		})
	}
	_, err := call(t, h, "autoSignIn", nil)
	wantRejection(t, "autoSignIn() before any sign-up", err, "AutoSignInException", "has not started")
}

// TestAutoSignIn: signUp with autoSignIn, confirmSignUp, autoSignIn()
// signs in, by ConfirmSignUp's Session on a USER_AUTH client and by the
// password kept in the module otherwise; it runs once.
func TestAutoSignIn(t *testing.T) {
	ns := newNamespace(t)
	for _, tt := range []struct {
		name, client, user, auto string
	}{
		{"by Session", acctUserAuth, "newcomer-session", "true"},
		{"by password", acctPublic, "newcomer-password", `{authFlowType: "USER_PASSWORD_AUTH", clientMetadata: {k: "v"}}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := acctHandle(t, ns, tt.client, "")
			out, err := accountCall(t, h, "SignUp", `{Username: "`+tt.user+`", Password: "`+acctNewcomerPw+`", UserAttributes: [{Name: "email", Value: "`+tt.user+`@example.com"}]}`, `, AutoSignIn: `+tt.auto)
			if err != nil || out.Get("body").Get("UserConfirmed").Bool() {
				t.Fatalf("SignUp = %v, %v; want an unconfirmed user", out, err)
			}
			_, err = call(t, h, "autoSignIn", nil)
			wantRejection(t, "autoSignIn() before confirming", err, "AutoSignInException", "")
			out, err = accountCall(t, h, "ConfirmSignUp", `{Username: "`+tt.user+`", ConfirmationCode: "`+lastCode(t, tt.user)+`"}`, "")
			if err != nil || !out.Get("autoSignIn").Truthy() {
				t.Fatalf("ConfirmSignUp = %v, %v; want autoSignIn due", out, err)
			}
			res, err := call(t, h, "autoSignIn", nil)
			if err != nil || !res.Get("isSignedIn").Bool() || res.Get("nextStep").Get("signInStep").String() != "DONE" {
				t.Fatalf("autoSignIn() = %v, %v; want signed in", res, err)
			}
			me, err := accountCall(t, h, "GetUser", `{}`, "")
			if err != nil || me.Get("body").Get("Username").String() != tt.user {
				t.Fatalf("GetUser after autoSignIn = %v, %v; want %s", me, err, tt.user)
			}
			_, err = call(t, h, "autoSignIn", nil)
			wantRejection(t, "autoSignIn() a second time", err, "AutoSignInException", "")
		})
	}
	t.Run("another user's confirmation", func(t *testing.T) {
		h := acctHandle(t, ns, acctPublic, "")
		if _, err := accountCall(t, h, "SignUp", `{Username: "newcomer-one", Password: "`+acctNewcomerPw+`", UserAttributes: [{Name: "email", Value: "one@example.com"}]}`, `, AutoSignIn: true`); err != nil {
			t.Fatal(err)
		}
		if _, err := accountCall(t, h, "SignUp", `{Username: "newcomer-two", Password: "`+acctNewcomerPw+`", UserAttributes: [{Name: "email", Value: "two@example.com"}]}`, ""); err != nil {
			t.Fatal(err)
		}
		out, err := accountCall(t, h, "ConfirmSignUp", `{Username: "newcomer-one", ConfirmationCode: "`+lastCode(t, "newcomer-one")+`"}`, "")
		if err != nil || out.Get("autoSignIn").Truthy() {
			t.Fatalf("ConfirmSignUp after a second sign-up without autoSignIn = %v, %v; want no auto sign-in (the new sign-up ended it)", out, err)
		}
	})
	t.Run("wrong code keeps it", func(t *testing.T) {
		h := acctHandle(t, ns, acctPublic, "")
		if _, err := accountCall(t, h, "SignUp", `{Username: "newcomer-retry", Password: "`+acctNewcomerPw+`", UserAttributes: [{Name: "email", Value: "retry@example.com"}]}`, `, AutoSignIn: true`); err != nil {
			t.Fatal(err)
		}
		_, err := accountCall(t, h, "ConfirmSignUp", `{Username: "newcomer-retry", ConfirmationCode: "000000"}`, "")
		wantRejection(t, "ConfirmSignUp with a wrong code", err, "CodeMismatchException", "")
		out, err := accountCall(t, h, "ConfirmSignUp", `{Username: "newcomer-retry", ConfirmationCode: "`+lastCode(t, "newcomer-retry")+`"}`, "")
		if err != nil || !out.Get("autoSignIn").Truthy() {
			t.Fatalf("ConfirmSignUp = %v, %v; want autoSignIn due", out, err)
		}
		if res, err := call(t, h, "autoSignIn", nil); err != nil || !res.Get("isSignedIn").Bool() {
			t.Fatalf("autoSignIn() = %v, %v; want signed in", res, err)
		}
	})
}

// TestAccountSignedIn: the calls for the signed-in user get its token from
// the session; the client secret is added inside the module; deleteUser
// signs out.
func TestAccountSignedIn(t *testing.T) {
	ns := newNamespace(t)
	h := acctHandle(t, ns, acctPublic, "")
	if res, err := call(t, h, "signIn", jsArgs(t, `[{username: "acct-alice", password: "`+acctPassword+`"}]`)); err != nil || !res.Get("isSignedIn").Bool() {
		t.Fatalf("signIn = %v, %v", res, err)
	}
	out, err := accountCall(t, h, "AssociateSoftwareToken", `{}`, "")
	if err != nil || out.Get("body").Get("SecretCode").Type() != js.TypeString {
		t.Fatalf("AssociateSoftwareToken = %v, %v; want a secret", out, err)
	}
	out, err = accountCall(t, h, "UpdateUserAttributes", `{UserAttributes: [{Name: "email", Value: "acct-alice2@example.com"}]}`, "")
	if err != nil || out.Get("body").Get("CodeDeliveryDetailsList").Length() != 1 {
		t.Fatalf("UpdateUserAttributes = %v, %v; want one code delivery", out, err)
	}
	_, err = accountCall(t, h, "ChangePassword", `{PreviousPassword: "Wr0ng!Passw0rd", ProposedPassword: "N3w!Passw0rd"}`, "")
	wantRejection(t, "ChangePassword with a wrong password", err, "NotAuthorizedException", "")

	t.Run("secret added inside", func(t *testing.T) {
		s := acctHandle(t, ns, acctSecretful, testSecret)
		if _, err := accountCall(t, s, "SignUp", `{Username: "secret-newcomer", Password: "`+acctNewcomerPw+`", UserAttributes: [{Name: "email", Value: "sn@example.com"}]}`, ""); err != nil {
			t.Fatalf("SignUp on a client with a secret = %v", err)
		}
		wrong := acctHandle(t, ns, acctSecretful, "not-the-secret")
		_, err := accountCall(t, wrong, "ForgotPassword", `{Username: "acct-alice"}`, "")
		wantRejection(t, "ForgotPassword with a wrong secret", err, "NotAuthorizedException", "")
	})

	t.Run("deleteUser signs out", func(t *testing.T) {
		d := acctHandle(t, ns, acctPublic, "")
		if _, err := accountCall(t, d, "SignUp", `{Username: "short-lived", Password: "`+acctNewcomerPw+`", UserAttributes: [{Name: "email", Value: "sl@example.com"}]}`, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := accountCall(t, d, "ConfirmSignUp", `{Username: "short-lived", ConfirmationCode: "`+lastCode(t, "short-lived")+`"}`, ""); err != nil {
			t.Fatal(err)
		}
		if res, err := call(t, d, "signIn", jsArgs(t, `[{username: "short-lived", password: "`+acctNewcomerPw+`"}]`)); err != nil || !res.Get("isSignedIn").Bool() {
			t.Fatalf("signIn = %v, %v", res, err)
		}
		if _, err := accountCall(t, d, "DeleteUser", `{}`, ""); err != nil {
			t.Fatalf("DeleteUser = %v", err)
		}
		_, err := accountCall(t, d, "GetUser", `{}`, "")
		wantRejection(t, "GetUser after DeleteUser", err, "UserUnAuthenticatedException", "")
		_, err = call(t, d, "signIn", jsArgs(t, `[{username: "short-lived", password: "`+acctNewcomerPw+`"}]`))
		wantRejection(t, "signIn after DeleteUser", err, "UserNotFoundException", "")
	})
}

// lastHandle is the Go side of the newest client handle.
func lastHandle(t *testing.T) *handle {
	t.Helper()
	handles.Lock()
	defer handles.Unlock()
	h := handles.m[handles.next]
	if h == nil {
		t.Fatal("no handle")
	}
	return h
}

// autoState reads what a handle keeps for auto sign-in.
func autoState(h *handle) (active bool, password, session string) {
	h.auto.mu.Lock()
	defer h.auto.mu.Unlock()
	return h.auto.active, h.auto.in.Password, h.auto.session
}

// TestAutoSignInKeepsThePasswordOnlyWhenNeeded: with a Session the password
// is not kept at all; without one it is kept until the timer drops it (the
// state is read directly, not through the expiry check autoSignIn() makes).
func TestAutoSignInKeepsThePasswordOnlyWhenNeeded(t *testing.T) {
	ns := newNamespace(t)
	h := acctHandle(t, ns, acctUserAuth, "")
	if _, err := accountCall(t, h, "SignUp", `{Username: "kept-session", Password: "`+acctNewcomerPw+`", UserAttributes: [{Name: "email", Value: "ks@example.com"}]}`, `, AutoSignIn: true`); err != nil {
		t.Fatal(err)
	}
	if active, password, session := autoState(lastHandle(t)); !active || password != "" || session == "" {
		t.Fatalf("after SignUp on a USER_AUTH client: active %v, password kept %v, session %q; want active, no password, a Session", active, password != "", session)
	}

	defer func(d time.Duration) { autoSignInFor = d }(autoSignInFor)
	autoSignInFor = 20 * time.Millisecond
	p := acctHandle(t, ns, acctPublic, "")
	hp := lastHandle(t)
	if _, err := accountCall(t, p, "SignUp", `{Username: "kept-password", Password: "`+acctNewcomerPw+`", UserAttributes: [{Name: "email", Value: "kp@example.com"}]}`, `, AutoSignIn: true`); err != nil {
		t.Fatal(err)
	}
	if active, password, _ := autoState(hp); !active || password != acctNewcomerPw {
		t.Fatalf("after SignUp on a client without USER_AUTH: active %v, password kept %v; want both", active, password == acctNewcomerPw)
	}
	// Let the JS event loop run the timer, then the goroutine it starts.
	wait := js.Global().Get("Function").New(`return new Promise(r => setTimeout(r, 200))`).Invoke()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i := 0; i < 50; i++ {
		if _, err := jsbridge.Await(ctx, wait); err != nil {
			t.Fatal(err)
		}
		if active, password, _ := autoState(hp); !active && password == "" {
			return
		}
		wait = js.Global().Get("Function").New(`return new Promise(r => setTimeout(r, 100))`).Invoke()
	}
	t.Fatal("the kept password was not dropped once auto sign-in expired")
}

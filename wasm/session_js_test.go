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

// sessionEnv is a JS-side storage (async, over a Map, as an app's own
// KeyValueStorage may be), an events log and an emit function.
func sessionEnv(async bool) js.Value {
	return js.Global().Get("Function").New("async", `
		const m = new Map(), log = [];
		const wrap = async ? (f) => async (...a) => f(...a) : (f) => f;
		const storage = {
			getItem: wrap((k) => m.has(k) ? m.get(k) : null),
			setItem: wrap((k, v) => { m.set(k, String(v)); }),
			removeItem: wrap((k) => { m.delete(k); }),
		};
		const emit = (type, username, userId, error) => { log.push({type, username, userId, error}); };
		return {m, log, storage, emit};`).Invoke(async)
}

// sessionHandle creates a client over env's storage and emit.
func sessionHandle(t *testing.T, ns, env js.Value) js.Value {
	t.Helper()
	args := js.Global().Get("Function").New("cfg", "env", "return [{...cfg, storage: env.storage}, env.emit]").Invoke(jsArgs(t, "[cfg]")[0], env)
	h, err := call(t, ns, "createClient", []js.Value{args.Index(0), args.Index(1)})
	if err != nil {
		t.Fatalf("createClient = %v", err)
	}
	return h
}

func key(name string) string { return "CognitoIdentityServiceProvider." + testClient + "." + name }

func events(env js.Value) []string {
	log := env.Get("log")
	var out []string
	for i := range log.Length() {
		e := log.Index(i)
		s := e.Get("type").String()
		if u := e.Get("username").String(); u != "" {
			s += ":" + u
		}
		out = append(out, s)
	}
	return out
}

func TestSessionStorageOptionChecked(t *testing.T) {
	ns := newNamespace(t)
	for _, tt := range []struct{ storage, want string }{
		{`"cookies"`, "config.storage must be 'memory', 'localStorage', 'sessionStorage' or an object"},
		{`42`, "config.storage must be"},
		{`10n`, "config.storage must be"},
		{`{getItem: 1n, setItem() {}, removeItem() {}}`, "config.storage.getItem must be a function"},
		{`{getItem() {}, setItem() {}}`, "config.storage.removeItem must be a function"},
		{`{getItem: "x", setItem() {}, removeItem() {}}`, "config.storage.getItem must be a function"},
		{`(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })()`, "config.storage"},
		{`new Proxy({}, {get() { throw new Error("trap") }})`, "config.storage.getItem must be a function"},
	} {
		_, err := call(t, ns, "createClient", jsArgs(t, `[{...cfg, storage: `+tt.storage+`}]`))
		if name, msg := rejection(err); name != "InvalidParameterException" || !strings.Contains(msg, tt.want) {
			t.Errorf("createClient(storage: %s) = %v; want InvalidParameterException containing %q", tt.storage, err, tt.want)
		}
	}
}

// TestSessionLifecycle: a sign-in is stored under identity-js's keys and
// reported, session() hands it out and refreshes it, another client over the
// same storage picks it up, signOut revokes and clears.
func TestSessionLifecycle(t *testing.T) {
	ns := newNamespace(t)
	env := sessionEnv(true)
	h := sessionHandle(t, ns, env)
	res, err := call(t, h, "signIn", jsArgs(t, `[{username: "alice@example.com", password: "Passw0rd!Alice"}]`))
	if err != nil || !res.Get("isSignedIn").Bool() {
		t.Fatalf("signIn = %v, %v", res, err)
	}
	m := env.Get("m")
	access, refresh := res.Get("tokens").Get("accessToken").String(), res.Get("tokens").Get("refreshToken").String()
	if got := m.Call("get", key("LastAuthUser")).String(); got != "alice" {
		t.Errorf("LastAuthUser = %q; want alice (the real username, not the alias typed)", got)
	}
	for name, want := range map[string]string{"alice.accessToken": access, "alice.refreshToken": refresh,
		"alice.signInDetails": `{"loginId":"alice@example.com","authFlowType":"USER_SRP_AUTH"}`} {
		if got := m.Call("get", key(name)); got.Type() != js.TypeString || got.String() != want {
			t.Errorf("storage %s = %.30v; want %.30q", name, got, want)
		}
	}
	if got := m.Call("get", key("alice.clockDrift")); got.Type() != js.TypeString {
		t.Errorf("storage clockDrift = %v; want a number of milliseconds", got)
	}
	if got := events(env); len(got) != 1 || got[0] != "signedIn:alice" {
		t.Errorf("events = %v; want [signedIn:alice]", got)
	}

	s, err := call(t, h, "session", jsArgs(t, `[false]`))
	if err != nil || s.Index(0).String() != access || s.Index(2).String() != "alice@example.com" || s.Index(3).String() != "USER_SRP_AUTH" {
		t.Fatalf("session(false) = %v, %v; want the stored tokens and sign-in details", s, err)
	}
	s, err = call(t, h, "session", jsArgs(t, `[true]`))
	if err != nil || s.Index(0).String() == access || s.Index(1).String() == "" {
		t.Fatalf("session(true) = %v, %v; want refreshed tokens", s, err)
	}
	refreshed := s.Index(0).String()
	if got := m.Call("get", key("alice.accessToken")).String(); got != refreshed {
		t.Errorf("stored access token is not the refreshed one")
	}
	if got := events(env); len(got) != 2 || got[1] != "tokenRefresh" {
		t.Errorf("events = %v; want signedIn then tokenRefresh", got)
	}

	other := sessionHandle(t, ns, sessionEnvOver(env))
	if s, err := call(t, other, "session", jsArgs(t, `[false]`)); err != nil || s.Type() != js.TypeObject || s.Index(0).String() != refreshed {
		t.Fatalf("another client over the same storage: session = %v, %v; want the stored session", s, err)
	}

	if _, err := call(t, h, "signOut", jsArgs(t, `[false]`)); err != nil {
		t.Fatalf("signOut = %v", err)
	}
	if m.Get("size").Int() != 0 {
		t.Errorf("storage after signOut holds %d keys; want none", m.Get("size").Int())
	}
	if got := events(env); got[len(got)-1] != "signedOut:alice" || !env.Get("log").Index(len(got)-1).Get("error").IsUndefined() {
		t.Errorf("events = %v; want signedOut:alice last, without error", got)
	}
	if s, err := call(t, h, "session", jsArgs(t, `[false]`)); err != nil || !s.IsNull() {
		t.Errorf("session after signOut = %v, %v; want null", s, err)
	}
	_, err = call(t, h, "initiate", jsArgs(t, `[{AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: {REFRESH_TOKEN: "`+refresh+`"}}]`))
	if name, _ := rejection(err); name != "NotAuthorizedException" {
		t.Errorf("refresh with the signed-out refresh token = %v; want NotAuthorizedException", err)
	}
}

// sessionEnvOver is a second env sharing env's Map (another page load).
func sessionEnvOver(env js.Value) js.Value {
	e := sessionEnv(false)
	m := env.Get("m")
	st := e.Get("storage")
	st.Set("getItem", js.Global().Get("Function").New("m", "return (k) => m.has(k) ? m.get(k) : null").Invoke(m))
	st.Set("setItem", js.Global().Get("Function").New("m", "return (k, v) => { m.set(k, v); }").Invoke(m))
	st.Set("removeItem", js.Global().Get("Function").New("m", "return (k) => { m.delete(k); }").Invoke(m))
	e.Set("m", m)
	return e
}

// TestIdentityJSSessionPickedUp: keys written the way
// amazon-cognito-identity-js writes them (clockDrift in its seconds, no
// signInDetails) make a signed-in session, with synchronous storage as
// localStorage is.
func TestIdentityJSSessionPickedUp(t *testing.T) {
	ns := newNamespace(t)
	raw, err := call(t, ns, "initiate", jsArgs(t, `[cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "alice", PASSWORD: "Passw0rd!Alice"}}]`))
	if err != nil {
		t.Fatalf("initiate = %v", err)
	}
	r := raw.Get("AuthenticationResult")
	env := sessionEnv(false)
	m := env.Get("m")
	m.Call("set", key("LastAuthUser"), "alice")
	m.Call("set", key("alice.idToken"), r.Get("IdToken"))
	m.Call("set", key("alice.accessToken"), r.Get("AccessToken"))
	m.Call("set", key("alice.refreshToken"), r.Get("RefreshToken"))
	m.Call("set", key("alice.clockDrift"), "0")
	h := sessionHandle(t, ns, env)
	s, err := call(t, h, "session", jsArgs(t, `[false]`))
	if err != nil || s.Type() != js.TypeObject || s.Index(0).String() != r.Get("AccessToken").String() {
		t.Fatalf("session = %v, %v; want identity-js's stored tokens", s, err)
	}
	if s, err := call(t, h, "session", jsArgs(t, `[true]`)); err != nil || s.Index(0).String() == r.Get("AccessToken").String() {
		t.Fatalf("session(true) = %v, %v; want refreshed with identity-js's refresh token", s, err)
	}
}

// TestSessionStorageFailures: a storage that throws or rejects fails the
// call with its own error; an event listener that throws fails nothing.
func TestSessionStorageFailures(t *testing.T) {
	ns := newNamespace(t)
	env := sessionEnv(true)
	st := env.Get("storage")
	st.Set("setItem", js.Global().Get("Function").New(`return async () => { const e = new Error("full"); e.name = "QuotaExceededError"; throw e; }`).Invoke())
	h := sessionHandle(t, ns, env)
	_, err := call(t, h, "signIn", jsArgs(t, `[{username: "alice", password: "Passw0rd!Alice"}]`))
	if name, msg := rejection(err); name != "QuotaExceededError" || msg != "full" {
		t.Errorf("signIn with a rejecting setItem = %v; want QuotaExceededError: full", err)
	}
	st.Set("getItem", js.Global().Get("Function").New(`return () => { throw new TypeError("no reading") }`).Invoke())
	_, err = call(t, h, "session", jsArgs(t, `[false]`))
	if name, _ := rejection(err); name != "TypeError" {
		t.Errorf("session with a throwing getItem = %v; want its TypeError", err)
	}
	for _, bad := range []string{"42", "7n"} {
		st.Set("getItem", js.Global().Get("Function").New(`return () => `+bad).Invoke())
		_, err = call(t, h, "session", jsArgs(t, `[false]`))
		if name, msg := rejection(err); name != "InvalidParameterException" || !strings.Contains(msg, "config.storage.getItem must return a string or null") {
			t.Errorf("session with getItem returning %s = %v; want InvalidParameterException naming getItem", bad, err)
		}
	}
	// Raw calls with odd arguments: only true forces a refresh or a global sign-out; nothing panics.
	for _, arg := range []string{"1n", "Symbol()", `"true"`, "{}"} {
		if _, err := call(t, h, "session", jsArgs(t, "["+arg+"]")); err == nil {
			t.Errorf("session(%s) with a broken storage succeeded", arg)
		} else if name, _ := rejection(err); name == "InternalErrorException" {
			t.Errorf("session(%s) = %v; a contained panic", arg, err)
		}
	}

	loud := sessionEnv(false)
	loud.Set("emit", js.Global().Get("Function").New(`return () => { throw new Error("listener") }`).Invoke())
	h = sessionHandle(t, ns, loud)
	if res, err := call(t, h, "signIn", jsArgs(t, `[{username: "alice", password: "Passw0rd!Alice"}]`)); err != nil || !res.Get("isSignedIn").Bool() {
		t.Errorf("signIn with a throwing listener = %v, %v; want signed in", res, err)
	}
}

// TestGlobalSignOutRevokesTheAccessToken: after signOut(true) the old access
// token is refused by the server.
func TestGlobalSignOutRevokesTheAccessToken(t *testing.T) {
	ns := newNamespace(t)
	env := sessionEnv(false)
	h := sessionHandle(t, ns, env)
	res, err := call(t, h, "signIn", jsArgs(t, `[{username: "alice", password: "Passw0rd!Alice"}]`))
	if err != nil {
		t.Fatalf("signIn = %v", err)
	}
	access := res.Get("tokens").Get("accessToken").String()
	if _, err := call(t, h, "signOut", jsArgs(t, `[true]`)); err != nil {
		t.Fatalf("signOut(global) = %v", err)
	}
	p := js.Global().Get("Function").New("url", "token", `
		return fetch(url, {method: "POST", headers: {"Content-Type": "application/x-amz-json-1.1",
			"X-Amz-Target": "AWSCognitoIdentityProviderService.GetUser"}, body: JSON.stringify({AccessToken: token})})
		.then(async r => r.status + " " + await r.text());`).Invoke(emulatorURL, access)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, err := jsbridge.Await(ctx, p)
	if err != nil || !strings.HasPrefix(v.String(), "400 ") || !strings.Contains(v.String(), "NotAuthorizedException") {
		t.Errorf("GetUser with the globally signed-out access token = %v, %v; want 400 NotAuthorizedException", v, err)
	}
}

package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func demoUser(t *testing.T, name string) (username, password string) {
	t.Helper()
	for _, u := range env.cfg.Users() {
		if u.Username == name {
			return u.Username, u.Password
		}
	}
	t.Fatalf("demo seed has no user %q", name)
	return "", ""
}

func TestSRPSignInShowsClaims(t *testing.T) {
	user, pass := demoUser(t, "alice")
	tests := []struct {
		name, typed, flow string
	}{
		{"srp by username", user, "USER_SRP_AUTH"},
		{"srp by email alias", "alice@example.com", "USER_SRP_AUTH"},
		{"password flow", user, "USER_PASSWORD_AUTH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openPage(t)
			if state := p.signIn(tt.typed, pass, tt.flow); state != "DONE" {
				t.Fatalf("signIn(%q, %s) state = %q; want DONE (error: %s)", tt.typed, tt.flow, state, p.text("#error"))
			}
			if got := p.text("#signed-in"); got != "Signed in as alice." {
				t.Errorf("signed-in text = %q; want %q", got, "Signed in as alice.")
			}
			want := map[string]string{
				"cognito:username": "alice",
				"token_use":        "id",
				"aud":              env.cfg.ClientID,
				"email":            "alice@example.com",
				"iss":              "https://cognito-idp.us-east-1.amazonaws.com/" + env.cfg.UserPoolID,
			}
			for k, v := range want {
				if got := p.claim("#id-claims", k); got != v {
					t.Errorf("id token claim %s = %q; want %q", k, got, v)
				}
			}
			if got := p.claim("#access-claims", "token_use"); got != "access" {
				t.Errorf("access token claim token_use = %q; want access", got)
			}
			if got := p.claim("#access-claims", "client_id"); got != env.cfg.ClientID {
				t.Errorf("access token claim client_id = %q; want %q", got, env.cfg.ClientID)
			}
			if exp := p.text("#expiry"); !strings.Contains(exp, "in 60 minutes") {
				t.Errorf("expiry text = %q; want it to say the tokens expire in 60 minutes", exp)
			}
		})
	}
}

func TestNonASCIIUserSignsIn(t *testing.T) {
	user, pass := demoUser(t, "jürgen")
	p := openPage(t)
	if state := p.signIn(user, pass, "USER_SRP_AUTH"); state != "DONE" {
		t.Fatalf("signIn(%q) state = %q; want DONE (error: %s)", user, state, p.text("#error"))
	}
	if got := p.claim("#id-claims", "cognito:username"); got != user {
		t.Errorf("cognito:username = %q; want %q", got, user)
	}
}

func TestRefreshTokens(t *testing.T) {
	user, pass := demoUser(t, "bob")
	p := openPage(t)
	if state := p.signIn(user, pass, "USER_SRP_AUTH"); state != "DONE" {
		t.Fatalf("signIn state = %q; want DONE (error: %s)", state, p.text("#error"))
	}
	before := p.claim("#access-claims", "jti")
	if state := p.settle(`document.getElementById("refresh").click()`); state != "DONE" {
		t.Fatalf("after refresh, outcome = %q; want DONE (error: %s)", state, p.text("#error"))
	}
	if after := p.claim("#access-claims", "jti"); after == before || after == "<missing>" {
		t.Errorf("access token jti after refresh = %q; want a new token (before %q)", after, before)
	}
}

func TestWrongCredentialsShowTheRightMessage(t *testing.T) {
	user, pass := demoUser(t, "alice")
	tests := []struct {
		name, user, pass, flow string
		wantPlain, wantDetail  string
	}{
		{"wrong password srp", user, pass + "x", "USER_SRP_AUTH",
			"The username or password is not right.", "NotAuthorizedException: Incorrect username or password."},
		{"wrong password plain", user, "nope-Nope1!", "USER_PASSWORD_AUTH",
			"The username or password is not right.", "NotAuthorizedException: Incorrect username or password."},
		{"unknown user", "nobody-here", pass, "USER_SRP_AUTH",
			"There is no user with that name in this pool.", "UserNotFoundException: User does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openPage(t)
			if state := p.signIn(tt.user, tt.pass, tt.flow); state != "error" {
				t.Fatalf("signIn(%q) state = %q; want error", tt.user, state)
			}
			plain := p.eval(`document.querySelector("#error span").textContent`)
			detail := p.eval(`document.querySelector("#error small").textContent`)
			if plain != tt.wantPlain || detail != tt.wantDetail {
				t.Errorf("error shown = %q / %q; want %q / %q", plain, detail, tt.wantPlain, tt.wantDetail)
			}
		})
	}
}

// malformedCalls are JS expressions, each a call that must reject with a
// clear Error. They run inside the page with cfg, ns (the raw namespace) and
// shim (the ES module) in scope.
var malformedCalls = []struct {
	call     string
	wantName string
	wantIn   string // a word the message must contain: the field at fault
}{
	{`ns.initiate()`, "InvalidParameterException", "config"},
	{`ns.initiate(null, null)`, "InvalidParameterException", "config"},
	{`ns.initiate(42, "x")`, "InvalidParameterException", "config"},
	{`ns.initiate(cfg)`, "InvalidParameterException", "request"},
	{`ns.initiate(cfg, [])`, "InvalidParameterException", "request"},
	{`ns.initiate(cfg, {})`, "InvalidParameterException", "AuthFlow"},
	{`ns.initiate(cfg, {AuthFlow: 7, AuthParameters: {}})`, "InvalidParameterException", "AuthFlow"},
	{`ns.initiate(cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: "x"})`, "InvalidParameterException", "AuthParameters"},
	{`ns.initiate(cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: 5, PASSWORD: "p"}})`, "InvalidParameterException", "USERNAME"},
	{`ns.initiate(cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "alice"}})`, "InvalidParameterException", "PASSWORD"},
	{`ns.initiate(cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "x".repeat(1 << 20), PASSWORD: "p"}})`, "InvalidParameterException", "USERNAME"},
	{`ns.initiate({...cfg, userPoolId: "no-underscore"}, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "a", PASSWORD: "p"}})`, "InvalidParameterException", "userPoolId"},
	{`ns.initiate({...cfg, userPoolId: ["us-east-1_x"]}, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "a", PASSWORD: "p"}})`, "InvalidParameterException", "userPoolId"},
	{`ns.initiate({...cfg, clientId: undefined}, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "a", PASSWORD: "p"}})`, "InvalidParameterException", "clientId"},
	{`ns.initiate({...cfg, endpoint: 12}, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "a", PASSWORD: "p"}})`, "InvalidParameterException", "endpoint"},
	{`ns.initiate(cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "a", PASSWORD: "p"}, ClientMetadata: 3})`, "InvalidParameterException", "ClientMetadata"},
	{`ns.respond()`, "InvalidParameterException", "config"},
	{`ns.respond(cfg, null)`, "InvalidParameterException", "request"},
	{`ns.respond(cfg, {ChallengeName: 3})`, "InvalidParameterException", "ChallengeName"},
	{`ns.respond(cfg, {ChallengeName: "SMS_MFA", ChallengeResponses: [1, 2], Session: "s"})`, "InvalidParameterException", "ChallengeResponses"},
	{`ns.respond(cfg, {ChallengeName: "SMS_MFA", ChallengeResponses: {SMS_MFA_CODE: "1"}, Session: {}})`, "InvalidParameterException", "Session"},
	{`ns.respond(cfg, {ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses: {USERNAME: "alice"}, Session: "forged"})`, "InvalidParameterException", "PASSWORD_CLAIM_SECRET_BLOCK"},
	{`shim.createAuth()`, "InvalidParameterException", "config"},
	{`shim.createAuth({clientId: "x"})`, "InvalidParameterException", "userPoolId"},
	{`shim.createAuth(cfg).then((a) => a.signIn())`, "InvalidParameterException", "must be an object"},
	{`shim.createAuth(cfg).then((a) => a.signIn({username: 1, password: "p"}))`, "InvalidParameterException", "username"},
	{`shim.createAuth(cfg).then((a) => a.signIn({username: "alice"}))`, "InvalidParameterException", "password"},
	{`shim.createAuth(cfg).then((a) => a.signIn({username: "alice", password: "p", options: 5}))`, "InvalidParameterException", "options"},
	{`shim.createAuth(cfg).then((a) => a.signIn({username: "alice", password: "p", options: {authFlowType: "NOPE"}}))`, "InvalidParameterException", "authFlowType"},
	{`shim.createAuth(cfg).then((a) => a.signIn({username: "alice", password: "p", options: {authFlowType: "USER_AUTH", preferredChallenge: "NOPE"}}))`, "InvalidParameterException", "preferredChallenge"},
	{`shim.createAuth(cfg).then((a) => a.signIn({username: "alice", password: "p", options: {clientMetadata: 3}}))`, "InvalidParameterException", "clientMetadata"},
	{`shim.createAuth(cfg).then((a) => a.confirmSignIn({challengeResponse: 5}))`, "InvalidParameterException", "challengeResponse"},
	{`shim.createAuth(cfg).then((a) => a.confirmSignIn({challengeResponse: "123456"}))`, "InvalidParameterException", "no sign-in waiting"},
}

// TestMalformedCallsThenSignIn throws a batch of bad calls at every exported
// function, each of which must reject with a named Error, and then signs in
// in the same page: the Go runtime survived.
func TestMalformedCallsThenSignIn(t *testing.T) {
	p := openPage(t)
	calls := make([]string, len(malformedCalls))
	for i, c := range malformedCalls {
		calls[i] = "() => " + c.call
	}
	js := fmt.Sprintf(`(async () => {
		const ns = globalThis.cognitoWasm;
		const shim = await import("/dist/cognito-wasm.js");
		const cfg = {userPoolId: %q, clientId: %q, endpoint: %q};
		const out = [];
		for (const f of [%s]) {
			try {
				const v = await f();
				out.push({resolved: true, value: JSON.stringify(v)});
			} catch (e) {
				out.push({isError: e instanceof Error, name: e && e.name, message: e && e.message});
			}
		}
		return JSON.stringify(out);
	})()`, env.cfg.UserPoolID, env.cfg.ClientID, env.endpoint, strings.Join(calls, ",\n"))
	var results []struct {
		Resolved bool   `json:"resolved"`
		Value    string `json:"value"`
		IsError  bool   `json:"isError"`
		Name     string `json:"name"`
		Message  string `json:"message"`
	}
	if err := json.Unmarshal([]byte(p.eval(js)), &results); err != nil {
		t.Fatal(err)
	}
	if len(results) != len(malformedCalls) {
		t.Fatalf("got %d results for %d calls", len(results), len(malformedCalls))
	}
	for i, r := range results {
		c := malformedCalls[i]
		switch {
		case r.Resolved:
			t.Errorf("%s resolved with %s; want a rejection", c.call, r.Value)
		case !r.IsError || r.Name != c.wantName || !strings.Contains(r.Message, c.wantIn):
			t.Errorf("%s rejected with (Error=%v) %s: %q; want %s naming %q", c.call, r.IsError, r.Name, r.Message, c.wantName, c.wantIn)
		}
	}

	user, pass := demoUser(t, "alice")
	if state := p.signIn(user, pass, "USER_SRP_AUTH"); state != "DONE" {
		t.Fatalf("sign-in after the malformed batch: state = %q; want DONE (error: %s)", state, p.text("#error"))
	}
}

// TestDemoUsersFillTheForm lists every seeded user with what it shows, and
// "Use" fills the pool, the credentials and the user's flow.
func TestDemoUsersFillTheForm(t *testing.T) {
	p := openPage(t)
	for _, pl := range env.cfg.Pools {
		for _, u := range pl.Users {
			row := p.eval(fmt.Sprintf(`(() => {
				const tr = [...document.querySelectorAll("#demo-users tbody tr")].find((r) => r.dataset.username === %q);
				return tr ? [...tr.cells].slice(0, 4).map((c) => c.textContent).join("|") : "<missing>";
			})()`, u.Username))
			if want := u.Username + "|" + u.Password + "|" + pl.Name + "|" + u.Note; row != want {
				t.Errorf("demo users row for %s = %q; want %q", u.Username, row, want)
			}
		}
	}
	fill := func(user string) (pool, client, name, pass, flow string) {
		var got []string
		raw := p.eval(fmt.Sprintf(`(() => {
			[...document.querySelectorAll("#demo-users tbody tr")].find((r) => r.dataset.username === %q).querySelector("button").click();
			return JSON.stringify(["userPoolId", "clientId", "username", "password", "authFlow"].map((id) => document.getElementById(id).value));
		})()`, user))
		if err := json.Unmarshal([]byte(raw), &got); err != nil || len(got) != 5 {
			t.Fatalf("form after Use %s: %q", user, raw)
		}
		return got[0], got[1], got[2], got[3], got[4]
	}
	carolPass := ""
	for _, u := range env.cfg.Users() {
		if u.Username == "carol" {
			carolPass = u.Password
		}
	}
	if pool, client, name, pass, flow := fill("carol"); pool != poolMain || client != env.cfg.Pools[0].ClientID || name != "carol" || pass != carolPass || flow != "CUSTOM_WITH_SRP" {
		t.Errorf("Use carol filled %s %s %s %s %s; want the main pool, carol, her password and CUSTOM_WITH_SRP", pool, client, name, pass, flow)
	}
	if pool, _, name, _, _ := fill("nora"); pool != poolMFAOn || name != "nora" {
		t.Errorf("Use nora filled pool %s user %s; want %s and nora", pool, name, poolMFAOn)
	}
	if pool, _, name, _, _ := fill("alice"); pool != poolMain || name != "alice" {
		t.Errorf("Use alice filled pool %s user %s; want %s and alice", pool, name, poolMain)
	}
	if got := p.settle(`document.getElementById("signin").click()`); got != "DONE" {
		t.Errorf("sign-in after Use alice: outcome %q; want DONE (error: %s)", got, p.resultError())
	}
}

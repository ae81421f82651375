//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/internal/jsbridge"
)

const (
	testPool         = "us-east-1_cwTest001"
	testClient       = "cwtestpublicclient000001"
	testSecretClient = "cwtestsecretclient000001"
	testSecret       = "wasm-test-client-secret-0123456789"
)

const testSeed = `{"userPools":[{"id":"us-east-1_cwTest001","name":"wasm-test","aliasAttributes":["email"],
  "clients":[
    {"id":"cwtestpublicclient000001","name":"public","explicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_USER_PASSWORD_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]},
    {"id":"cwtestsecretclient000001","name":"secret","secret":"wasm-test-client-secret-0123456789","explicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_USER_PASSWORD_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}],
  "users":[
    {"username":"alice","password":"Passw0rd!Alice","attributes":{"email":"alice@example.com","email_verified":"true"}},
    {"username":"zoë","password":"pässwörd✓Zoë1!","attributes":{"email":"zoe@example.com","email_verified":"true"}}]},
  {"id":"us-east-1_cwAcct001","name":"wasm-account","autoVerifiedAttributes":["email"],"mfaConfiguration":"OPTIONAL","enabledMfas":["SOFTWARE_TOKEN_MFA"],
  "clients":[
    {"id":"cwacctpublicclient000001","name":"public","explicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_USER_PASSWORD_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]},
    {"id":"cwacctsecretclient000001","name":"secret","secret":"wasm-test-client-secret-0123456789","explicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]},
    {"id":"cwacctuserauthclient0001","name":"user-auth","explicitAuthFlows":["ALLOW_USER_AUTH","ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}],
  "users":[
    {"username":"acct-alice","password":"Passw0rd!Alice","attributes":{"email":"acct-alice@example.com","email_verified":"true"}}]},
  {"id":"us-east-1_cwDevice01","name":"wasm-devices","aliasAttributes":["email"],"caseSensitive":false,"mfaConfiguration":"OPTIONAL","enabledMfas":["SMS_MFA"],
  "deviceConfiguration":{"challengeRequiredOnNewDevice":true,"deviceOnlyRememberedOnUserPrompt":true},
  "clients":[{"id":"cwtestdeviceclient000001","name":"devices","explicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_USER_PASSWORD_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}],
  "users":[{"username":"dana","password":"Passw0rd!Dana","mfa":{"sms":true},
    "attributes":{"email":"dana@example.com","email_verified":"true","phone_number":"+15555550123","phone_number_verified":"true"}}]}]}`

// emulatorURL is the emulator TestMain starts for this package.
var emulatorURL string

// startEmulator builds cmd/cognito-emulator natively and runs it as a child
// of the Node process (through the require() wasm_exec_node.js exposes),
// seeded from testSeed, and returns its URL.
func startEmulator() (string, error) {
	if js.Global().Get("require").Type() != js.TypeFunction {
		return "", errors.New("global require is missing: run with $(go env GOROOT)/lib/wasm/go_js_wasm_exec under Node")
	}
	start := js.Global().Get("Function").New("seed", `
		const cp = require("child_process"), fs = require("fs"), os = require("os"), path = require("path");
		const root = path.resolve(process.cwd(), "..");
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-wasm-test-"));
		const bin = path.join(dir, "cognito-emulator");
		// The test runs with GOOS=js GOARCH=wasm; the emulator is a native program.
		const env = Object.assign({}, process.env, {GOOS: "", GOARCH: ""});
		const gobin = process.env.GOROOT ? path.join(process.env.GOROOT, "bin", "go") : "go";
		try {
			cp.execFileSync(fs.existsSync(gobin) ? gobin : "go", ["build", "-o", bin, "./cmd/cognito-emulator"], {cwd: root, env, stdio: ["ignore", "ignore", "pipe"]});
		} catch (e) {
			return Promise.reject(new Error("building cmd/cognito-emulator failed: " + (e.stderr ? e.stderr.toString() : e.message)));
		}
		const seedFile = path.join(dir, "seed.json");
		fs.writeFileSync(seedFile, seed);
		const child = cp.spawn(bin, ["-addr", "127.0.0.1:0", "-seed", seedFile], {stdio: ["ignore", "pipe", "pipe"]});
		let log = "";
		child.stderr.on("data", d => { if (log.length < 65536) log += d; });
		process.on("exit", () => { child.kill(); fs.rmSync(dir, {recursive: true, force: true}); });
		return new Promise((resolve, reject) => {
			let out = "";
			const timer = setTimeout(() => reject(new Error("emulator did not report listening within 60s: " + out)), 60000);
			child.stdout.on("data", d => {
				out += d;
				const m = out.match(/cognito-emulator listening on (http:\/\/\S+)/);
				if (m) { clearTimeout(timer); child.stdout.resume(); resolve(m[1]); }
			});
			child.on("exit", code => { clearTimeout(timer); reject(new Error("emulator exited with " + code + ": " + out + "\n" + log)); });
		});`)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	v, err := jsbridge.Await(ctx, start.Invoke(testSeed))
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

func TestMain(m *testing.M) {
	url, err := startEmulator()
	if err != nil {
		fmt.Fprintf(os.Stderr, "wasm tests need the emulator: %v\n", err)
		os.Exit(1)
	}
	emulatorURL = url
	os.Exit(m.Run())
}

// jsArgs evaluates a JS array expression; ns, cfg and big are in scope.
func jsArgs(t *testing.T, expr string) []js.Value {
	t.Helper()
	f := js.Global().Get("Function").New("cfg", "big", "return "+expr)
	cfg := js.Global().Get("Object").New()
	cfg.Set("userPoolId", testPool)
	cfg.Set("clientId", testClient)
	cfg.Set("endpoint", emulatorURL)
	arr := f.Invoke(cfg, strings.Repeat("x", 1<<20))
	out := make([]js.Value, arr.Length())
	for i := range out {
		out[i] = arr.Index(i)
	}
	return out
}

// call invokes ns[method](args...) and awaits it; the return value must be a
// Promise whatever the arguments.
func call(t *testing.T, ns js.Value, method string, args []js.Value) (js.Value, error) {
	t.Helper()
	anyArgs := make([]any, len(args))
	for i, a := range args {
		anyArgs[i] = a
	}
	p := ns.Call(method, anyArgs...)
	if !p.InstanceOf(js.Global().Get("Promise")) {
		t.Fatalf("%s(...) returned %v; want a Promise", method, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	return jsbridge.Await(ctx, p)
}

func rejection(err error) (name, message string) {
	var je *jsbridge.JSError
	if errors.As(err, &je) {
		return je.Name, je.Message
	}
	return "", ""
}

func newNamespace(t *testing.T) js.Value {
	target := js.Global().Get("Object").New()
	ns := register(target)
	if !target.Get("cognitoWasm").Equal(ns) {
		t.Fatal("register did not set target.cognitoWasm")
	}
	return ns
}

func TestNamespace(t *testing.T) {
	ns := newNamespace(t)
	for _, name := range []string{"initiate", "respond", "adminInitiate", "adminRespond", "createClient", "totpSetupUri"} {
		if ns.Get(name).Type() != js.TypeFunction {
			t.Errorf("cognitoWasm.%s is %s; want a function", name, ns.Get(name).Type())
		}
	}
	if v := ns.Get("version"); v.Type() != js.TypeString || v.String() == "" {
		t.Errorf("cognitoWasm.version = %v; want a non-empty string", v)
	}
}

func TestBadArguments(t *testing.T) {
	ns := newNamespace(t)
	tests := []struct {
		name    string
		method  string
		args    string // JS array expression
		wantMsg string // substring of the message; the name is always InvalidParameterException
	}{
		{"no arguments", "initiate", `[]`, "config must be an object, not undefined"},
		{"undefined config", "initiate", `[undefined, {}]`, "config must be an object, not undefined"},
		{"null config", "initiate", `[null, {}]`, "config must be an object, not null"},
		{"number config", "initiate", `[42, {}]`, "config must be an object, not a number"},
		{"string config", "initiate", `["us-east-1_x", {}]`, "config must be an object, not a string"},
		{"array config", "initiate", `[[cfg], {}]`, "config must be an object, not an array"},
		{"function config", "initiate", `[() => cfg, {}]`, "config must be an object, not a function"},
		{"symbol config", "initiate", `[Symbol("cfg"), {}]`, "config must be an object, not a symbol"},
		{"bigint config", "initiate", `[10n, {}]`, "config must be an object, not a bigint"},
		{"empty config", "initiate", `[{}, {}]`, "config.userPoolId is required"},
		{"number pool", "initiate", `[{userPoolId: 5, clientId: "a"}, {}]`, "config.userPoolId must be a string, not a number"},
		{"huge pool", "initiate", `[{userPoolId: big, clientId: "a"}, {}]`, "config.userPoolId is longer than"},
		{"malformed pool", "initiate", `[{userPoolId: "nounderscore", clientId: "a"}, {}]`, "config.userPoolId must look like"},
		{"missing client", "initiate", `[{userPoolId: "us-east-1_A"}, {}]`, "config.clientId is required"},
		{"object client", "initiate", `[{userPoolId: "us-east-1_A", clientId: {}}, {}]`, "config.clientId must be a string, not an object"},
		{"bad endpoint", "initiate", `[{userPoolId: "us-east-1_A", clientId: "a", endpoint: "ftp://x"}, {}]`, "config.endpoint must be an absolute http or https URL"},
		{"boolean secret", "initiate", `[{userPoolId: "us-east-1_A", clientId: "a", clientSecret: true}, {}]`, "config.clientSecret must be a string, not a boolean"},
		{"throwing getter", "initiate", `[{get userPoolId() { throw new Error("gotcha") }, clientId: "a"}, {}]`, "config.userPoolId could not be read: jsbridge: Error: gotcha"},
		{"proxy config", "initiate", `[new Proxy({}, {get() { throw new TypeError("trap") }}), {}]`, "config.userPoolId could not be read"},
		{"missing request", "initiate", `[cfg]`, "request must be an object, not undefined"},
		{"string request", "initiate", `[cfg, "USER_SRP_AUTH"]`, "request must be an object, not a string"},
		{"no flow", "initiate", `[cfg, {}]`, "AuthFlow is required"},
		{"number flow", "initiate", `[cfg, {AuthFlow: 1}]`, "AuthFlow must be a string, not a number"},
		{"array parameters", "initiate", `[cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: ["alice"]}]`, "AuthParameters must be an object, not an array"},
		{"number username", "initiate", `[cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: 1, PASSWORD: "p"}}]`, "AuthParameters.USERNAME must be a string, not a number"},
		{"null password", "initiate", `[cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "a", PASSWORD: null}}]`, "AuthParameters.PASSWORD must be a string, not null"},
		{"missing password", "initiate", `[cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "a"}}]`, "AuthParameters.PASSWORD is required"},
		{"huge username", "initiate", `[cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: big, PASSWORD: "p"}}]`, "AuthParameters.USERNAME is longer than"},
		{"string metadata", "initiate", `[cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "a", PASSWORD: "p"}, ClientMetadata: "x"}]`, "ClientMetadata must be an object, not a string"},
		{"extra arguments", "initiate", `[cfg, {AuthFlow: "USER_SRP_AUTH"}, 1, "two", {three: 3}]`, "AuthParameters.USERNAME is required"},
		{"respond without answers", "respond", `[cfg, {ChallengeName: "SMS_MFA"}]`, "ChallengeResponses.USERNAME is required"},
		{"respond number session", "respond", `[cfg, {ChallengeName: "SMS_MFA", Session: 7, ChallengeResponses: {USERNAME: "a"}}]`, "Session must be a string, not a number"},
		{"respond string answers", "respond", `[cfg, {ChallengeName: "SMS_MFA", ChallengeResponses: "123456"}]`, "ChallengeResponses must be an object, not a string"},
		{"respond no challenge", "respond", `[cfg, {ChallengeResponses: {USERNAME: "a"}}]`, "ChallengeName is required"},
		{"respond no arguments", "respond", `[]`, "config must be an object, not undefined"},
		{"lone surrogate password", "initiate", `[cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "a", PASSWORD: "pass\ud800"}}]`, "AuthParameters.PASSWORD holds a lone UTF-16 surrogate"},
		{"lone surrogate username", "initiate", `[cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "\udfffa", PASSWORD: "p"}}]`, "AuthParameters.USERNAME holds a lone UTF-16 surrogate"},
		{"lone surrogate pool", "initiate", `[{userPoolId: "us-east-1_\ud800", clientId: "a"}, {}]`, "config.userPoolId holds a lone UTF-16 surrogate"},
		{"revoked proxy config", "initiate", `[(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })(), {}]`, "config must be an object, not an unreadable value"},
		{"revoked proxy request", "respond", `[cfg, (() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })()]`, "request must be an object, not an unreadable value"},
		{"revoked proxy metadata", "initiate", `[cfg, {AuthFlow: "USER_SRP_AUTH", ClientMetadata: (() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })()}]`, "ClientMetadata must be an object, not an unreadable value"},
		{"too many parameters is the engine's call", "initiate", `[cfg, {AuthFlow: "USER_SRP_AUTH", AuthParameters: Object.fromEntries(Array.from({length: 65}, (_, i) => ["K" + i, "v"]))}]`, "AuthParameters has 65 entries, more than the 64 allowed"},
		{"admin without credentials", "adminInitiate", `[cfg, {AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: {USERNAME: "a", PASSWORD: "p"}}]`, "config.credentials are required for the Admin operations"},
		{"admin respond without credentials", "adminRespond", `[cfg, {ChallengeName: "SMS_MFA", ChallengeResponses: {USERNAME: "a", SMS_MFA_CODE: "1"}}]`, "config.credentials are required"},
		{"credentials not an object", "adminInitiate", `[{...cfg, credentials: "AKID:secret"}, {}]`, "config.credentials must be an object, not a string"},
		{"credentials without secret", "adminInitiate", `[{...cfg, credentials: {accessKeyId: "AKID"}}, {}]`, "config.credentials.secretAccessKey is required"},
		{"credentials lone surrogate", "adminInitiate", `[{...cfg, credentials: {accessKeyId: "AKID", secretAccessKey: "s\ud800"}}, {}]`, "config.credentials.secretAccessKey holds a lone UTF-16 surrogate"},
		{"createClient without config", "createClient", `[]`, "config must be an object, not undefined"},
		{"createClient revoked config", "createClient", `[(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })()]`, "config must be an object, not an unreadable value"},
		{"createClient bad pool", "createClient", `[{userPoolId: "x", clientId: "a"}]`, "config.userPoolId must look like"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := call(t, ns, tt.method, jsArgs(t, tt.args))
			name, msg := rejection(err)
			if name != "InvalidParameterException" || !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("%s(%s) = %v, %v; want InvalidParameterException containing %q", tt.method, tt.args, v, err, tt.wantMsg)
			}
		})
	}
}

func TestSignInAgainstEmulator(t *testing.T) {
	ns := newNamespace(t)
	cfg := func(client, secret string) string {
		return fmt.Sprintf(`{userPoolId: %q, clientId: %q, clientSecret: %q, endpoint: %q}`, testPool, client, secret, emulatorURL)
	}
	tests := []struct {
		name     string
		method   string
		args     string
		wantName string // "" for success
		wantMsg  string
	}{
		{"srp by username", "initiate", `[` + cfg(testClient, "") + `, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "alice", PASSWORD: "Passw0rd!Alice"}}]`, "", ""},
		{"srp by alias with secret", "initiate", `[` + cfg(testSecretClient, testSecret) + `, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "alice@example.com", PASSWORD: "Passw0rd!Alice"}}]`, "", ""},
		{"srp non-ASCII", "initiate", `[` + cfg(testClient, "") + `, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "zoë", PASSWORD: "pässwörd✓Zoë1!"}}]`, "", ""},
		{"password flow", "initiate", `[` + cfg(testClient, "") + `, {AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: {USERNAME: "alice", PASSWORD: "Passw0rd!Alice"}}]`, "", ""},
		{"srp wrong password", "initiate", `[` + cfg(testClient, "") + `, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "zoë", PASSWORD: "nope"}}]`, "NotAuthorizedException", "Incorrect username or password."},
		{"srp unknown user", "initiate", `[` + cfg(testClient, "") + `, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "mallory", PASSWORD: "x"}}]`, "UserNotFoundException", "User does not exist."},
		{"unknown client", "initiate", `[` + cfg("nosuchclient", "") + `, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "alice", PASSWORD: "x"}}]`, "ResourceNotFoundException", ""},
		{"respond with a forged session", "respond", `[` + cfg(testClient, "") + `, {ChallengeName: "PASSWORD_VERIFIER", Session: "forged", ChallengeResponses: {USERNAME: "alice", PASSWORD_CLAIM_SECRET_BLOCK: "AAAA", TIMESTAMP: "Tue Jan 1 06:06:09 UTC 2019", PASSWORD_CLAIM_SIGNATURE: "AAAA"}}]`, "NotAuthorizedException", ""},
		{"unreachable endpoint", "initiate", `[{userPoolId: "us-east-1_A", clientId: "a", endpoint: "http://127.0.0.1:1"}, {AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: {USERNAME: "a", PASSWORD: "b"}}]`, "NetworkError", "could not reach http://127.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := call(t, ns, tt.method, jsArgs(t, tt.args))
			if tt.wantName != "" {
				name, msg := rejection(err)
				if name != tt.wantName || !strings.Contains(msg, tt.wantMsg) {
					t.Fatalf("%s(%s) = %v; want %s: %s", tt.method, tt.name, err, tt.wantName, tt.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s(%s) = %v; want tokens", tt.method, tt.name, err)
			}
			res := v.Get("AuthenticationResult")
			for _, k := range []string{"AccessToken", "IdToken", "RefreshToken", "TokenType"} {
				if f := res.Get(k); f.Type() != js.TypeString || f.String() == "" {
					t.Errorf("AuthenticationResult.%s = %v; want a string", k, f)
				}
			}
			if n := res.Get("ExpiresIn"); n.Type() != js.TypeNumber || n.Int() <= 0 {
				t.Errorf("AuthenticationResult.ExpiresIn = %v; want a positive number", n)
			}
			if s := v.Get("Session"); !s.IsUndefined() {
				t.Errorf("Session = %v; want none with tokens", s)
			}
		})
	}

	t.Run("refresh", func(t *testing.T) {
		v, err := call(t, ns, "initiate", jsArgs(t, `[`+cfg(testSecretClient, testSecret)+`, {AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "alice", PASSWORD: "Passw0rd!Alice"}}]`))
		if err != nil {
			t.Fatal(err)
		}
		rt := v.Get("AuthenticationResult").Get("RefreshToken").String()
		args := jsArgs(t, `[`+cfg(testSecretClient, testSecret)+`, {AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: {REFRESH_TOKEN: `+fmt.Sprintf("%q", rt)+`, USERNAME: "alice"}}]`)
		r, err := call(t, ns, "initiate", args)
		if err != nil || r.Get("AuthenticationResult").Get("AccessToken").Type() != js.TypeString {
			t.Fatalf("initiate(REFRESH_TOKEN_AUTH) = %v, %v; want new tokens", r, err)
		}
	})
}

// newHandle creates a client handle through the namespace for cfg (a JS expression).
func newHandleJS(t *testing.T, ns js.Value, cfg string) js.Value {
	t.Helper()
	h, err := call(t, ns, "createClient", jsArgs(t, "["+cfg+"]"))
	if err != nil {
		t.Fatalf("createClient(%s) = %v", cfg, err)
	}
	for _, m := range []string{"signIn", "confirmSignIn", "initiate", "respond", "adminInitiate", "adminRespond", "dispose"} {
		if h.Get(m).Type() != js.TypeFunction {
			t.Fatalf("handle.%s is %s; want a function", m, h.Get(m).Type())
		}
	}
	return h
}

func TestClientHandle(t *testing.T) {
	ns := newNamespace(t)
	h := newHandleJS(t, ns, "cfg")
	json := js.Global().Get("JSON")

	t.Run("signIn SRP to DONE", func(t *testing.T) {
		v, err := call(t, h, "signIn", jsArgs(t, `[{username: "zoë", password: "pässwörd✓Zoë1!"}]`))
		if err != nil {
			t.Fatalf("signIn = %v", err)
		}
		if !v.Get("isSignedIn").Bool() || v.Get("nextStep").Get("signInStep").String() != "DONE" {
			t.Fatalf("signIn = %s; want isSignedIn and DONE", json.Call("stringify", v))
		}
		tok := v.Get("tokens")
		for _, k := range []string{"idToken", "accessToken", "refreshToken", "tokenType"} {
			if f := tok.Get(k); f.Type() != js.TypeString || f.String() == "" {
				t.Errorf("tokens.%s = %v; want a string", k, f)
			}
		}
		if n := tok.Get("expiresIn"); n.Type() != js.TypeNumber || n.Int() <= 0 {
			t.Errorf("tokens.expiresIn = %v; want a positive number", n)
		}
	})

	t.Run("signIn USER_PASSWORD_AUTH", func(t *testing.T) {
		v, err := call(t, h, "signIn", jsArgs(t, `[{username: "alice", password: "Passw0rd!Alice", options: {authFlowType: "USER_PASSWORD_AUTH", clientMetadata: {k: "v"}}}]`))
		if err != nil || !v.Get("isSignedIn").Bool() {
			t.Fatalf("signIn = %v, %v; want signed in", v, err)
		}
	})

	t.Run("two passwords differing in a lone surrogate are refused, not merged", func(t *testing.T) {
		for _, pw := range []string{`"pässwörd✓Zoë1!\ud800"`, `"pässwörd✓Zoë1!\udc00"`} {
			_, err := call(t, h, "signIn", jsArgs(t, `[{username: "zoë", password: `+pw+`}]`))
			if name, msg := rejection(err); name != "InvalidParameterException" || !strings.HasPrefix(msg, "password holds a lone UTF-16 surrogate") {
				t.Errorf("signIn(password %s) = %v; want InvalidParameterException on password", pw, err)
			}
		}
	})

	bad := []struct{ method, args, want string }{
		{"signIn", `[]`, "input must be an object, not undefined"},
		{"signIn", `[{password: "p"}]`, "username is required"},
		{"signIn", `[{username: 7, password: "p"}]`, "username must be a string, not a number"},
		{"signIn", `[{username: "alice"}]`, "password is required"},
		{"signIn", `[{username: "alice", password: "p", options: "USER_SRP_AUTH"}]`, "options must be an object, not a string"},
		{"signIn", `[{username: "alice", password: "p", options: (() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })()}]`, "options must be an object, not an unreadable value"},
		{"signIn", `[{username: "alice", password: "p", options: {authFlowType: "NOPE"}}]`, "options.authFlowType must be one of"},
		{"signIn", `[{username: "alice", password: "p", options: {preferredChallenge: "PASSWORD"}}]`, "options.preferredChallenge applies only to the USER_AUTH flow"},
		{"signIn", `[{username: "alice", password: "p", options: {clientMetadata: {k: 1}}}]`, "options.clientMetadata.k must be a string, not a number"},
		{"signIn", `[{username: "alice", password: "p", options: {clientMetadata: {k: "\xff".repeat(20000)}}}]`, "options.clientMetadata.k is longer than"},
		{"signIn", `[new Proxy({}, {get() { throw new Error("trap") }})]`, "username could not be read"},
		{"confirmSignIn", `[{challengeResponse: 5}]`, "challengeResponse must be a string, not a number"},
		{"confirmSignIn", `[{challengeResponse: "123456", options: {userAttributes: []}}]`, "options.userAttributes must be an object, not an array"},
		{"confirmSignIn", `[{challengeResponse: "123456", options: {friendlyDeviceName: {}}}]`, "options.friendlyDeviceName must be a string, not an object"},
	}
	for _, tt := range bad {
		t.Run(tt.method+" "+tt.args, func(t *testing.T) {
			v, err := call(t, h, tt.method, jsArgs(t, tt.args))
			if name, msg := rejection(err); name != "InvalidParameterException" || !strings.Contains(msg, tt.want) {
				t.Errorf("%s(%s) = %v, %v; want InvalidParameterException containing %q", tt.method, tt.args, v, err, tt.want)
			}
		})
	}

	t.Run("confirmSignIn with nothing pending", func(t *testing.T) {
		fresh := newHandleJS(t, ns, "cfg")
		_, err := call(t, fresh, "confirmSignIn", jsArgs(t, `[{challengeResponse: "123456"}]`))
		if name, msg := rejection(err); name != "InvalidParameterException" || !strings.HasPrefix(msg, "signIn is required") {
			t.Errorf("confirmSignIn before signIn = %v; want InvalidParameterException naming signIn", err)
		}
	})

	t.Run("raw calls on the handle", func(t *testing.T) {
		v, err := call(t, h, "initiate", jsArgs(t, `[{AuthFlow: "USER_SRP_AUTH", AuthParameters: {USERNAME: "alice", PASSWORD: "Passw0rd!Alice"}}]`))
		if err != nil || v.Get("AuthenticationResult").Get("IdToken").Type() != js.TypeString {
			t.Fatalf("handle.initiate = %v, %v; want tokens", v, err)
		}
		_, err = call(t, h, "adminInitiate", jsArgs(t, `[{AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: {USERNAME: "alice", PASSWORD: "p"}}]`))
		if name, msg := rejection(err); name != "InvalidParameterException" || !strings.HasPrefix(msg, "config.credentials are required") {
			t.Errorf("handle.adminInitiate without credentials = %v; want InvalidParameterException on config.credentials", err)
		}
	})
}

func TestTOTPSetupURI(t *testing.T) {
	ns := newNamespace(t)
	got := ns.Call("totpSetupUri", "JBSWY3DPEHPK3PXP", "My App", "alice")
	if want := "otpauth://totp/My%20App:alice?issuer=My+App&secret=JBSWY3DPEHPK3PXP"; got.String() != want {
		t.Errorf("totpSetupUri = %v; want %s", got, want)
	}
	if e := ns.Call("totpSetupUri", 1); e.Get("name").String() != "InvalidParameterException" {
		t.Errorf("totpSetupUri(1) = %v; want an InvalidParameterException error value", e)
	}
}

// adminCreateUser creates a FORCE_CHANGE_PASSWORD user through the
// emulator's AdminCreateUser (it accepts any SigV4-shaped signature when
// started without -credentials).
func adminCreateUser(t *testing.T, username, tempPassword string) {
	t.Helper()
	p := js.Global().Get("Function").New("url", "user", "pw", `
		return fetch(url, {method: "POST", headers: {
			"Content-Type": "application/x-amz-json-1.1",
			"X-Amz-Target": "AWSCognitoIdentityProviderService.AdminCreateUser",
			"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
		}, body: JSON.stringify({UserPoolId: "`+testPool+`", Username: user, TemporaryPassword: pw, MessageAction: "SUPPRESS"})})
		.then(async r => { if (!r.ok) throw new Error("AdminCreateUser: " + r.status + " " + await r.text()); });`).Invoke(emulatorURL, username, tempPassword)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := jsbridge.Await(ctx, p); err != nil {
		t.Fatal(err)
	}
}

// TestConfirmSignInNewPassword: the handle keeps the session; a refused
// answer leaves it usable; a new signIn replaces it.
func TestConfirmSignInNewPassword(t *testing.T) {
	ns := newNamespace(t)
	h := newHandleJS(t, ns, "cfg")
	adminCreateUser(t, "newbie", "Temp0rary!Pass")
	v, err := call(t, h, "signIn", jsArgs(t, `[{username: "newbie", password: "Temp0rary!Pass"}]`))
	if err != nil || v.Get("isSignedIn").Bool() || v.Get("nextStep").Get("signInStep").String() != "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED" {
		t.Fatalf("signIn = %v, %v; want CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED", js.Global().Get("JSON").Call("stringify", v), err)
	}
	if m := v.Get("nextStep").Get("missingAttributes"); !m.InstanceOf(js.Global().Get("Array")) {
		t.Errorf("nextStep.missingAttributes = %v; want an array", m)
	}
	if s := v.Get("nextStep").Get("session"); !s.IsUndefined() {
		t.Errorf("the session leaked to JS: %v", s)
	}
	_, err = call(t, h, "confirmSignIn", jsArgs(t, `[{challengeResponse: "short"}]`))
	if name, _ := rejection(err); name != "InvalidPasswordException" {
		t.Fatalf("confirmSignIn(weak password) = %v; want InvalidPasswordException", err)
	}
	v, err = call(t, h, "confirmSignIn", jsArgs(t, `[{challengeResponse: "Brand-New-Passw0rd!"}]`))
	if err != nil || !v.Get("isSignedIn").Bool() || v.Get("tokens").Get("idToken").Type() != js.TypeString {
		t.Fatalf("confirmSignIn after a refused answer = %v, %v; want signed in", v, err)
	}
	// Done: nothing is pending any more.
	_, err = call(t, h, "confirmSignIn", jsArgs(t, `[{challengeResponse: "Brand-New-Passw0rd!"}]`))
	if name, msg := rejection(err); name != "InvalidParameterException" || !strings.HasPrefix(msg, "signIn is required") {
		t.Errorf("confirmSignIn after DONE = %v; want InvalidParameterException naming signIn", err)
	}
	v, err = call(t, h, "signIn", jsArgs(t, `[{username: "newbie", password: "Brand-New-Passw0rd!", options: {authFlowType: "USER_PASSWORD_AUTH"}}]`))
	if err != nil || !v.Get("isSignedIn").Bool() {
		t.Errorf("signIn with the new password = %v, %v; want signed in", v, err)
	}
}

// TestNewSignInReplacesThePendingOne: a second signIn on the same client
// drops the first one's pending step, as Amplify's signIn does.
func TestNewSignInReplacesThePendingOne(t *testing.T) {
	ns := newNamespace(t)
	h := newHandleJS(t, ns, "cfg")
	adminCreateUser(t, "replaced", "Temp0rary!Pass")
	v, err := call(t, h, "signIn", jsArgs(t, `[{username: "replaced", password: "Temp0rary!Pass"}]`))
	if err != nil || v.Get("nextStep").Get("signInStep").String() != "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED" {
		t.Fatalf("signIn = %v, %v; want the new-password step", v, err)
	}
	if v, err := call(t, h, "signIn", jsArgs(t, `[{username: "alice", password: "Passw0rd!Alice"}]`)); err != nil || !v.Get("isSignedIn").Bool() {
		t.Fatalf("second signIn = %v, %v; want signed in", v, err)
	}
	_, err = call(t, h, "confirmSignIn", jsArgs(t, `[{challengeResponse: "Brand-New-Passw0rd!"}]`))
	if name, msg := rejection(err); name != "InvalidParameterException" || !strings.Contains(msg, "no sign-in waiting") {
		t.Errorf("confirmSignIn after a signIn that finished = %v; want InvalidParameterException: no sign-in waiting", err)
	}
	// dispose forgets the client; calling it afterwards is a named error,
	// never a crash of the runtime.
	h.Call("dispose")
	for _, m := range []string{"signIn", "confirmSignIn", "initiate", "adminRespond"} {
		_, err := call(t, h, m, jsArgs(t, `[{username: "alice", password: "Passw0rd!Alice"}]`))
		if name, msg := rejection(err); name != "InvalidParameterException" || !strings.HasPrefix(msg, "client was disposed") {
			t.Errorf("%s after dispose = %v; want InvalidParameterException: client was disposed", m, err)
		}
	}
	h.Call("dispose") // twice is harmless
	if v, err := call(t, newHandleJS(t, ns, "cfg"), "signIn", jsArgs(t, `[{username: "alice", password: "Passw0rd!Alice"}]`)); err != nil || !v.Get("isSignedIn").Bool() {
		t.Errorf("a new client after a dispose = %v, %v; want signed in", v, err)
	}
}

// TestStatsShowNoLeak signs in repeatedly on one client and reads
// cognitoWasm.stats() before and after: the live js.Funcs and goroutines
// come back to where they were once the background ephemeral build ends.
func TestStatsShowNoLeak(t *testing.T) {
	ns := newNamespace(t)
	h := newHandleJS(t, ns, "cfg")
	signIn := func() {
		t.Helper()
		v, err := call(t, h, "signIn", jsArgs(t, `[{username: "alice", password: "Passw0rd!Alice"}]`))
		if err != nil || !v.Get("isSignedIn").Bool() {
			t.Fatalf("signIn = %v, %v; want signed in", v, err)
		}
	}
	read := func(opts string) js.Value {
		t.Helper()
		s := ns.Call("stats", jsArgs(t, "["+opts+"]")[0])
		for _, k := range []string{"goroutines", "jsFuncs", "clients", "heapAlloc", "heapInuse", "heapSys", "stackInuse", "sys", "numGC", "totalAlloc", "heapObjects"} {
			if s.Get(k).Type() != js.TypeNumber {
				t.Fatalf("stats().%s = %v; want a number", k, s.Get(k))
			}
		}
		return s
	}
	// settled waits (bounded) for the client's background build to end.
	settled := func(want js.Value) js.Value {
		t.Helper()
		var s js.Value
		for range 100 {
			s = read("{gc: true}")
			if s.Get("goroutines").Int() <= want.Get("goroutines").Int() && s.Get("jsFuncs").Int() <= want.Get("jsFuncs").Int() {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		return s
	}
	signIn()
	before := settled(read("undefined"))
	for range 5 {
		signIn()
	}
	after := settled(before)
	for _, k := range []string{"goroutines", "jsFuncs"} {
		if a, b := after.Get(k).Int(), before.Get(k).Int(); a > b {
			t.Errorf("stats().%s = %d after 5 sign-ins; want at most %d as before", k, a, b)
		}
	}
	if after.Get("numGC").Int() <= before.Get("numGC").Int() {
		t.Errorf("stats({gc: true}).numGC = %d, not above %d: it did not collect", after.Get("numGC").Int(), before.Get("numGC").Int())
	}
	// Options that cannot be read are no reason to crash.
	if s := ns.Call("stats", jsArgs(t, `[new Proxy({}, {get() { throw new Error("trap") }})]`)[0]); s.Get("goroutines").Type() != js.TypeNumber {
		t.Errorf("stats(throwing proxy) = %v; want the figures", s)
	}
}

// TestCallsQueueBeyondMaxInFlight starts three times MaxInFlight sign-ins at
// once: no more than MaxInFlight run at a time, the rest wait their turn,
// and every one of them signs in.
func TestCallsQueueBeyondMaxInFlight(t *testing.T) {
	ns := newNamespace(t)
	h := newHandleJS(t, ns, "cfg")
	n := 3 * MaxInFlight
	ps := make([]js.Value, n)
	in := jsArgs(t, `[{username: "alice", password: "Passw0rd!Alice"}]`)[0]
	for i := range ps {
		ps[i] = h.Call("signIn", in)
	}
	all := js.Global().Get("Promise").Call("allSettled", js.ValueOf(func() []any {
		out := make([]any, n)
		for i, p := range ps {
			out[i] = p
		}
		return out
	}()))
	done := make(chan js.Value, 1)
	go func() {
		v, err := jsbridge.Await(context.Background(), all)
		if err != nil {
			t.Error(err)
		}
		done <- v
	}()
	maxRunning, maxQueued := 0, 0
	var results js.Value
	for results.IsUndefined() {
		s := ns.Call("stats")
		maxRunning = max(maxRunning, s.Get("running").Int())
		maxQueued = max(maxQueued, s.Get("queued").Int())
		select {
		case results = <-done:
		case <-time.After(time.Millisecond):
		}
	}
	if maxRunning > MaxInFlight || maxRunning == 0 {
		t.Errorf("at most %d sign-ins ran at once; want between 1 and MaxInFlight = %d", maxRunning, MaxInFlight)
	}
	if maxQueued < n-MaxInFlight {
		t.Errorf("at most %d sign-ins waited their turn; want at least %d", maxQueued, n-MaxInFlight)
	}
	for i := 0; i < n; i++ {
		r := results.Index(i)
		if r.Get("status").String() != "fulfilled" || !r.Get("value").Get("isSignedIn").Bool() {
			t.Fatalf("sign-in %d of %d: %s; want signed in", i+1, n, js.Global().Get("JSON").Call("stringify", r))
		}
	}
	if s := ns.Call("stats"); s.Get("running").Int() != 0 || s.Get("queued").Int() != 0 {
		t.Errorf("stats() running %d, queued %d after all settled; want 0, 0", s.Get("running").Int(), s.Get("queued").Int())
	}
}

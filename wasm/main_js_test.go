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
    {"username":"zoë","password":"pässwörd✓Zoë1!","attributes":{"email":"zoe@example.com","email_verified":"true"}}]}]}`

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
	for _, name := range []string{"initiate", "respond"} {
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

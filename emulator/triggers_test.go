package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// fakeLambda speaks the Lambda Invoke API (POST /2015-03-31/functions/{name}/invocations)
// with Go functions as the triggers, and records every event it receives.
type fakeLambda struct {
	mu     sync.Mutex
	fns    map[string]triggerFunc
	events []invocation
}

// triggerFunc answers an event: the response object to set on it, or a
// function error message (errMsg != "").
type triggerFunc func(ev map[string]any) (response map[string]any, errMsg string)

type invocation struct {
	function string
	event    map[string]any
	raw      string
}

func (f *fakeLambda) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, _ := strings.CutPrefix(r.URL.Path, "/2015-03-31/functions/")
	name, ok := strings.CutSuffix(rest, "/invocations")
	body, _ := io.ReadAll(r.Body)
	var ev map[string]any
	if !ok || r.Method != http.MethodPost || json.Unmarshal(body, &ev) != nil {
		http.Error(w, "bad invocation", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.events = append(f.events, invocation{name, ev, string(body)})
	fn := f.fns[name]
	f.mu.Unlock()
	if fn == nil {
		w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
		w.WriteHeader(http.StatusNotFound)
		return
	}
	resp, errMsg := fn(ev)
	if errMsg != "" {
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		_ = json.NewEncoder(w).Encode(map[string]any{"errorType": "Error", "errorMessage": errMsg})
		return
	}
	if resp != nil {
		ev["response"] = resp
	}
	_ = json.NewEncoder(w).Encode(ev)
}

func (f *fakeLambda) set(name string, fn triggerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fns[name] = fn
}

// calls returns the invocations of one function, in order.
func (f *fakeLambda) calls(function string) []invocation {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []invocation
	for _, e := range f.events {
		if e.function == function {
			out = append(out, e)
		}
	}
	return out
}

func (f *fakeLambda) all() []invocation {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]invocation(nil), f.events...)
}

const lambdaARN = "arn:aws:lambda:us-east-1:123456789012:function:"

// triggerHarness is the demo harness with its Lambda endpoint at a fakeLambda.
func triggerHarness(t *testing.T) (*harness, *fakeLambda) {
	t.Helper()
	fl := &fakeLambda{fns: map[string]triggerFunc{}}
	ls := httptest.NewServer(fl)
	t.Cleanup(ls.Close)
	return harnessWith(t, Config{LambdaEndpoint: ls.URL}), fl
}

// harnessWith is newHarness with more of the Config set.
func harnessWith(t *testing.T, cfg Config) *harness {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 7, 15, 4, 5, 0, time.UTC)}
	cfg.Now, cfg.SigningKey = c.Now, sharedKey(t)
	emu, err := New(cfg)
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	if err := emu.Seed(demoSeed()); err != nil {
		t.Fatalf("Seed() = %v", err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		if err := emu.Close(); err != nil {
			t.Errorf("Close() = %v", err)
		}
	})
	return &harness{t: t, emu: emu, srv: srv, clock: c}
}

// setTriggers gives the demo pool a LambdaConfig.
func (h *harness) setTriggers(lc lambdaConfigType) {
	h.t.Helper()
	err := h.emu.store.update(func(t *txn) error {
		p, err := mustPool(t, demoPool)
		if err != nil {
			return err
		}
		p.LambdaConfig = lc
		return t.put(bucketPools, p.ID, p)
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) wantError(r response, typ, msg string) {
	h.t.Helper()
	if r.errType() != typ || r.message() != msg {
		h.t.Fatalf("got %d %s %q; want %s %q", r.status, r.errType(), r.message(), typ, msg)
	}
}

func (h *harness) wantTokens(r response) {
	h.t.Helper()
	if r.status != http.StatusOK || r.str("AuthenticationResult", "AccessToken") == "" {
		h.t.Fatalf("got %d %s %q (challenge %q); want tokens", r.status, r.errType(), r.message(), r.str("ChallengeName"))
	}
}

func request(ev map[string]any) map[string]any {
	r, _ := ev["request"].(map[string]any)
	return r
}

func ok(map[string]any) (map[string]any, string) { return nil, "" }

func TestPreAuthenticationRunsOnEverySignInStart(t *testing.T) {
	h, fl := triggerHarness(t)
	h.setTriggers(lambdaConfigType{PreAuthentication: lambdaARN + "pre"})
	fl.set("pre", func(ev map[string]any) (map[string]any, string) {
		if request(ev)["validationData"].(map[string]any)["captcha"] != "ok" {
			return nil, "Captcha required"
		}
		return nil, ""
	})
	// Refused with the function's message, before any password check.
	r := h.call("InitiateAuth", m{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": demoClient,
		"AuthParameters": m{"USERNAME": "alice", "PASSWORD": "wrong"}, "ClientMetadata": m{"captcha": "no"}}, false)
	h.wantError(r, "UserLambdaValidationException", "PreAuthentication failed with error Captcha required.")
	// Allowed: ClientMetadata reaches the trigger as validationData.
	r = h.call("InitiateAuth", m{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": demoClient,
		"AuthParameters": m{"USERNAME": "alice@example.com", "PASSWORD": demoPass}, "ClientMetadata": m{"captcha": "ok"}}, false)
	h.wantTokens(r)
	calls := fl.calls("pre")
	if len(calls) != 2 {
		t.Fatalf("pre-authentication ran %d times, want 2", len(calls))
	}
	ev := calls[1].event
	if ev["triggerSource"] != "PreAuthentication_Authentication" || ev["userName"] != "alice" || ev["userPoolId"] != demoPool ||
		ev["callerContext"].(map[string]any)["clientId"] != demoClient {
		t.Fatalf("event = %s", calls[1].raw)
	}
	attrs := request(ev)["userAttributes"].(map[string]any)
	if attrs["email"] != "alice@example.com" || attrs["cognito:user_status"] != "CONFIRMED" || attrs["sub"] == nil {
		t.Fatalf("userAttributes = %v", attrs)
	}
	// SRP: refused at InitiateAuth already.
	fl.set("pre", func(map[string]any) (map[string]any, string) { return nil, "Blocked" })
	_, r = h.srpStart(demoClient, "alice", nil)
	h.wantError(r, "UserLambdaValidationException", "PreAuthentication failed with error Blocked.")
}

func TestPreAuthenticationSkipsRequestsTheFlowRefuses(t *testing.T) {
	h, fl := triggerHarness(t)
	h.setTriggers(lambdaConfigType{PreAuthentication: lambdaARN + "pre"})
	fl.set("pre", ok)
	h.wantError(h.passwordAuth(demoClient, map[string]string{"USERNAME": "mallory", "PASSWORD": "x"}), "UserNotFoundException", "User does not exist.")
	h.wantError(h.passwordAuth(secretClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}),
		"NotAuthorizedException", "Client "+secretClient+" is configured for secret but secret was not received")
	if n := len(fl.calls("pre")); n != 0 {
		t.Fatalf("pre-authentication ran %d times for refused requests", n)
	}
	// Under PreventUserExistenceErrors an unknown user runs it, with userNotFound.
	h.wantError(h.passwordAuth(hiddenClient, map[string]string{"USERNAME": "mallory", "PASSWORD": "x"}), "NotAuthorizedException", "Incorrect username or password.")
	calls := fl.calls("pre")
	if len(calls) != 1 || request(calls[0].event)["userNotFound"] != true || calls[0].event["userName"] != "mallory" {
		t.Fatalf("calls = %v", calls)
	}
}

func TestPostAuthenticationGuardsTheTokens(t *testing.T) {
	h, fl := triggerHarness(t)
	h.setTriggers(lambdaConfigType{PostAuthentication: lambdaARN + "post"})
	fl.set("post", func(map[string]any) (map[string]any, string) { return nil, "Account frozen" })
	h.wantError(h.srpSignIn(demoPool, demoClient, "alice", demoPass), "UserLambdaValidationException", "PostAuthentication failed with error Account frozen.")
	fl.set("post", ok)
	h.wantTokens(h.srpSignIn(demoPool, demoClient, "alice", demoPass))
	// A wrong password never reaches it.
	h.wantError(h.srpSignIn(demoPool, demoClient, "alice", "wrong"), "NotAuthorizedException", "Incorrect username or password.")
	calls := fl.calls("post")
	if len(calls) != 2 {
		t.Fatalf("post-authentication ran %d times, want 2", len(calls))
	}
	ev := calls[1].event
	if ev["triggerSource"] != "PostAuthentication_Authentication" || request(ev)["newDeviceUsed"] != false ||
		request(ev)["userAttributes"].(map[string]any)["email"] != "alice@example.com" {
		t.Fatalf("event = %s", calls[1].raw)
	}
}

func TestRefreshRunsNoTrigger(t *testing.T) {
	h, fl := triggerHarness(t)
	r := h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass})
	h.setTriggers(lambdaConfigType{PreAuthentication: lambdaARN + "pre", PostAuthentication: lambdaARN + "post"})
	fl.set("pre", func(map[string]any) (map[string]any, string) { return nil, "no" })
	fl.set("post", func(map[string]any) (map[string]any, string) { return nil, "no" })
	h.wantTokens(h.call("InitiateAuth", m{"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": demoClient,
		"AuthParameters": m{"REFRESH_TOKEN": r.str("AuthenticationResult", "RefreshToken")}}, false))
	if n := len(fl.all()); n != 0 {
		t.Fatalf("refresh ran %d triggers", n)
	}
}

func TestTriggerFailureKinds(t *testing.T) {
	h, _ := triggerHarness(t)
	h.setTriggers(lambdaConfigType{PreAuthentication: lambdaARN + "pre"})
	// Not deployed at the endpoint: the Lambda service refuses the invocation.
	h.wantError(h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}),
		"UnexpectedLambdaException", "PreAuthentication invocation failed due to error ResourceNotFoundException.")
	// Output that is not JSON.
	notJSON := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("<html>"))
	}))
	t.Cleanup(notJSON.Close)
	h2 := harnessWith(t, Config{LambdaEndpoint: notJSON.URL})
	h2.setTriggers(lambdaConfigType{PreAuthentication: lambdaARN + "pre"})
	h2.wantError(h2.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}),
		"InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON")
	// No -lambda-endpoint at all.
	h3 := harnessWith(t, Config{})
	h3.setTriggers(lambdaConfigType{PreAuthentication: lambdaARN + "pre"})
	r := h3.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass})
	if r.errType() != "UnexpectedLambdaException" || !strings.Contains(r.message(), "-lambda-endpoint") {
		t.Fatalf("got %s %q", r.errType(), r.message())
	}
}

func TestCreateUserPoolKeepsLambdaConfig(t *testing.T) {
	h := demoHarness(t)
	lc := m{"PreAuthentication": lambdaARN + "pre", "DefineAuthChallenge": lambdaARN + "define:live", "PreSignUp": lambdaARN + "signup"}
	id := h.admin("CreateUserPool", m{"PoolName": "triggers", "LambdaConfig": lc}).str("UserPool", "Id")
	got := h.admin("DescribeUserPool", m{"UserPoolId": id}).body["UserPool"].(map[string]any)["LambdaConfig"].(map[string]any)
	if len(got) != 3 || got["PreAuthentication"] != lc["PreAuthentication"] || got["DefineAuthChallenge"] != lc["DefineAuthChallenge"] {
		t.Fatalf("LambdaConfig = %v", got)
	}
	r := h.call("CreateUserPool", m{"PoolName": "bad", "LambdaConfig": m{"PostAuthentication": "not an arn at all, no"}}, true)
	h.wantError(r, "InvalidParameterException", "1 validation error detected: Value 'not an arn at all, no' at 'lambdaConfig.postAuthentication' failed to satisfy constraint: "+
		`Member must satisfy regular expression pattern: arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`)
}

// TestPostAuthenticationClientMetadata: the trigger sees RespondToAuthChallenge's
// ClientMetadata, never InitiateAuth's, as Cognito documents.
func TestPostAuthenticationClientMetadata(t *testing.T) {
	h, fl := triggerHarness(t)
	h.setTriggers(lambdaConfigType{PostAuthentication: lambdaARN + "post"})
	fl.set("post", ok)
	h.wantTokens(h.call("InitiateAuth", m{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": demoClient,
		"AuthParameters": m{"USERNAME": "alice", "PASSWORD": demoPass}, "ClientMetadata": m{"from": "initiate"}}, false))
	c, ch := h.srpStart(demoClient, "alice", nil)
	body := m{"ClientId": demoClient, "ChallengeName": "PASSWORD_VERIFIER", "Session": ch.str("Session"), "ClientMetadata": m{"from": "respond"}}
	p := ch.body["ChallengeParameters"].(map[string]any)
	poolName, _ := srp.PoolName(demoPool)
	claim, err := c.PasswordClaim(srp.ClaimInput{PoolName: poolName, UserID: "alice", Password: demoPass,
		Salt: p["SALT"].(string), SRPB: p["SRP_B"].(string), SecretBlock: p["SECRET_BLOCK"].(string), Now: h.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	body["ChallengeResponses"] = m{"USERNAME": "alice", "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
		"TIMESTAMP": claim.Timestamp, "PASSWORD_CLAIM_SIGNATURE": claim.Signature}
	h.wantTokens(h.call("RespondToAuthChallenge", body, false))
	calls := fl.calls("post")
	if len(calls) != 2 {
		t.Fatalf("post-authentication ran %d times, want 2", len(calls))
	}
	if _, has := request(calls[0].event)["clientMetadata"]; has {
		t.Errorf("InitiateAuth's ClientMetadata reached the trigger: %s", calls[0].raw)
	}
	if md, _ := request(calls[1].event)["clientMetadata"].(map[string]any); md["from"] != "respond" {
		t.Errorf("RespondToAuthChallenge's ClientMetadata did not reach the trigger: %s", calls[1].raw)
	}
}

package triggers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// invokeHTTP posts an event as the emulator would and decodes the answer.
func invokeHTTP(t *testing.T, srv *httptest.Server, fn string, event map[string]any) (map[string]any, *http.Response) {
	t.Helper()
	raw, _ := json.Marshal(event)
	res, err := http.Post(srv.URL+"/2015-03-31/functions/"+fn+"/invocations", "application/json", strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("decoding the answer: %v", err)
	}
	return out, res
}

func event(source string, req map[string]any) map[string]any {
	return map[string]any{
		"version": "1", "region": "us-east-1", "userPoolId": "us-east-1_demo", "userName": "carol",
		"callerContext": map[string]any{"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "client1"},
		"triggerSource": source, "request": req, "response": map[string]any{},
	}
}

func TestDefineSequence(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	r := func(name string, ok bool) map[string]any {
		return map[string]any{"challengeName": name, "challengeResult": ok}
	}
	tests := []struct {
		name        string
		session     []map[string]any
		wantNext    string
		wantTokens  bool
		wantFailure bool
	}{
		{"without srp asks at once", nil, "CUSTOM_CHALLENGE", false, false},
		{"with srp answers the verifier next", []map[string]any{r("SRP_A", true)}, "PASSWORD_VERIFIER", false, false},
		{"right password then the sum", []map[string]any{r("SRP_A", true), r("PASSWORD_VERIFIER", true)}, "CUSTOM_CHALLENGE", false, false},
		{"wrong password fails", []map[string]any{r("SRP_A", true), r("PASSWORD_VERIFIER", false)}, "", false, true},
		{"right answer issues tokens", []map[string]any{r("CUSTOM_CHALLENGE", true)}, "", true, false},
		{"wrong answer asks again", []map[string]any{r("CUSTOM_CHALLENGE", false)}, "CUSTOM_CHALLENGE", false, false},
		{"third wrong answer fails", []map[string]any{r("CUSTOM_CHALLENGE", false), r("CUSTOM_CHALLENGE", false), r("CUSTOM_CHALLENGE", false)}, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, res := invokeHTTP(t, srv, "demo-define", event("DefineAuthChallenge_Authentication",
				map[string]any{"userAttributes": map[string]string{"sub": "x"}, "session": tt.session}))
			if res.StatusCode != 200 || res.Header.Get("X-Amz-Function-Error") != "" {
				t.Fatalf("status %d, function error %q; want 200 and none", res.StatusCode, res.Header.Get("X-Amz-Function-Error"))
			}
			resp := out["response"].(map[string]any)
			next, _ := resp["challengeName"].(string)
			if next != tt.wantNext || resp["issueTokens"] != tt.wantTokens || resp["failAuthentication"] != tt.wantFailure {
				t.Errorf("define(%v) = %v; want next %q, issueTokens %v, failAuthentication %v", tt.session, resp, tt.wantNext, tt.wantTokens, tt.wantFailure)
			}
			if out["userName"] != "carol" || out["userPoolId"] != "us-east-1_demo" {
				t.Errorf("the common members were not kept: %v", out)
			}
		})
	}
}

var question = regexp.MustCompile(`^What is (\d) \+ (\d)\?$`)

func TestCreateThenVerify(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	out, _ := invokeHTTP(t, srv, "demo-create", event("CreateAuthChallenge_Authentication",
		map[string]any{"challengeName": "CUSTOM_CHALLENGE", "session": []any{}}))
	resp := out["response"].(map[string]any)
	q, _ := resp["publicChallengeParameters"].(map[string]any)["question"].(string)
	m := question.FindStringSubmatch(q)
	if m == nil {
		t.Fatalf("question = %q; want \"What is a + b?\"", q)
	}
	var a, b int
	fmt.Sscan(m[1], &a)
	fmt.Sscan(m[2], &b)
	private := resp["privateChallengeParameters"].(map[string]any)
	if private["answer"] != fmt.Sprint(a+b) {
		t.Fatalf("private answer = %v; want %d for %q", private["answer"], a+b, q)
	}
	if _, leaked := resp["publicChallengeParameters"].(map[string]any)["answer"]; leaked {
		t.Fatal("the answer is in the public parameters")
	}

	for _, tc := range []struct {
		answer string
		found  bool
		want   bool
	}{
		{fmt.Sprint(a + b), false, true},
		{" " + fmt.Sprint(a+b) + "\n", false, true},
		{fmt.Sprint(a + b + 1), false, false},
		{"", false, false},
		{fmt.Sprint(a + b), true, false}, // userNotFound: never right
	} {
		v, _ := invokeHTTP(t, srv, "demo-verify", event("VerifyAuthChallengeResponse_Authentication", map[string]any{
			"privateChallengeParameters": private, "challengeAnswer": tc.answer, "userNotFound": tc.found}))
		if got := v["response"].(map[string]any)["answerCorrect"]; got != tc.want {
			t.Errorf("verify(%q, userNotFound=%v) answerCorrect = %v; want %v", tc.answer, tc.found, got, tc.want)
		}
	}
}

func TestOtherTriggersPassThrough(t *testing.T) {
	ev := event("PreAuthentication_Authentication", map[string]any{"userAttributes": map[string]string{"email": "c@example.com"}})
	raw, _ := json.Marshal(ev)
	out, err := Handle(raw)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != string(raw) {
		t.Errorf("Handle(pre-authentication) = %s; want the event unchanged %s", out, raw)
	}
}

func TestBadEventsAreFunctionErrors(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	for _, body := range []string{`nope`, `[]`, `{}`, `{"triggerSource": 5}`,
		`{"triggerSource": "DefineAuthChallenge_Authentication", "request": {"session": "x"}}`,
		`{"triggerSource": "CreateAuthChallenge_Authentication", "request": {"challengeName": "SMS_MFA"}}`} {
		res, err := http.Post(srv.URL+"/2015-03-31/functions/f/invocations", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var out map[string]string
		json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if res.Header.Get("X-Amz-Function-Error") != "Unhandled" || !strings.HasPrefix(out["errorMessage"], "demo trigger: ") {
			t.Errorf("invoke(%s) = %d %q %v; want a function error with a message", body, res.StatusCode, res.Header.Get("X-Amz-Function-Error"), out)
		}
	}
	res, err := http.Post(srv.URL+"/2015-03-31/functions/f/invocations", "application/json", strings.NewReader(strings.Repeat(" ", maxEventBytes+10)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("an oversized event: status %d; want 413", res.StatusCode)
	}
	res, err = http.Get(srv.URL + "/2015-03-31/functions/f/invocations")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET invocations: status %d; want 405", res.StatusCode)
	}
}

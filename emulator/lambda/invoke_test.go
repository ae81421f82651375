package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/emulator/sigv4"
)

// invokeAPI is a small Lambda Invoke API: POST /2015-03-31/functions/{name}/invocations,
// answering with the handler registered for name and recording each call.
type invokeAPI struct {
	mu       sync.Mutex
	calls    []call
	handlers map[string]func(w http.ResponseWriter, ev map[string]any)
}

type call struct {
	name, qualifier string
	header          http.Header
	body            []byte
}

func (a *invokeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/2015-03-31/functions/")
	name, ok2 := strings.CutSuffix(rest, "/invocations")
	if r.Method != http.MethodPost || !ok || !ok2 {
		http.NotFound(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	a.mu.Lock()
	a.calls = append(a.calls, call{name, r.URL.Query().Get("Qualifier"), r.Header.Clone(), body})
	h := a.handlers[name]
	a.mu.Unlock()
	if h == nil {
		w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.awslambda/")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"Type":"User","message":"Function not found: ` + name + `"}`))
		return
	}
	var ev map[string]any
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	h(w, ev)
}

func (a *invokeAPI) lastCall(t *testing.T) call {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.calls) == 0 {
		t.Fatal("the function was not invoked")
	}
	return a.calls[len(a.calls)-1]
}

// returnEvent answers as a Node handler that sets event.response and returns the event.
func returnEvent(response map[string]any) func(http.ResponseWriter, map[string]any) {
	return func(w http.ResponseWriter, ev map[string]any) {
		if response != nil {
			ev["response"] = response
		}
		_ = json.NewEncoder(w).Encode(ev)
	}
}

func raw(body string, header ...string) func(http.ResponseWriter, map[string]any) {
	return func(w http.ResponseWriter, _ map[string]any) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		_, _ = w.Write([]byte(body))
	}
}

func newAPI(t *testing.T, handlers map[string]func(http.ResponseWriter, map[string]any)) (*invokeAPI, *Client) {
	t.Helper()
	api := &invokeAPI{handlers: handlers}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, srv.Client(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return api, c
}

const arnPrefix = "arn:aws:lambda:us-east-1:123456789012:function:"

var caller = Caller{Region: "us-east-1", UserPoolID: "us-east-1_Abc", UserName: "alice", ClientID: "client1"}

func wantError(t *testing.T, err error, typ, msg string) {
	t.Helper()
	var le *Error
	if !errors.As(err, &le) {
		t.Fatalf("error = %v, want *Error %s", err, typ)
	}
	if le.Type != typ || le.Message != msg {
		t.Fatalf("error = %s: %q\nwant    %s: %q", le.Type, le.Message, typ, msg)
	}
}

// assertJSON compares a request body with the document Cognito sends, member order included.
func assertJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(want)); err != nil {
		t.Fatalf("bad want: %v", err)
	}
	if string(got) != buf.String() {
		t.Fatalf("event\n got %s\nwant %s", got, buf.String())
	}
}

func TestDefineAuthChallengeEventAndDecision(t *testing.T) {
	api, c := newAPI(t, map[string]func(http.ResponseWriter, map[string]any){
		"define": returnEvent(map[string]any{"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false}),
	})
	res, err := c.DefineAuthChallenge(context.Background(), arnPrefix+"define", caller, DefineAuthChallengeRequest{
		UserAttributes: map[string]string{"sub": "u-1", "email": "a@example.com"},
		Session: []ChallengeResult{
			{ChallengeName: "SRP_A", ChallengeResult: true},
			{ChallengeName: "PASSWORD_VERIFIER", ChallengeResult: true, ChallengeMetadata: "pw"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res != (DefineAuthChallengeResponse{ChallengeName: "CUSTOM_CHALLENGE"}) {
		t.Fatalf("decision = %+v", res)
	}
	got := api.lastCall(t)
	if got.name != "define" || got.qualifier != "" {
		t.Fatalf("invoked %q qualifier %q", got.name, got.qualifier)
	}
	if got.header.Get("X-Amz-Invocation-Type") != "RequestResponse" || got.header.Get("Content-Type") != "application/json" {
		t.Fatalf("headers %v", got.header)
	}
	assertJSON(t, got.body, `{"version":"1","region":"us-east-1","userPoolId":"us-east-1_Abc","userName":"alice",
		"callerContext":{"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"client1"},
		"triggerSource":"DefineAuthChallenge_Authentication",
		"request":{"userAttributes":{"email":"a@example.com","sub":"u-1"},
			"session":[{"challengeName":"SRP_A","challengeResult":true,"challengeMetadata":null},
				{"challengeName":"PASSWORD_VERIFIER","challengeResult":true,"challengeMetadata":"pw"}],
			"userNotFound":false},
		"response":{"challengeName":null,"issueTokens":null,"failAuthentication":null}}`)
}

func TestDefineAuthChallengeOutcomes(t *testing.T) {
	cases := []struct {
		name     string
		response any
		want     DefineAuthChallengeResponse
		wantErr  bool
	}{
		{"issue tokens", map[string]any{"issueTokens": true, "failAuthentication": false, "challengeName": "CUSTOM_CHALLENGE"}, DefineAuthChallengeResponse{IssueTokens: true}, false},
		{"fail", map[string]any{"failAuthentication": true}, DefineAuthChallengeResponse{FailAuthentication: true}, false},
		{"password verifier", map[string]any{"challengeName": "PASSWORD_VERIFIER"}, DefineAuthChallengeResponse{ChallengeName: "PASSWORD_VERIFIER"}, false},
		{"nothing decided", map[string]any{"issueTokens": false, "failAuthentication": false, "challengeName": nil}, DefineAuthChallengeResponse{}, true},
		{"both issue and fail", map[string]any{"issueTokens": true, "failAuthentication": true}, DefineAuthChallengeResponse{}, true},
		{"unknown challenge", map[string]any{"challengeName": "PICK_A_CARD"}, DefineAuthChallengeResponse{}, true},
		{"string boolean", map[string]any{"issueTokens": "true"}, DefineAuthChallengeResponse{}, true},
		{"response not an object", []any{1, 2}, DefineAuthChallengeResponse{}, true},
		{"member names differ in case", map[string]any{"IssueTokens": true}, DefineAuthChallengeResponse{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, c := newAPI(t, map[string]func(http.ResponseWriter, map[string]any){
				"define": func(w http.ResponseWriter, ev map[string]any) {
					ev["response"] = tc.response
					_ = json.NewEncoder(w).Encode(ev)
				},
			})
			res, err := c.DefineAuthChallenge(context.Background(), arnPrefix+"define", caller, DefineAuthChallengeRequest{})
			if tc.wantErr {
				wantError(t, err, TypeInvalidLambdaResponse, "Unrecognizable lambda output")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res != tc.want {
				t.Fatalf("decision = %+v, want %+v", res, tc.want)
			}
		})
	}
}

func TestCreateAuthChallengeEventAndParameters(t *testing.T) {
	api, c := newAPI(t, map[string]func(http.ResponseWriter, map[string]any){
		"create": returnEvent(map[string]any{
			"publicChallengeParameters":  map[string]any{"question": "2+2?"},
			"privateChallengeParameters": map[string]any{"answer": "4"},
			"challengeMetadata":          "MATH",
		}),
	})
	res, err := c.CreateAuthChallenge(context.Background(), arnPrefix+"create:live", caller, CreateAuthChallengeRequest{
		UserAttributes: map[string]string{"sub": "u-1"},
		ChallengeName:  "CUSTOM_CHALLENGE",
		ClientMetadata: map[string]string{"app": "web"},
		UserNotFound:   true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.PublicChallengeParameters["question"] != "2+2?" || res.PrivateChallengeParameters["answer"] != "4" || res.ChallengeMetadata != "MATH" {
		t.Fatalf("challenge = %+v", res)
	}
	got := api.lastCall(t)
	if got.name != "create" || got.qualifier != "live" {
		t.Fatalf("invoked %q qualifier %q", got.name, got.qualifier)
	}
	assertJSON(t, got.body, `{"version":"1","region":"us-east-1","userPoolId":"us-east-1_Abc","userName":"alice",
		"callerContext":{"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"client1"},
		"triggerSource":"CreateAuthChallenge_Authentication",
		"request":{"userAttributes":{"sub":"u-1"},"challengeName":"CUSTOM_CHALLENGE","session":[],
			"clientMetadata":{"app":"web"},"userNotFound":true},
		"response":{"publicChallengeParameters":null,"privateChallengeParameters":null,"challengeMetadata":null}}`)
}

func TestCreateAuthChallengeNonStringParameterIsUnrecognizable(t *testing.T) {
	_, c := newAPI(t, map[string]func(http.ResponseWriter, map[string]any){
		"create": returnEvent(map[string]any{"publicChallengeParameters": map[string]any{"n": 5}}),
	})
	_, err := c.CreateAuthChallenge(context.Background(), arnPrefix+"create", caller, CreateAuthChallengeRequest{ChallengeName: "CUSTOM_CHALLENGE"})
	wantError(t, err, TypeInvalidLambdaResponse, "Unrecognizable lambda output")
}

func TestVerifyAuthChallengeResponse(t *testing.T) {
	for _, tc := range []struct {
		name     string
		response map[string]any
		want     bool
	}{
		{"correct", map[string]any{"answerCorrect": true}, true},
		{"wrong", map[string]any{"answerCorrect": false}, false},
		{"unset", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api, c := newAPI(t, map[string]func(http.ResponseWriter, map[string]any){"verify": returnEvent(tc.response)})
			ok, err := c.VerifyAuthChallengeResponse(context.Background(), arnPrefix+"verify", caller, VerifyAuthChallengeRequest{
				UserAttributes:             map[string]string{"sub": "u-1"},
				PrivateChallengeParameters: map[string]string{"answer": "4"},
				ChallengeAnswer:            "4",
			})
			if err != nil {
				t.Fatal(err)
			}
			if ok != tc.want {
				t.Fatalf("answerCorrect = %v, want %v", ok, tc.want)
			}
			assertJSON(t, api.lastCall(t).body, `{"version":"1","region":"us-east-1","userPoolId":"us-east-1_Abc","userName":"alice",
				"callerContext":{"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"client1"},
				"triggerSource":"VerifyAuthChallengeResponse_Authentication",
				"request":{"userAttributes":{"sub":"u-1"},"privateChallengeParameters":{"answer":"4"},
					"challengeAnswer":"4","userNotFound":false},
				"response":{"answerCorrect":null}}`)
		})
	}
}

func TestPreAndPostAuthenticationEvents(t *testing.T) {
	api, c := newAPI(t, map[string]func(http.ResponseWriter, map[string]any){
		"pre":  returnEvent(nil),
		"post": raw(`null`), // a Python handler returning None: Cognito reads nothing from the answer
	})
	sdk := caller
	sdk.SDKVersion = "aws-sdk-js-3.0.0"
	if err := c.PreAuthentication(context.Background(), arnPrefix+"pre", sdk, PreAuthenticationRequest{
		UserAttributes: map[string]string{"sub": "u-1", "cognito:user_status": "CONFIRMED"},
		ValidationData: map[string]string{"captcha": "x"},
	}); err != nil {
		t.Fatal(err)
	}
	assertJSON(t, api.lastCall(t).body, `{"version":"1","region":"us-east-1","userPoolId":"us-east-1_Abc","userName":"alice",
		"callerContext":{"awsSdkVersion":"aws-sdk-js-3.0.0","clientId":"client1"},
		"triggerSource":"PreAuthentication_Authentication",
		"request":{"userAttributes":{"cognito:user_status":"CONFIRMED","sub":"u-1"},"validationData":{"captcha":"x"},"userNotFound":false},
		"response":{}}`)
	if err := c.PostAuthentication(context.Background(), arnPrefix+"post", caller, PostAuthenticationRequest{
		NewDeviceUsed: true,
	}); err != nil {
		t.Fatal(err)
	}
	assertJSON(t, api.lastCall(t).body, `{"version":"1","region":"us-east-1","userPoolId":"us-east-1_Abc","userName":"alice",
		"callerContext":{"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"client1"},
		"triggerSource":"PostAuthentication_Authentication",
		"request":{"userAttributes":{},"newDeviceUsed":true},
		"response":{}}`)
}

func TestFunctionErrorIsUserLambdaValidation(t *testing.T) {
	long := strings.Repeat("é", 2000)
	for _, tc := range []struct {
		name, body, want string
	}{
		{"node error", `{"errorType":"Error","errorMessage":"Email not verified","stackTrace":["Error: Email not verified"]}`, "PreAuthentication failed with error Email not verified."},
		{"type only", `{"errorType":"Runtime.ExitError"}`, "PreAuthentication failed with error Runtime.ExitError."},
		{"not json", `Traceback ...`, "PreAuthentication failed with error Unhandled."},
		{"long message is cut", `{"errorMessage":"` + long + `"}`, "PreAuthentication failed with error " + long[:2*maxErrorMessage] + "."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c := newAPI(t, map[string]func(http.ResponseWriter, map[string]any){
				"pre": raw(tc.body, "X-Amz-Function-Error", "Unhandled"),
			})
			err := c.PreAuthentication(context.Background(), arnPrefix+"pre", caller, PreAuthenticationRequest{})
			wantError(t, err, TypeUserLambdaValidation, tc.want)
		})
	}
}

func TestEachTriggerNamesItselfInErrors(t *testing.T) {
	_, c := newAPI(t, map[string]func(http.ResponseWriter, map[string]any){
		"f": raw(`{"errorMessage":"boom"}`, "X-Amz-Function-Error", "Unhandled"),
	})
	ctx, arn := context.Background(), arnPrefix+"f"
	_, err := c.DefineAuthChallenge(ctx, arn, caller, DefineAuthChallengeRequest{})
	wantError(t, err, TypeUserLambdaValidation, "DefineAuthChallenge failed with error boom.")
	_, err = c.CreateAuthChallenge(ctx, arn, caller, CreateAuthChallengeRequest{})
	wantError(t, err, TypeUserLambdaValidation, "CreateAuthChallenge failed with error boom.")
	_, err = c.VerifyAuthChallengeResponse(ctx, arn, caller, VerifyAuthChallengeRequest{})
	wantError(t, err, TypeUserLambdaValidation, "VerifyAuthChallengeResponse failed with error boom.")
	err = c.PostAuthentication(ctx, arn, caller, PostAuthenticationRequest{})
	wantError(t, err, TypeUserLambdaValidation, "PostAuthentication failed with error boom.")
}

func TestOutputNotJSONIsInvalidLambdaResponse(t *testing.T) {
	_, c := newAPI(t, map[string]func(http.ResponseWriter, map[string]any){
		"define": raw(`{"response": {"issueTokens": tru`),
		"pre":    raw(`<html>`),
	})
	_, err := c.DefineAuthChallenge(context.Background(), arnPrefix+"define", caller, DefineAuthChallengeRequest{})
	wantError(t, err, TypeInvalidLambdaResponse, "Invalid lambda function output : Invalid JSON")
	err = c.PreAuthentication(context.Background(), arnPrefix+"pre", caller, PreAuthenticationRequest{})
	wantError(t, err, TypeInvalidLambdaResponse, "Invalid lambda function output : Invalid JSON")
}

func TestOversizedOutputIsRefused(t *testing.T) {
	big := `{"response":{"answerCorrect":true},"pad":"` + strings.Repeat("x", MaxResponseBytes) + `"}`
	_, c := newAPI(t, map[string]func(http.ResponseWriter, map[string]any){"verify": raw(big)})
	_, err := c.VerifyAuthChallengeResponse(context.Background(), arnPrefix+"verify", caller, VerifyAuthChallengeRequest{})
	var le *Error
	if !errors.As(err, &le) || le.Type != TypeInvalidLambdaResponse {
		t.Fatalf("error = %v, want InvalidLambdaResponseException", err)
	}
}

func TestUnknownFunctionIsUnexpectedLambda(t *testing.T) {
	_, c := newAPI(t, nil)
	err := c.PreAuthentication(context.Background(), arnPrefix+"missing", caller, PreAuthenticationRequest{})
	wantError(t, err, TypeUnexpectedLambda, "PreAuthentication invocation failed due to error ResourceNotFoundException.")
}

func TestServiceErrorTypeFromBody(t *testing.T) {
	_, c := newAPI(t, map[string]func(http.ResponseWriter, map[string]any){
		"f": func(w http.ResponseWriter, _ map[string]any) {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"__type":"com.amazonaws.lambda#AccessDeniedException","message":"no"}`))
		},
		"g": func(w http.ResponseWriter, _ map[string]any) { w.WriteHeader(http.StatusBadGateway) },
	})
	err := c.PostAuthentication(context.Background(), arnPrefix+"f", caller, PostAuthenticationRequest{})
	wantError(t, err, TypeUnexpectedLambda, "PostAuthentication invocation failed due to error AccessDeniedException.")
	err = c.PostAuthentication(context.Background(), arnPrefix+"g", caller, PostAuthenticationRequest{})
	wantError(t, err, TypeUnexpectedLambda, "PostAuthentication invocation failed due to error Lambda endpoint answered HTTP 502.")
}

func TestUnreachableEndpointIsUnexpectedLambda(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, err := New(url, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DefineAuthChallenge(context.Background(), arnPrefix+"define", caller, DefineAuthChallengeRequest{})
	wantError(t, err, TypeUnexpectedLambda, "DefineAuthChallenge invocation failed due to error Lambda endpoint unreachable.")
}

func TestSlowFunctionTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	c, err := New(srv.URL, nil, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.VerifyAuthChallengeResponse(context.Background(), arnPrefix+"verify", caller, VerifyAuthChallengeRequest{})
	wantError(t, err, TypeUnexpectedLambda, "VerifyAuthChallengeResponse invocation failed due to error Socket timeout while invoking Lambda function.")
}

func TestNilClientHasNoEndpoint(t *testing.T) {
	var c *Client
	err := c.PreAuthentication(context.Background(), arnPrefix+"pre", caller, PreAuthenticationRequest{})
	var le *Error
	if !errors.As(err, &le) || le.Type != TypeUnexpectedLambda || !strings.Contains(le.Message, "-lambda-endpoint") {
		t.Fatalf("error = %v, want UnexpectedLambdaException naming -lambda-endpoint", err)
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	var leaked bool
	elsewhere := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { leaked = true }))
	defer elsewhere.Close()
	_, c := newAPI(t, map[string]func(http.ResponseWriter, map[string]any){
		"verify": func(w http.ResponseWriter, _ map[string]any) {
			w.Header().Set("Location", elsewhere.URL)
			w.WriteHeader(http.StatusTemporaryRedirect)
		},
	})
	_, err := c.VerifyAuthChallengeResponse(context.Background(), arnPrefix+"verify", caller, VerifyAuthChallengeRequest{
		PrivateChallengeParameters: map[string]string{"answer": "secret"},
	})
	wantError(t, err, TypeUnexpectedLambda, "VerifyAuthChallengeResponse invocation failed due to error Lambda endpoint answered HTTP 307.")
	if leaked {
		t.Fatal("the event was posted to the redirect target")
	}
}

func TestEndpointPathPrefixIsKept(t *testing.T) {
	api := &invokeAPI{handlers: map[string]func(http.ResponseWriter, map[string]any){"pre": returnEvent(nil)}}
	mux := http.NewServeMux()
	mux.Handle("/lambda/", http.StripPrefix("/lambda", api))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := New(srv.URL+"/lambda/", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PreAuthentication(context.Background(), arnPrefix+"pre", caller, PreAuthenticationRequest{}); err != nil {
		t.Fatal(err)
	}
	if api.lastCall(t).name != "pre" {
		t.Fatal("wrong function")
	}
}

func TestNewRefusesBadEndpoints(t *testing.T) {
	for _, e := range []string{"", "localhost:3001", "ftp://h/", "http://", "http://h/?a=b", "://x"} {
		if _, err := New(e, nil, 0); err == nil {
			t.Errorf("New(%q) accepted", e)
		}
	}
}

func TestParseFunctionARN(t *testing.T) {
	for _, tc := range []struct{ arn, name, qualifier string }{
		{"arn:aws:lambda:us-east-1:123456789012:function:my-fn", "my-fn", ""},
		{"arn:aws:lambda:eu-west-2:123456789012:function:my_fn:prod", "my_fn", "prod"},
		{"arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST", "f", "$LATEST"},
		{"arn:aws:lambda:us-east-1:123456789012:function:f:7", "f", "7"},
		{"arn:aws-cn:lambda:cn-north-1:123456789012:function:f", "f", ""},
		{"arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f", "f", ""},
	} {
		name, q, err := ParseFunctionARN(tc.arn)
		if err != nil || name != tc.name || q != tc.qualifier {
			t.Errorf("ParseFunctionARN(%q) = %q, %q, %v", tc.arn, name, q, err)
		}
	}
	for _, bad := range []string{
		"", "my-fn", "arn:aws:lambda:us-east-1:123:function:f", "arn:aws:s3:::bucket",
		"arn:aws:lambda:us-east-1:123456789012:function:../admin", "arn:aws:lambda:us-east-1:123456789012:function:f:a:b",
		"arn:aws:lambda:us-east-1:123456789012:layer:f", "arn:aws:lambda:us-east-1:123456789012:function:" + strings.Repeat("a", 65),
	} {
		if _, _, err := ParseFunctionARN(bad); err == nil {
			t.Errorf("ParseFunctionARN(%q) accepted", bad)
		}
	}
}

func TestInvalidARNIsUnexpectedLambda(t *testing.T) {
	api, c := newAPI(t, nil)
	err := c.PreAuthentication(context.Background(), "arn:aws:lambda:us-east-1:123456789012:function:../x", caller, PreAuthenticationRequest{})
	wantError(t, err, TypeUnexpectedLambda, "PreAuthentication invocation failed due to error InvalidParameterValueException.")
	if len(api.calls) != 0 {
		t.Fatal("an invalid ARN was invoked")
	}
}

func TestOversizedChallengeIsRefused(t *testing.T) {
	_, c := newAPI(t, map[string]func(http.ResponseWriter, map[string]any){
		"create": returnEvent(map[string]any{
			"publicChallengeParameters":  map[string]any{"q": strings.Repeat("x", MaxChallengeBytes/2)},
			"privateChallengeParameters": map[string]any{"a": strings.Repeat("y", MaxChallengeBytes/2)},
		}),
	})
	_, err := c.CreateAuthChallenge(context.Background(), arnPrefix+"create", caller, CreateAuthChallengeRequest{ChallengeName: "CUSTOM_CHALLENGE"})
	wantError(t, err, TypeInvalidLambdaResponse, "Invalid lambda function output : challenge larger than 16384 bytes")
}

// TestInvocationIsSigned: invocations carry SigV4 for the lambda service in
// the ARN's region (LocalStack reads the scope; sam local ignores it).
func TestInvocationIsSigned(t *testing.T) {
	v := &sigv4.Verifier{Credentials: []sigv4.Credentials{{AccessKeyID: "test", SecretAccessKey: "test"}}, Service: "lambda", Region: "eu-west-2"}
	var verr error
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		verr = v.Verify(r, body)
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c, err := New(srv.URL, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PreAuthentication(context.Background(), "arn:aws:lambda:eu-west-2:123456789012:function:pre:live", caller, PreAuthenticationRequest{}); err != nil {
		t.Fatal(err)
	}
	if verr != nil {
		t.Fatalf("the invocation's signature does not verify: %v", verr)
	}
}

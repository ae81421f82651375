//go:build !(js && wasm)

package signin

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cognito-wasm/cognito-wasm/internal/cognitorpc"
)

// scripted answers every request from answer (a status and body, or a
// transport error) and records what was sent.
type scripted struct {
	mu     sync.Mutex
	reqs   []scriptedReq
	answer func(n int) (int, string, error) // n counts from 1
}

type scriptedReq struct {
	method, url, contentType, target, body string
}

func (s *scripted) Do(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, scriptedReq{req.Method, req.URL.String(), req.Header.Get("Content-Type"), req.Header.Get("X-Amz-Target"), string(body)})
	n := len(s.reqs)
	s.mu.Unlock()
	status, out, err := s.answer(n)
	if err != nil {
		return nil, err
	}
	h := http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amzn-Requestid": {"req-1"}}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(out)), Request: req}, nil
}

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// bothAPIs returns the SDK client and defaultAPI, each over its own
// scripted transport answering with answer, with New's retry rules (less
// the back-off wait).
func bothAPIs(t *testing.T, answer func(n int) (int, string, error)) (sdk, ours API, sdkT, oursT *scripted) {
	t.Helper()
	sdkT, oursT = &scripted{answer: answer}, &scripted{answer: answer}
	opts := func(hc cip.HTTPClient) cip.Options {
		return cip.Options{Region: "eu-west-1", HTTPClient: hc, Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = noBackoff{}
			o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(neverRetry)}, o.Retryables...)
		})}
	}
	rpc, err := cognitorpc.New(cognitorpc.Config{Region: "eu-west-1", HTTPClient: oursT})
	if err != nil {
		t.Fatal(err)
	}
	return cip.New(opts(sdkT)), &defaultAPI{rpc: rpc, retryer: opts(oursT).Retryer}, sdkT, oursT
}

// sameRequests: the same URL, method, headers that matter and JSON body.
func sameRequests(t *testing.T, sdk, ours *scripted) {
	t.Helper()
	if len(sdk.reqs) != len(ours.reqs) {
		t.Fatalf("sent %d requests; the SDK client sent %d", len(ours.reqs), len(sdk.reqs))
	}
	for i, want := range sdk.reqs {
		got := ours.reqs[i]
		var wb, gb any
		if json.Unmarshal([]byte(want.body), &wb) != nil || json.Unmarshal([]byte(got.body), &gb) != nil || !reflect.DeepEqual(wb, gb) {
			t.Errorf("request %d body = %s; the SDK client sent %s", i+1, got.body, want.body)
		}
		want.body, got.body = "", ""
		if got != want {
			t.Errorf("request %d = %+v; the SDK client sent %+v", i+1, got, want)
		}
	}
}

// TestDefaultAPIAsTheSDK: InitiateAuth and RespondToAuthChallenge through
// cognitorpc send what the SDK client sends and read the same answers.
func TestDefaultAPIAsTheSDK(t *testing.T) {
	ctx := ctxT(t)
	challenge := `{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"ab","USERNAME":"u-1"},"Session":"s1","AvailableChallenges":["PASSWORD","EMAIL_OTP"]}`
	sdk, ours, sdkT, oursT := bothAPIs(t, func(int) (int, string, error) { return 200, challenge, nil })
	in := &cip.InitiateAuthInput{AuthFlow: "USER_SRP_AUTH", ClientId: aws.String("client1"),
		AuthParameters: map[string]string{"USERNAME": "alice", "SRP_A": "0a"}, ClientMetadata: map[string]string{"k": "v"}, Session: aws.String("signup")}
	want, err := sdk.InitiateAuth(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ours.InitiateAuth(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want.ResultMetadata, got.ResultMetadata = middleware.Metadata{}, middleware.Metadata{}
	if !reflect.DeepEqual(got, want) || got.ChallengeName != "PASSWORD_VERIFIER" || len(got.AvailableChallenges) != 2 {
		t.Errorf("InitiateAuth = %+v; the SDK read %+v", got, want)
	}
	// Without Session and ClientMetadata: nothing null is sent.
	in2 := &cip.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: aws.String("client1"), AuthParameters: map[string]string{"USERNAME": "alice"}}
	sdk.InitiateAuth(ctx, in2)
	ours.InitiateAuth(ctx, in2)
	if strings.Contains(oursT.reqs[1].body, "null") {
		t.Errorf("body %s holds a null", oursT.reqs[1].body)
	}
	sameRequests(t, sdkT, oursT)

	tokens := `{"AuthenticationResult":{"AccessToken":"a.b.c","IdToken":"i.d.t","RefreshToken":"r","ExpiresIn":3600,"TokenType":"Bearer",` +
		`"NewDeviceMetadata":{"DeviceKey":"eu-west-1_dk","DeviceGroupKey":"gk"}},"ChallengeParameters":{}}`
	sdk, ours, sdkT, oursT = bothAPIs(t, func(int) (int, string, error) { return 200, tokens, nil })
	rin := &cip.RespondToAuthChallengeInput{ChallengeName: "PASSWORD_VERIFIER", ClientId: aws.String("client1"),
		ChallengeResponses: map[string]string{"USERNAME": "u-1", "PASSWORD_CLAIM_SIGNATURE": "sig"}, Session: aws.String("s1")}
	rwant, err := sdk.RespondToAuthChallenge(ctx, rin, sendOnce)
	if err != nil {
		t.Fatal(err)
	}
	rgot, err := ours.RespondToAuthChallenge(ctx, rin, sendOnce)
	if err != nil {
		t.Fatal(err)
	}
	rwant.ResultMetadata, rgot.ResultMetadata = middleware.Metadata{}, middleware.Metadata{}
	if !reflect.DeepEqual(rgot, rwant) || rgot.AuthenticationResult == nil || rgot.AuthenticationResult.NewDeviceMetadata == nil || rgot.AuthenticationResult.ExpiresIn != 3600 {
		t.Errorf("RespondToAuthChallenge = %+v; the SDK read %+v", rgot, rwant)
	}
	sameRequests(t, sdkT, oursT)
	if !strings.HasPrefix(oursT.reqs[0].url, "https://cognito-idp.eu-west-1.amazonaws.com") {
		t.Errorf("sent to %s", oursT.reqs[0].url)
	}
}

// TestDefaultAPIErrorsAndRetriesAsTheSDK: the same attempts and the same
// error (code, message, status, the retries' wrapping) as the SDK client,
// for refusals, server faults, a bad body and transport failures, with the
// client's retryer and with sendOnce.
func TestDefaultAPIErrorsAndRetriesAsTheSDK(t *testing.T) {
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	for _, tt := range []struct {
		name      string
		answer    func(n int) (int, string, error)
		once      bool
		wantSends int
	}{
		{"refused", func(int) (int, string, error) {
			return 400, `{"__type":"NotAuthorizedException","message":"Incorrect username or password."}`, nil
		}, false, 1},
		{"server fault", func(int) (int, string, error) {
			return 500, `{"__type":"InternalErrorException","message":"boom"}`, nil
		}, false, 3},
		{"throttled then fine", func(n int) (int, string, error) {
			if n == 1 {
				return 400, `{"__type":"TooManyRequestsException","message":"slow down"}`, nil
			}
			return 200, `{"ChallengeName":"PASSWORD_VERIFIER","Session":"s"}`, nil
		}, false, 2},
		{"not JSON", func(int) (int, string, error) { return 200, `<html>`, nil }, false, 1},
		{"reset", func(int) (int, string, error) { return 0, "", reset }, false, 3},
		{"reset, once", func(int) (int, string, error) { return 0, "", reset }, true, 1},
		{"unsent, once", func(n int) (int, string, error) {
			if n == 1 {
				return 0, "", unsentErr{notSent: true}
			}
			return 400, `{"__type":"CodeMismatchException","message":"Invalid code received for user"}`, nil
		}, true, 2},
		{"refused, once", func(int) (int, string, error) { return 400, `{"__type":"InternalErrorException","message":"x"}`, nil }, true, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := ctxT(t)
			var opts []func(*cip.Options)
			if tt.once {
				opts = append(opts, sendOnce)
			}
			for _, op := range []string{"InitiateAuth", "RespondToAuthChallenge"} {
				sdk, ours, sdkT, oursT := bothAPIs(t, tt.answer)
				call := func(api API) error {
					if op == "InitiateAuth" {
						_, err := api.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: aws.String("c"), AuthParameters: map[string]string{"USERNAME": "a"}}, opts...)
						return err
					}
					_, err := api.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypeSmsMfa, ClientId: aws.String("c"), Session: aws.String("s")}, opts...)
					return err
				}
				werr, gerr := call(sdk), call(ours)
				sameRequests(t, sdkT, oursT)
				if len(oursT.reqs) != tt.wantSends {
					t.Errorf("%s: sent %d times; want %d", op, len(oursT.reqs), tt.wantSends)
				}
				if (werr == nil) != (gerr == nil) {
					t.Fatalf("%s: error %v; the SDK client's %v", op, gerr, werr)
				}
				if werr == nil {
					continue
				}
				wc, wm := apiCode(werr)
				gc, gm := apiCode(gerr)
				if gc != wc || gm != wm {
					t.Errorf("%s: error %q %q; the SDK client's %q %q", op, gc, gm, wc, wm)
				}
				// Cognito's refusals read "api error Code: message" here and
				// "Code: message" from the SDK's typed exceptions; the rest
				// reads the same.
				if wc == "" && gerr.Error() != werr.Error() {
					t.Errorf("%s: error %q; the SDK client's %q", op, gerr, werr)
				}
				var wop, gop *smithy.OperationError
				if !errors.As(werr, &wop) || !errors.As(gerr, &gop) || gop.Service() != wop.Service() || gop.Operation() != wop.Operation() {
					t.Errorf("%s: error %v; the SDK client's %v", op, gerr, werr)
				}
				var wmax, gmax *retry.MaxAttemptsError
				if errors.As(werr, &wmax) != errors.As(gerr, &gmax) {
					t.Errorf("%s: error %v; the SDK client's %v", op, gerr, werr)
				}
				var wre, gre *smithyhttp.ResponseError
				if errors.As(werr, &wre) != errors.As(gerr, &gre) || wre != nil && wre.HTTPStatusCode() != gre.HTTPStatusCode() {
					t.Errorf("%s: error %v; the SDK client's %v", op, gerr, werr)
				}
				var wsend, gsend *smithyhttp.RequestSendError
				if errors.As(werr, &wsend) != errors.As(gerr, &gsend) || NotSent(werr) != NotSent(gerr) {
					t.Errorf("%s: error %v; the SDK client's %v", op, gerr, werr)
				}
				var wde, gde *smithy.DeserializationError
				if errors.As(werr, &wde) != errors.As(gerr, &gde) {
					t.Errorf("%s: error %v; the SDK client's %v", op, gerr, werr)
				}
			}
		})
	}
}

package cognitorpc

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

type getUserIn struct {
	AccessToken string `json:"AccessToken"`
}

type getUserOut struct {
	Username       string `json:"Username"`
	UserAttributes []struct {
		Name  string `json:"Name"`
		Value string `json:"Value"`
	} `json:"UserAttributes"`
}

// TestCallRequestAndAnswer checks what goes on the wire and that the answer
// is decoded.
func TestCallRequestAndAnswer(t *testing.T) {
	var got struct {
		method, path, ctype, target, cookie string
		body                                map[string]any
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.method, got.path = r.Method, r.URL.Path
		got.ctype, got.target, got.cookie = r.Header.Get("Content-Type"), r.Header.Get("X-Amz-Target"), r.Header.Get("Cookie")
		json.NewDecoder(r.Body).Decode(&got.body)
		http.SetCookie(w, &http.Cookie{Name: "tracker", Value: "1"})
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, `{"Username":"alice","UserAttributes":[{"Name":"email","Value":"a@example.com"}]}`)
	}))
	defer srv.Close()
	c, err := New(Config{Endpoint: srv.URL + "/base/"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // the second call would carry the cookie if any jar kept it
		var out getUserOut
		if err := c.Call(context.Background(), "GetUser", getUserIn{AccessToken: "tok"}, &out); err != nil {
			t.Fatalf("Call(GetUser) = %v", err)
		}
		if out.Username != "alice" || len(out.UserAttributes) != 1 || out.UserAttributes[0].Value != "a@example.com" {
			t.Errorf("Call(GetUser) decoded %+v", out)
		}
	}
	if got.method != "POST" || got.path != "/base/" || got.ctype != "application/x-amz-json-1.1" ||
		got.target != "AWSCognitoIdentityProviderService.GetUser" || got.body["AccessToken"] != "tok" {
		t.Errorf("request = %+v; want POST /base/ awsJson1.1 GetUser with the token", got)
	}
	if got.cookie != "" {
		t.Errorf("second request sent Cookie %q; want none", got.cookie)
	}
}

// TestCallErrors checks Cognito's refusals and the other failures.
func TestCallErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		header   string // X-Amzn-ErrorType
		body     string
		wantCode string // "" : not an API error
		wantMsg  string
		wantFlt  smithy.ErrorFault
	}{
		{"plain", 400, "", `{"__type":"NotAuthorizedException","message":"Access Token has been revoked"}`, "NotAuthorizedException", "Access Token has been revoked", smithy.FaultClient},
		{"namespaced", 400, "", `{"__type":"com.amazonaws.cognito#CodeMismatchException","message":"Invalid code"}`, "CodeMismatchException", "Invalid code", smithy.FaultClient},
		{"header wins", 400, "LimitExceededException:http://internal", `{"__type":"Other","Message":"Attempt limit exceeded"}`, "LimitExceededException", "Attempt limit exceeded", smithy.FaultClient},
		{"code member", 400, "", `{"code":"ExpiredCodeException","message":"gone"}`, "ExpiredCodeException", "gone", smithy.FaultClient},
		{"server fault", 500, "", `{"__type":"InternalErrorException","message":"oops"}`, "InternalErrorException", "oops", smithy.FaultServer},
		{"empty body", 502, "", ``, "UnknownError", "UnknownError", smithy.FaultServer},
		{"not JSON", 502, "", `<html>bad gateway</html>`, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.header != "" {
					w.Header().Set("X-Amzn-ErrorType", tt.header)
				}
				w.Header().Set("X-Amzn-Requestid", "req-1")
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			c, _ := New(Config{Endpoint: srv.URL})
			err := c.Call(context.Background(), "ConfirmSignUp", struct{}{}, nil)
			var op *smithy.OperationError
			if !errors.As(err, &op) || op.OperationName != "ConfirmSignUp" || op.ServiceID != ServiceID {
				t.Fatalf("Call = %v; want an OperationError for ConfirmSignUp", err)
			}
			var api smithy.APIError
			if tt.wantCode == "" {
				var de *smithy.DeserializationError
				if errors.As(err, &api) || !errors.As(err, &de) {
					t.Fatalf("Call = %v (%T); want a DeserializationError and no API error", err, op.Err)
				}
				return
			}
			if !errors.As(err, &api) || api.ErrorCode() != tt.wantCode || api.ErrorMessage() != tt.wantMsg || api.ErrorFault() != tt.wantFlt {
				t.Fatalf("Call = %v; want %s: %s (fault %v)", err, tt.wantCode, tt.wantMsg, tt.wantFlt)
			}
			var re *smithyhttp.ResponseError
			if !errors.As(err, &re) || re.HTTPStatusCode() != tt.status {
				t.Errorf("Call = %v; want a ResponseError with status %d", err, tt.status)
			}
		})
	}
}

// TestCallBoundsAnswer refuses an answer larger than the limit.
func TestCallBoundsAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"Username":"`+strings.Repeat("x", 200)+`"}`)
	}))
	defer srv.Close()
	for _, tt := range []struct {
		max    int64
		wantOK bool
	}{{100, false}, {300, true}} {
		c, _ := New(Config{Endpoint: srv.URL, MaxResponseBytes: tt.max})
		var out getUserOut
		err := c.Call(context.Background(), "GetUser", getUserIn{}, &out)
		var de *smithy.DeserializationError
		if tt.wantOK != (err == nil) || (!tt.wantOK && (!errors.As(err, &de) || out.Username != "")) {
			t.Errorf("Call with MaxResponseBytes %d = %v, %q; want ok %v", tt.max, err, out.Username, tt.wantOK)
		}
	}
}

// TestCallCanceled ends a call whose context ends while the server holds it.
func TestCallCanceled(t *testing.T) {
	arrived := make(chan struct{})
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	c, _ := New(Config{Endpoint: srv.URL})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	err := c.Call(ctx, "RevokeToken", struct{}{}, nil)
	var ce *smithy.CanceledError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &ce) {
		t.Fatalf("Call after cancel = %v; want a CanceledError wrapping context.Canceled", err)
	}
	// An already-ended context sends nothing.
	err = c.Call(ctx, "RevokeToken", struct{}{}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Call on an ended context = %v; want context.Canceled", err)
	}
}

// TestCallTransportError keeps the transport's error reachable.
func TestCallTransportError(t *testing.T) {
	boom := errors.New("boom")
	c, _ := New(Config{Endpoint: "http://x.invalid", HTTPClient: doFunc(func(*http.Request) (*http.Response, error) { return nil, boom })})
	err := c.Call(context.Background(), "GetUser", struct{}{}, nil)
	var se *smithyhttp.RequestSendError
	if !errors.Is(err, boom) || !errors.As(err, &se) {
		t.Errorf("Call = %v; want a RequestSendError wrapping the transport's error", err)
	}
}

type doFunc func(*http.Request) (*http.Response, error)

func (f doFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantURL string
		wantErr string
	}{
		{"region", Config{Region: "eu-west-1"}, "https://cognito-idp.eu-west-1.amazonaws.com/", ""},
		{"china", Config{Region: "cn-north-1"}, "https://cognito-idp.cn-north-1.amazonaws.com.cn/", ""},
		{"endpoint wins", Config{Region: "eu-west-1", Endpoint: "http://127.0.0.1:9229"}, "http://127.0.0.1:9229/", ""},
		{"no region", Config{}, "", "Region"},
		{"bad region", Config{Region: "EU WEST"}, "", "Region"},
		{"relative endpoint", Config{Endpoint: "/cognito"}, "", "Endpoint"},
		{"ftp endpoint", Config{Endpoint: "ftp://host/"}, "", "Endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("New(%+v) = %v; want an error naming %s", tt.cfg, err, tt.wantErr)
				}
				return
			}
			if err != nil || c.URL() != tt.wantURL {
				t.Fatalf("New(%+v) URL = %v, %v; want %s", tt.cfg, c, err, tt.wantURL)
			}
		})
	}
}

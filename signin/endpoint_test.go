package signin

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/smithy-go"
)

// recordingHTTP answers every request with one canned Cognito error and keeps
// what was sent, to see where and how the engine talks to the real service.
type recordingHTTP struct {
	mu     sync.Mutex
	reqs   []*http.Request
	bodies []string
}

func (r *recordingHTTP) Do(req *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.bodies = append(r.bodies, string(body))
	r.mu.Unlock()
	return &http.Response{
		StatusCode: 400,
		Header:     http.Header{"Content-Type": {"application/x-amz-json-1.1"}},
		Body:       io.NopCloser(strings.NewReader(`{"__type":"com.amazonaws.cognito#NotAuthorizedException","message":"Incorrect username or password."}`)),
		Request:    req,
	}, nil
}

// TestRealServiceRequests checks what goes to Cognito when no endpoint is
// set: the regional host, no SigV4 signature (sign-in is anonymous), the
// awsJson1.1 target, no password on the wire for SRP, and the exception
// name read from the body's __type with its namespace stripped.
func TestRealServiceRequests(t *testing.T) {
	tests := []struct {
		name, pool, region, wantHost string
	}{
		{"region from the pool id", "eu-west-1_AbC123", "", "cognito-idp.eu-west-1.amazonaws.com"},
		{"explicit region", "us-east-1_AbC123", "ap-southeast-2", "cognito-idp.ap-southeast-2.amazonaws.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recordingHTTP{}
			c, err := New(Config{UserPoolID: tt.pool, ClientID: "client1", Region: tt.region, HTTPClient: rec})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Initiate(context.Background(), InitiateInput{AuthFlow: FlowUserSRP,
				AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "s3cret-Passw0rd"}})
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != "NotAuthorizedException" || api.ErrorMessage() != "Incorrect username or password." {
				t.Fatalf("Initiate error = %v; want NotAuthorizedException: Incorrect username or password.", err)
			}
			if len(rec.reqs) != 1 {
				t.Fatalf("sent %d requests; want 1 (NotAuthorizedException is not retried)", len(rec.reqs))
			}
			req, body := rec.reqs[0], rec.bodies[0]
			if req.URL.Host != tt.wantHost || req.URL.Scheme != "https" || req.Method != http.MethodPost {
				t.Errorf("request = %s %s; want POST https://%s/", req.Method, req.URL, tt.wantHost)
			}
			if got := req.Header.Get("Authorization"); got != "" {
				t.Errorf("Authorization = %q; want none (InitiateAuth is anonymous)", got)
			}
			if got := req.Header.Get("X-Amz-Target"); got != "AWSCognitoIdentityProviderService.InitiateAuth" {
				t.Errorf("X-Amz-Target = %q; want AWSCognitoIdentityProviderService.InitiateAuth", got)
			}
			if got := req.Header.Get("Content-Type"); got != "application/x-amz-json-1.1" {
				t.Errorf("Content-Type = %q; want application/x-amz-json-1.1", got)
			}
			if strings.Contains(body, "s3cret-Passw0rd") || strings.Contains(body, `"PASSWORD"`) {
				t.Errorf("USER_SRP_AUTH body carries the password: %s", body)
			}
			if !strings.Contains(body, `"SRP_A"`) || !strings.Contains(body, `"USER_SRP_AUTH"`) {
				t.Errorf("USER_SRP_AUTH body = %s; want AuthFlow USER_SRP_AUTH and SRP_A", body)
			}
		})
	}
}

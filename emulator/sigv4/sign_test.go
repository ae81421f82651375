package sigv4

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TestSignMatchesTheSDK: Sign produces the very Authorization header the
// SDK's signer produces for the same request, and Verify accepts it.
func TestSignMatchesTheSDK(t *testing.T) {
	build := func() *http.Request {
		r, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:3001/2015-03-31/functions/my-fn/invocations?Qualifier=live", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Amz-Invocation-Type", "RequestResponse")
		r.Header.Set("X-Amz-Log-Type", "None")
		return r
	}
	mine := build()
	Sign(mine, body, Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey}, "us-east-1", "lambda", now)
	sdk := build()
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey},
		sdk, hashOf(body), "lambda", "us-east-1", now); err != nil {
		t.Fatal(err)
	}
	if got, want := mine.Header.Get("Authorization"), sdk.Header.Get("Authorization"); got != want {
		t.Fatalf("Authorization\n got %s\nwant %s", got, want)
	}
	v := &Verifier{Credentials: []Credentials{{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey}}, Service: "lambda", Region: "us-east-1",
		Now: func() time.Time { return now }}
	srv := server(t, v)
	req := build()
	req.URL.Host = srv.Listener.Addr().String()
	Sign(req, body, Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey}, "us-east-1", "lambda", now)
	expectOK(t, req)

	// Temporary credentials: Sign sends (and signs) the session token.
	temp := Credentials{AccessKeyID: "ASIATEMP", SecretAccessKey: "temp-secret", SessionToken: "session-token"}
	v.Credentials = []Credentials{temp}
	req = build()
	req.URL.Host = srv.Listener.Addr().String()
	Sign(req, body, temp, "us-east-1", "lambda", now)
	if !strings.Contains(req.Header.Get("Authorization"), "x-amz-security-token") {
		t.Fatalf("the session token is not signed: %s", req.Header.Get("Authorization"))
	}
	expectOK(t, req)
}

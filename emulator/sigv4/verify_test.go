package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var (
	now   = time.Date(2026, 11, 25, 14, 30, 0, 0, time.UTC)
	creds = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	body  = []byte(`{"UserPoolId":"us-east-1_Abc","Username":"alice"}`)
)

// server verifies every request it receives and answers {"type","message"} (or {} when it verifies).
func server(t *testing.T, v *Verifier) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		out := map[string]string{}
		if err := v.Verify(r, b); err != nil {
			e, ok := err.(*Error)
			if !ok {
				out["type"] = "not *Error: " + err.Error()
			} else {
				out["type"], out["message"] = e.Type, e.Message
			}
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func verifier() *Verifier {
	return &Verifier{
		Credentials: []Credentials{{AccessKeyID: "AKIDOTHER", SecretAccessKey: "other-secret"}, {AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey},
			{AccessKeyID: "ASIATEMP", SecretAccessKey: "temp-secret", SessionToken: "session-token"}},
		Service: "cognito-idp",
		Region:  "us-east-1",
		Now:     func() time.Time { return now },
	}
}

// request builds a Cognito-shaped request to srv.
func request(t *testing.T, srv *httptest.Server, path string, b []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminGetUser")
	return req
}

func hashOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// sign signs req with the SDK's own signer, as the AWS SDKs sign Cognito calls.
func sign(t *testing.T, req *http.Request, c aws.Credentials, b []byte, region string, at time.Time) {
	t.Helper()
	if err := v4.NewSigner().SignHTTP(context.Background(), c, req, hashOf(b), "cognito-idp", region, at); err != nil {
		t.Fatal(err)
	}
}

func send(t *testing.T, req *http.Request) (typ, msg string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out["type"], out["message"]
}

func expectOK(t *testing.T, req *http.Request) {
	t.Helper()
	if typ, msg := send(t, req); typ != "" {
		t.Fatalf("refused: %s: %s", typ, msg)
	}
}

func expect(t *testing.T, req *http.Request, wantType, wantMsg string) {
	t.Helper()
	typ, msg := send(t, req)
	if typ != wantType || msg != wantMsg {
		t.Fatalf("got  %s: %q\nwant %s: %q", typ, msg, wantType, wantMsg)
	}
}

const mismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

func TestSDKSignedRequestVerifies(t *testing.T) {
	srv := server(t, verifier())
	for _, path := range []string{"/", "/some path/ü", "/?b=2&a=1&a=0&e=%20x%2By&empty"} {
		req := request(t, srv, path, body)
		req.Header.Set("X-Custom", "  spaced   out  value ")
		req.Header.Add("X-Custom", "second")
		sign(t, req, creds, body, "us-east-1", now.Add(-14*time.Minute))
		expectOK(t, req)
	}
}

func TestSessionCredentialsAndEmptyBodyVerify(t *testing.T) {
	srv := server(t, verifier())
	c := aws.Credentials{AccessKeyID: "ASIATEMP", SecretAccessKey: "temp-secret", SessionToken: "session-token"}
	req := request(t, srv, "/", nil)
	sign(t, req, c, nil, "us-east-1", now)
	if req.Header.Get("X-Amz-Security-Token") == "" {
		t.Fatal("the SDK did not send the session token")
	}
	expectOK(t, req)
}

// TestSessionTokenMustMatch: AWS refuses a long-term key sent with a
// session token, and temporary credentials sent with another token or none,
// as UnrecognizedClientException; the token is signed, so each request
// below has a valid signature and only the token is wrong.
func TestSessionTokenMustMatch(t *testing.T) {
	srv := server(t, verifier())
	for _, c := range []aws.Credentials{
		{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: "foreign-token"},
		{AccessKeyID: "ASIATEMP", SecretAccessKey: "temp-secret", SessionToken: "another-token"},
		{AccessKeyID: "ASIATEMP", SecretAccessKey: "temp-secret", SessionToken: "session-token-longer"},
		{AccessKeyID: "ASIATEMP", SecretAccessKey: "temp-secret"},
	} {
		req := request(t, srv, "/", body)
		sign(t, req, c, body, "us-east-1", now)
		expect(t, req, "UnrecognizedClientException", "The security token included in the request is invalid.")
	}
}

func TestUnknownAccessKey(t *testing.T) {
	srv := server(t, verifier())
	req := request(t, srv, "/", body)
	sign(t, req, aws.Credentials{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: creds.SecretAccessKey}, body, "us-east-1", now)
	expect(t, req, "UnrecognizedClientException", "The security token included in the request is invalid.")
}

func TestWrongSecret(t *testing.T) {
	srv := server(t, verifier())
	req := request(t, srv, "/", body)
	sign(t, req, aws.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: "not-the-secret"}, body, "us-east-1", now)
	expect(t, req, "InvalidSignatureException", mismatch)
}

func TestTamperingWithEachSignedPartIsRefused(t *testing.T) {
	srv := server(t, verifier())
	cases := map[string]func(req *http.Request) *http.Request{
		"body": func(req *http.Request) *http.Request {
			other := bytes.Replace(body, []byte("alice"), []byte("admin"), 1)
			req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(other)), int64(len(other))
			return req
		},
		"target header": func(req *http.Request) *http.Request {
			req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDeleteUser")
			return req
		},
		"query": func(req *http.Request) *http.Request {
			req.URL.RawQuery = "a=2"
			return req
		},
		"path": func(req *http.Request) *http.Request {
			req.URL.Path = "/other"
			return req
		},
		"host": func(req *http.Request) *http.Request {
			req.Host = "cognito-idp.us-east-1.amazonaws.com"
			return req
		},
		"signature": func(req *http.Request) *http.Request {
			a := req.Header.Get("Authorization")
			i := strings.LastIndex(a, "=") + 1
			flip := map[byte]byte{'0': '1'}
			c := a[i]
			if r, ok := flip[c]; ok {
				c = r
			} else {
				c = '0'
			}
			req.Header.Set("Authorization", a[:i]+string(c)+a[i+1:])
			return req
		},
		"signing time within the same day": func(req *http.Request) *http.Request {
			req.Header.Set("X-Amz-Date", now.Add(time.Second).Format(timeFormat))
			return req
		},
	}
	for name, tamper := range cases {
		t.Run(name, func(t *testing.T) {
			req := request(t, srv, "/?a=1", body)
			sign(t, req, creds, body, "us-east-1", now)
			expect(t, tamper(req), "InvalidSignatureException", mismatch)
		})
	}
}

func TestPayloadHashHeader(t *testing.T) {
	srv := server(t, verifier())
	// Signed with the body's own hash in x-amz-content-sha256: fine.
	req := request(t, srv, "/", body)
	req.Header.Set("X-Amz-Content-Sha256", hashOf(body))
	sign(t, req, creds, body, "us-east-1", now)
	expectOK(t, req)
	// A correctly signed header and signature over another body: the body was swapped.
	other := []byte(`{"Username":"admin"}`)
	req = request(t, srv, "/", body)
	req.Header.Set("X-Amz-Content-Sha256", hashOf(other))
	sign(t, req, creds, other, "us-east-1", now)
	expect(t, req, "InvalidSignatureException", mismatch)
	// UNSIGNED-PAYLOAD is not accepted for these bodies.
	req = request(t, srv, "/", body)
	req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, "UNSIGNED-PAYLOAD", "cognito-idp", "us-east-1", now); err != nil {
		t.Fatal(err)
	}
	expect(t, req, "InvalidSignatureException", mismatch)
}

func TestExpiredAndFutureSignatures(t *testing.T) {
	srv := server(t, verifier())
	req := request(t, srv, "/", body)
	sign(t, req, creds, body, "us-east-1", now.Add(-15*time.Minute-time.Second))
	expect(t, req, "InvalidSignatureException",
		"Signature expired: 20261125T141459Z is now earlier than 20261125T141500Z (20261125T143000Z - 15 min.)")

	req = request(t, srv, "/", body)
	sign(t, req, creds, body, "us-east-1", now.Add(15*time.Minute+time.Second))
	expect(t, req, "InvalidSignatureException",
		"Signature not yet current: 20261125T144501Z is still later than 20261125T144500Z (20261125T143000Z + 15 min.)")

	// A replay of a request signed within the window still verifies, as with AWS.
	req = request(t, srv, "/", body)
	sign(t, req, creds, body, "us-east-1", now.Add(15*time.Minute))
	expectOK(t, req)
}

func TestCredentialScope(t *testing.T) {
	srv := server(t, verifier())
	req := request(t, srv, "/", body)
	sign(t, req, creds, body, "eu-west-1", now)
	expect(t, req, "InvalidSignatureException", "Credential should be scoped to a valid region, not 'eu-west-1'. ")

	req = request(t, srv, "/", body)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hashOf(body), "dynamodb", "us-east-1", now); err != nil {
		t.Fatal(err)
	}
	expect(t, req, "InvalidSignatureException", "Credential should be scoped to correct service: 'cognito-idp'. ")

	req = request(t, srv, "/", body)
	sign(t, req, creds, body, "us-east-1", now)
	req.Header.Set("Authorization", strings.Replace(req.Header.Get("Authorization"), "/20261125/", "/20261124/", 1))
	expect(t, req, "InvalidSignatureException",
		"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261124' != '20261125', from '20261125T143000Z'.")

	req = request(t, srv, "/", body)
	sign(t, req, creds, body, "us-east-1", now)
	req.Header.Set("Authorization", strings.Replace(req.Header.Get("Authorization"), "/aws4_request", "/aws5_request", 1))
	expect(t, req, "InvalidSignatureException", "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ")
}

func TestAnyRegionWhenNoneConfigured(t *testing.T) {
	v := verifier()
	v.Region = ""
	srv := server(t, v)
	req := request(t, srv, "/", body)
	sign(t, req, creds, body, "ap-southeast-2", now)
	expectOK(t, req)
}

func TestMalformedAuthorization(t *testing.T) {
	srv := server(t, verifier())
	for _, tc := range []struct{ name, authz, wantType, wantMsg string }{
		{"none", "", "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"other algorithm", "AWS4-ECDSA-P256-SHA256 Credential=a/b/c/d/e", "IncompleteSignatureException", "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'."},
		{"no parameters", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/cognito-idp/aws4_request",
			"IncompleteSignatureException",
			"Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/cognito-idp/aws4_request"},
		{"missing equal sign", "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders, Signature=00",
			"IncompleteSignatureException",
			"'SignedHeaders' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders, Signature=00'."},
		{"short credential", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125, SignedHeaders=host, Signature=00",
			"IncompleteSignatureException",
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20261125'"},
		{"host not signed", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/cognito-idp/aws4_request, SignedHeaders=x-amz-date, Signature=00",
			"IncompleteSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{"too long", "AWS4-HMAC-SHA256 Credential=" + strings.Repeat("a", 5000), "IncompleteSignatureException", "Authorization header is too long."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := request(t, srv, "/", body)
			req.Header.Set("X-Amz-Date", now.Format(timeFormat))
			if tc.authz != "" {
				req.Header.Set("Authorization", tc.authz)
			}
			expect(t, req, tc.wantType, tc.wantMsg)
		})
	}
}

func TestMissingOrBadDate(t *testing.T) {
	srv := server(t, verifier())
	req := request(t, srv, "/", body)
	sign(t, req, creds, body, "us-east-1", now)
	req.Header.Del("X-Amz-Date")
	expect(t, req, "IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")

	req = request(t, srv, "/", body)
	sign(t, req, creds, body, "us-east-1", now)
	req.Header.Set("X-Amz-Date", "2026-11-25T14:30:00Z")
	expect(t, req, "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'. Got '2026-11-25T14:30:00Z'. See http://en.wikipedia.org/wiki/ISO_8601")
}

// TestSignedDateHeaderVerifies: a Date header the client also signs is
// part of the canonical headers like any other.
func TestSignedDateHeaderVerifies(t *testing.T) {
	srv := server(t, verifier())
	req := request(t, srv, "/", body)
	req.Header.Set("Date", now.Format(http.TimeFormat))
	sign(t, req, creds, body, "us-east-1", now)
	if !strings.Contains(req.Header.Get("Authorization"), "date;") {
		t.Fatalf("Date was not signed: %s", req.Header.Get("Authorization"))
	}
	expectOK(t, req)
	req = request(t, srv, "/", body)
	req.Header.Set("Date", now.Format(http.TimeFormat))
	sign(t, req, creds, body, "us-east-1", now)
	req.Header.Set("Date", now.Add(time.Hour).Format(http.TimeFormat))
	expect(t, req, "InvalidSignatureException", mismatch)
}

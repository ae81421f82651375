//go:build !(js && wasm)

package signin

import (
	"context"
	"net"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// TestAdminCallsRetryAsTheSDK: AdminInitiateAuth and
// AdminRespondToAuthChallenge go through cognitorpc under the rules the SDK
// client gave them: AdminInitiateAuth retried when throttled, a 5xx or a
// reset, never after NotAuthorizedException, and sent once with a Session;
// AdminRespondToAuthChallenge resent only when provably unsent.
func TestAdminCallsRetryAsTheSDK(t *testing.T) {
	throttled := func(n int) (int, string, error) {
		if n == 1 {
			return 400, `{"__type":"TooManyRequestsException","message":"Rate exceeded"}`, nil
		}
		return 200, `{"ChallengeName":"SMS_MFA","Session":"s2","ChallengeParameters":{}}`, nil
	}
	refused := func(int) (int, string, error) {
		return 400, `{"__type":"NotAuthorizedException","message":"Incorrect username or password."}`, nil
	}
	reset := func(int) (int, string, error) {
		return 0, "", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	unsentThenRefused := func(n int) (int, string, error) {
		if n == 1 {
			return 0, "", unsentErr{notSent: true}
		}
		return 400, `{"__type":"CodeMismatchException","message":"Invalid code received for user"}`, nil
	}
	for _, tt := range []struct {
		name      string
		respond   bool   // AdminRespondToAuthChallenge, else AdminInitiateAuth
		session   string // AdminInitiateAuth's Session
		answer    func(n int) (int, string, error)
		wantSends int
		wantCode  string
	}{
		{"initiate throttled then fine", false, "", throttled, 2, ""},
		{"initiate refused", false, "", refused, 1, "NotAuthorizedException"},
		{"initiate reset", false, "", reset, 3, ""},
		{"initiate with a Session, reset", false, "signup-session", reset, 1, ""},
		{"respond throttled", true, "", throttled, 1, "TooManyRequestsException"},
		{"respond reset", true, "", reset, 1, ""},
		{"respond unsent then refused", true, "", unsentThenRefused, 2, "CodeMismatchException"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tr := &scripted{answer: tt.answer}
			c, err := New(Config{UserPoolID: "eu-west-1_Pool1", ClientID: "client1", HTTPClient: tr,
				Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
					return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}, nil
				})})
			if err != nil {
				t.Fatal(err)
			}
			c.retryer = retry.AddWithMaxBackoffDelay(c.retryer, 0) // New's rules, without the wait
			var r *reply
			if tt.respond {
				r, err = c.respondCall(ctxT(t), true, "SMS_MFA", map[string]string{"USERNAME": "u", "SMS_MFA_CODE": "123456"}, "s1", nil)
			} else {
				r, err = c.initiateCall(ctxT(t), true, "ADMIN_USER_PASSWORD_AUTH", map[string]string{"USERNAME": "u", "PASSWORD": "p"}, tt.session, nil)
			}
			if len(tr.reqs) != tt.wantSends {
				t.Errorf("sent %d times; want %d (err %v)", len(tr.reqs), tt.wantSends, err)
			}
			for i, q := range tr.reqs {
				want := "AWSCognitoIdentityProviderService.AdminInitiateAuth"
				if tt.respond {
					want = "AWSCognitoIdentityProviderService.AdminRespondToAuthChallenge"
				}
				if q.target != want {
					t.Errorf("request %d target %q; want %q", i+1, q.target, want)
				}
			}
			if tt.wantSends == 2 && tt.wantCode == "" {
				if err != nil || r.challenge != "SMS_MFA" || r.session != "s2" {
					t.Fatalf("reply %+v, %v; want SMS_MFA with session s2", r, err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			if code, _ := apiCode(err); code != tt.wantCode {
				t.Errorf("error %v (code %q); want code %q", err, code, tt.wantCode)
			}
		})
	}
}

// TestTOTPSetupCallsResentOnlyWhenUnsent: AssociateSoftwareToken and
// VerifySoftwareToken with a sign-in's Session spend it, so like the
// challenge answers they are sent again only when the first request
// provably never left (onceOnly), never after one that may have reached
// Cognito.
func TestTOTPSetupCallsResentOnlyWhenUnsent(t *testing.T) {
	unsentThenFine := func(body string) func(int) (int, string, error) {
		return func(n int) (int, string, error) {
			if n == 1 {
				return 0, "", unsentErr{notSent: true}
			}
			return 200, body, nil
		}
	}
	reset := func(int) (int, string, error) {
		return 0, "", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	const associated = `{"SecretCode":"JBSWY3DPEHPK3PXP","Session":"s2"}`
	const verified = `{"Status":"SUCCESS","Session":"s3"}`
	for _, tt := range []struct {
		name      string
		op        string
		answer    func(int) (int, string, error)
		wantSends int
		wantOK    bool
	}{
		{"associate unsent, then answered", "AssociateSoftwareToken", unsentThenFine(associated), 2, true},
		{"associate reset after sending", "AssociateSoftwareToken", reset, 1, false},
		{"verify unsent, then answered", "VerifySoftwareToken", unsentThenFine(verified), 2, true},
		{"verify reset after sending", "VerifySoftwareToken", reset, 1, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tr := &scripted{answer: tt.answer}
			c, err := New(Config{UserPoolID: "eu-west-1_Pool1", ClientID: "client1", HTTPClient: tr})
			if err != nil {
				t.Fatal(err)
			}
			var got string
			if tt.op == "AssociateSoftwareToken" {
				var secret string
				secret, got, err = c.associate(ctxT(t), "s1")
				if err == nil && secret != "JBSWY3DPEHPK3PXP" {
					t.Errorf("secret %q", secret)
				}
			} else {
				got, err = c.verify(ctxT(t), "s1", "123456", "")
			}
			if len(tr.reqs) != tt.wantSends {
				t.Errorf("sent %d times; want %d (err %v)", len(tr.reqs), tt.wantSends, err)
			}
			for i, q := range tr.reqs {
				if q.target != "AWSCognitoIdentityProviderService."+tt.op {
					t.Errorf("request %d target %q", i+1, q.target)
				}
				if q.body != tr.reqs[0].body {
					t.Errorf("request %d body %s; the first was %s", i+1, q.body, tr.reqs[0].body)
				}
			}
			if tt.wantOK {
				want := map[string]string{"AssociateSoftwareToken": "s2", "VerifySoftwareToken": "s3"}[tt.op]
				if err != nil || got != want {
					t.Fatalf("session %q, %v; want the answer's session", got, err)
				}
			} else if err == nil {
				t.Fatal("no error after a reset")
			}
		})
	}
}

//go:build !(js && wasm)

package signin

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-wasm/cognito-wasm/emulator"
	"github.com/cognito-wasm/cognito-wasm/emulator/sigv4"
)

const (
	adminKeyID  = "AKIDEXAMPLE"
	adminSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

// sumLambda serves the Lambda Invoke API with three custom-auth triggers:
// define asks for PASSWORD_VERIFIER after SRP_A, then CUSTOM_CHALLENGEs (a
// wrong answer gets a new one, three fail the sign-in), create asks
// "2+2?" and keeps the answer private, verify compares.
func sumLambda(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev map[string]any
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &ev); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		req, _ := ev["request"].(map[string]any)
		resp := map[string]any{}
		switch src, _ := ev["triggerSource"].(string); {
		case strings.HasPrefix(src, "DefineAuthChallenge"):
			session, _ := req["session"].([]any)
			wrong := 0
			for _, s := range session {
				c := s.(map[string]any)
				if c["challengeName"] == "CUSTOM_CHALLENGE" {
					if c["challengeResult"] == true {
						resp = map[string]any{"issueTokens": true, "failAuthentication": false}
						goto done
					}
					wrong++
				}
			}
			switch {
			case wrong >= 3:
				resp = map[string]any{"issueTokens": false, "failAuthentication": true}
			case len(session) == 1 && session[0].(map[string]any)["challengeName"] == "SRP_A":
				resp = map[string]any{"challengeName": "PASSWORD_VERIFIER", "issueTokens": false, "failAuthentication": false}
			default:
				resp = map[string]any{"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false}
			}
		case strings.HasPrefix(src, "CreateAuthChallenge"):
			resp = map[string]any{"publicChallengeParameters": map[string]any{"question": "2+2?"},
				"privateChallengeParameters": map[string]any{"answer": "4"}, "challengeMetadata": "SUM"}
		case strings.HasPrefix(src, "VerifyAuthChallengeResponse"):
			priv, _ := req["privateChallengeParameters"].(map[string]any)
			resp = map[string]any{"answerCorrect": priv["answer"] == req["challengeAnswer"]}
		}
	done:
		ev["response"] = resp
		json.NewEncoder(w).Encode(ev)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// customPool is a pool with the sum triggers, a public client and one with
// a secret (both allowing every flow), and user carol; it returns the
// emulator, the pool and client IDs and the secret.
type customPool struct {
	em                   *emulator.Emulator
	pool, public, secret string
	clientSecret         string
}

func newCustomPool(t *testing.T, creds []sigv4.Credentials) customPool {
	t.Helper()
	em, err := emulator.New(emulator.Config{DataDir: t.TempDir(), LambdaEndpoint: sumLambda(t), Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() })
	sdk := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(emuEndpoint), HTTPClient: &inProcess{em: em},
		Credentials: staticCreds(adminKeyID, adminSecret)})
	ctx := ctxT(t)
	arn := "arn:aws:lambda:us-east-1:123456789012:function:"
	pool, err := sdk.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("custom"),
		LambdaConfig: &types.LambdaConfigType{DefineAuthChallenge: aws.String(arn + "define"),
			CreateAuthChallenge: aws.String(arn + "create"), VerifyAuthChallengeResponse: aws.String(arn + "verify")}})
	if err != nil {
		t.Fatalf("CreateUserPool = %v", err)
	}
	cp := customPool{em: em, pool: aws.ToString(pool.UserPool.Id)}
	flows := []types.ExplicitAuthFlowsType{"ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	for _, withSecret := range []bool{false, true} {
		c, err := sdk.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(cp.pool),
			ClientName: aws.String("c"), GenerateSecret: withSecret, ExplicitAuthFlows: flows})
		if err != nil {
			t.Fatalf("CreateUserPoolClient = %v", err)
		}
		if withSecret {
			cp.secret, cp.clientSecret = aws.ToString(c.UserPoolClient.ClientId), aws.ToString(c.UserPoolClient.ClientSecret)
		} else {
			cp.public = aws.ToString(c.UserPoolClient.ClientId)
		}
	}
	if _, err := sdk.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(cp.pool), Username: aws.String("carol"),
		MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatalf("AdminCreateUser = %v", err)
	}
	if _, err := sdk.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(cp.pool), Username: aws.String("carol"),
		Password: aws.String("Passw0rd!Carol"), Permanent: true}); err != nil {
		t.Fatalf("AdminSetUserPassword = %v", err)
	}
	return cp
}

func (cp customPool) client(t *testing.T, withSecret bool, creds aws.CredentialsProvider) (*Client, *inProcess) {
	t.Helper()
	tr := &inProcess{em: cp.em}
	cfg := Config{UserPoolID: cp.pool, ClientID: cp.public, Endpoint: emuEndpoint, HTTPClient: tr, Credentials: creds}
	if withSecret {
		cfg.ClientID, cfg.ClientSecret = cp.secret, cp.clientSecret
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, tr
}

// TestCustomAuth: CUSTOM_WITHOUT_SRP and CUSTOM_WITH_SRP (SRP answered by
// the engine), public and with a secret, anonymous and Admin; a wrong answer
// gets a new challenge, the right one tokens.
func TestCustomAuth(t *testing.T) {
	cp := newCustomPool(t, nil)
	for _, flow := range []string{AuthFlowCustomWithoutSRP, AuthFlowCustomWithSRP} {
		for _, withSecret := range []bool{false, true} {
			for _, admin := range []bool{false, true} {
				name := flow
				if withSecret {
					name += "/secret"
				}
				if admin {
					name += "/admin"
				}
				t.Run(name, func(t *testing.T) {
					c, tr := cp.client(t, withSecret, staticCreds(adminKeyID, adminSecret))
					in := SignInInput{Username: "carol", AuthFlowType: flow, Admin: admin}
					if flow == AuthFlowCustomWithSRP {
						in.Password = "Passw0rd!Carol"
					}
					res, err := c.SignIn(ctxT(t), in)
					if err != nil || res.NextStep.SignInStep != StepCustomChallenge || res.Pending == nil {
						t.Fatalf("SignIn = %+v, %v; want %s", res, err, StepCustomChallenge)
					}
					if q := res.NextStep.AdditionalInfo["question"]; q != "2+2?" {
						t.Errorf("additionalInfo = %v; want the question", res.NextStep.AdditionalInfo)
					}
					wrong, err := c.ConfirmSignIn(ctxT(t), res.Pending, ConfirmInput{ChallengeResponse: "5"})
					if err != nil || wrong.NextStep.SignInStep != StepCustomChallenge || wrong.Pending == nil {
						t.Fatalf("ConfirmSignIn(wrong) = %+v, %v; want a new custom challenge", wrong, err)
					}
					done, err := c.ConfirmSignIn(ctxT(t), wrong.Pending, ConfirmInput{ChallengeResponse: "4"})
					if err != nil || !done.IsSignedIn || done.Tokens == nil {
						t.Fatalf("ConfirmSignIn(right) = %+v, %v; want DONE", done, err)
					}
					if got := claims(t, done.Tokens.IdToken)["cognito:username"]; got != "carol" {
						t.Errorf("cognito:username = %v; want carol", got)
					}
					wantPrefix := ""
					if admin {
						wantPrefix = "Admin"
					}
					var targets []string
					for _, s := range tr.Sent() {
						targets = append(targets, s.Target)
						if admin != (s.Authorization != "") {
							t.Errorf("%s: Authorization %q; want a signature exactly for Admin calls", s.Target, s.Authorization)
						}
					}
					want := []string{wantPrefix + "InitiateAuth", wantPrefix + "RespondToAuthChallenge", wantPrefix + "RespondToAuthChallenge"}
					if flow == AuthFlowCustomWithSRP {
						want = append(want, wantPrefix+"RespondToAuthChallenge") // PASSWORD_VERIFIER, answered by the engine
					}
					if strings.Join(targets, " ") != strings.Join(want, " ") {
						t.Errorf("sent %v; want %v", targets, want)
					}
				})
			}
		}
	}
}

// TestAdminSignIn: ADMIN_USER_PASSWORD_AUTH (USER_PASSWORD_AUTH with Admin)
// against an emulator that checks SigV4: the right key signs in, a wrong
// secret is refused as AWS refuses it.
func TestAdminSignIn(t *testing.T) {
	cp := newCustomPool(t, []sigv4.Credentials{{AccessKeyID: adminKeyID, SecretAccessKey: adminSecret}})
	for _, withSecret := range []bool{false, true} {
		c, tr := cp.client(t, withSecret, staticCreds(adminKeyID, adminSecret))
		for _, flow := range []string{AuthFlowUserPassword, AuthFlowUserSRP} {
			res, err := c.SignIn(ctxT(t), SignInInput{Username: "carol", Password: "Passw0rd!Carol", AuthFlowType: flow, Admin: true})
			if err != nil || !res.IsSignedIn {
				t.Fatalf("Admin SignIn(%s, secret %v) = %+v, %v; want DONE", flow, withSecret, res, err)
			}
		}
		if s := tr.Sent()[0]; s.Target != "AdminInitiateAuth" || !strings.Contains(s.Body, `"ADMIN_USER_PASSWORD_AUTH"`) {
			t.Errorf("first request %s %s; want AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH", s.Target, s.Body)
		}
	}
	c, _ := cp.client(t, false, staticCreds(adminKeyID, "not-the-secret"))
	res, err := c.SignIn(ctxT(t), SignInInput{Username: "carol", Password: "Passw0rd!Carol", AuthFlowType: AuthFlowUserPassword, Admin: true})
	if code, _ := apiCode(err); code == "" || res != nil {
		t.Fatalf("Admin SignIn with a wrong secret = %+v, %v; want the emulator's refusal", res, err)
	} else if code != "InvalidSignatureException" && code != "UnrecognizedClientException" {
		t.Errorf("wrong secret refused with %s; want InvalidSignatureException (AWS's answer to a bad signature)", code)
	}
}

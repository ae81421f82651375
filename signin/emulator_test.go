//go:build !(js && wasm)

// The emulator (bbolt) is native only; the engine is vetted under GOOS=js
// through its other files.

package signin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-wasm/cognito-wasm/emulator"
)

const (
	emuAliasPool = "us-east-1_AliasPool1"
	emuEmailPool = "eu-west-1_EmailPool1"
	emuPhonePool = "us-west-2_PhonePool1"
	emuPhoneApp  = "phoneclient0000000000001"
	emuPublic    = "publicclient000000000001"
	emuSecretful = "secretclient000000000001"
	emuEmailApp  = "emailclient0000000000001"
	emuHiding    = "hidingclient000000000001"
	emuSecret    = "emulator-client-secret-0123456789abcdef"
	// emuEndpoint is never dialled: requests go to the emulator in-process.
	emuEndpoint = "http://emulator.invalid"
)

var allFlows = []string{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}

// inProcess is an HTTP client that hands each request to the emulator's
// ServeHTTP: no sockets. Every request is recorded (target and body) so
// tests can see what the engine sent; after, when set, runs once the
// emulator has answered and may replace the outcome (a transport that fails
// after the server acted).
type inProcess struct {
	em    http.Handler
	mu    sync.Mutex
	sent  []sentRequest
	after func(target string, n int) error
	// before, when set, runs before the emulator sees the request and may
	// fail it (a request that never left).
	before func(target string, n int) error
	// rewrite, when set, may replace the emulator's answer body (a server
	// sending values no honest server sends).
	rewrite func(target string, body []byte) []byte
}

type sentRequest struct {
	Target, Body, Authorization string
}

func (p *inProcess) Do(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(strings.NewReader(string(body)))
	if req.Host == "" {
		req.Host = req.URL.Host // as a server sees it, from the Host header
	}
	target := strings.TrimPrefix(req.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	p.mu.Lock()
	p.sent = append(p.sent, sentRequest{target, string(body), req.Header.Get("Authorization")})
	n := p.count(target)
	p.mu.Unlock()
	if p.before != nil {
		if err := p.before(target, n); err != nil {
			return nil, err
		}
	}
	rec := httptest.NewRecorder()
	p.em.ServeHTTP(rec, req)
	if p.after != nil {
		if err := p.after(target, n); err != nil {
			return nil, err
		}
	}
	if p.rewrite != nil {
		b := p.rewrite(target, rec.Body.Bytes())
		rec.Body.Reset()
		rec.Body.Write(b)
	}
	res := rec.Result()
	res.ContentLength = int64(rec.Body.Len())
	res.Header.Del("Content-Length")
	return res, nil
}

// count is the number of requests sent for target; p.mu must be held.
func (p *inProcess) count(target string) int {
	n := 0
	for _, s := range p.sent {
		if s.Target == target {
			n++
		}
	}
	return n
}

func (p *inProcess) Count(target string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count(target)
}

func (p *inProcess) Sent() []sentRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]sentRequest(nil), p.sent...)
}

// newEmulator seeds an emulator and returns it.
func newEmulator(t *testing.T) *emulator.Emulator {
	t.Helper()
	em, err := emulator.New(emulator.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatalf("emulator.New = %v", err)
	}
	t.Cleanup(func() { em.Close() })
	err = em.Seed(emulator.Seed{UserPools: []emulator.SeedPool{
		{ID: emuAliasPool, Name: "alias", AliasAttributes: []string{"email", "phone_number"},
			Clients: []emulator.SeedClient{
				{ID: emuPublic, Name: "public", ExplicitAuthFlows: allFlows},
				{ID: emuSecretful, Name: "secretful", Secret: emuSecret, ExplicitAuthFlows: allFlows},
				{ID: emuHiding, Name: "hiding", ExplicitAuthFlows: allFlows, PreventUserExistenceErrors: "ENABLED"},
			},
			Users: []emulator.SeedUser{
				{Username: "alice", Password: "Passw0rd!Alice", Attributes: map[string]string{"email": "alice@example.com", "email_verified": "true",
					"phone_number": "+15555550100", "phone_number_verified": "true"}},
				{Username: "zoë", Password: "pässwörd✓Zoe1!", Attributes: map[string]string{"email": "zoe@example.com", "email_verified": "true"}},
			}},
		{ID: emuEmailPool, Name: "email", UsernameAttributes: []string{"email"},
			Clients: []emulator.SeedClient{{ID: emuEmailApp, Name: "email", ExplicitAuthFlows: allFlows}},
			Users: []emulator.SeedUser{
				{Username: "carol@example.com", Password: "Passw0rd!Carol", Attributes: map[string]string{"email": "carol@example.com", "email_verified": "true"}},
			}},
		{ID: emuPhonePool, Name: "phone", UsernameAttributes: []string{"phone_number"},
			Clients: []emulator.SeedClient{{ID: emuPhoneApp, Name: "phone", ExplicitAuthFlows: allFlows}},
			Users: []emulator.SeedUser{
				{Username: "+15555550199", Password: "Passw0rd!Dave", Attributes: map[string]string{"phone_number": "+15555550199", "phone_number_verified": "true"}},
			}},
	}})
	if err != nil {
		t.Fatalf("Seed = %v", err)
	}
	return em
}

// emuClient is an engine client for pool/client wired to em in-process.
func emuClient(t *testing.T, em http.Handler, pool, client, secret string) (*Client, *inProcess) {
	t.Helper()
	tr := &inProcess{em: em}
	c, err := New(Config{UserPoolID: pool, ClientID: client, ClientSecret: secret, Endpoint: emuEndpoint, HTTPClient: tr,
		Credentials: staticCreds("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")})
	if err != nil {
		t.Fatalf("New = %v", err)
	}
	return c, tr
}

// adminSDK is an SDK client with credentials for the emulator's admin
// operations (setting up users the seed cannot express).
func adminSDK(em http.Handler) *cip.Client {
	return cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(emuEndpoint), HTTPClient: &inProcess{em: em},
		Credentials: staticCreds("AKIDEXAMPLE", "secret")})
}

// claims decodes a JWT's payload without checking it (the emulator's own
// tests check signatures; here we only need to see whose token it is).
func claims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWT", jwt)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	return m
}

// TestRawAgainstEmulator runs the raw Initiate (both SRP legs) and refresh.
func TestRawAgainstEmulator(t *testing.T) {
	em := newEmulator(t)
	tests := []struct {
		name         string
		pool, client string
		secret       string
		flow         string
		username     string
		password     string
		wantUsername string // cognito:username of the id token
		wantCode     string
		wantMsg      string
	}{
		{"srp by username", emuAliasPool, emuPublic, "", "USER_SRP_AUTH", "alice", "Passw0rd!Alice", "alice", "", ""},
		{"srp by email alias", emuAliasPool, emuPublic, "", "USER_SRP_AUTH", "alice@example.com", "Passw0rd!Alice", "alice", "", ""},
		{"srp non-ASCII", emuAliasPool, emuPublic, "", "USER_SRP_AUTH", "zoë", "pässwörd✓Zoe1!", "zoë", "", ""},
		{"srp with secret by alias", emuAliasPool, emuSecretful, emuSecret, "USER_SRP_AUTH", "alice@example.com", "Passw0rd!Alice", "alice", "", ""},
		{"srp email-username pool", emuEmailPool, emuEmailApp, "", "USER_SRP_AUTH", "carol@example.com", "Passw0rd!Carol", "", "", ""},
		{"srp by phone alias", emuAliasPool, emuPublic, "", "USER_SRP_AUTH", "+15555550100", "Passw0rd!Alice", "alice", "", ""},
		{"srp phone-username pool", emuPhonePool, emuPhoneApp, "", "USER_SRP_AUTH", "+15555550199", "Passw0rd!Dave", "", "", ""},
		{"srp wrong password", emuAliasPool, emuPublic, "", "USER_SRP_AUTH", "zoë", "wrong-Passw0rd!", "", "NotAuthorizedException", "Incorrect username or password."},
		{"srp unknown user", emuAliasPool, emuPublic, "", "USER_SRP_AUTH", "mallory", "whatever-1A", "", "UserNotFoundException", "User does not exist."},
		{"srp unknown user, existence hidden", emuAliasPool, emuHiding, "", "USER_SRP_AUTH", "mallory", "whatever-1A", "", "NotAuthorizedException", "Incorrect username or password."},
		{"srp wrong secret", emuAliasPool, emuSecretful, "not-the-secret", "USER_SRP_AUTH", "alice", "Passw0rd!Alice", "", "NotAuthorizedException", ""},
		{"password flow with secret", emuAliasPool, emuSecretful, emuSecret, "USER_PASSWORD_AUTH", "alice@example.com", "Passw0rd!Alice", "alice", "", ""},
		{"password flow wrong password", emuAliasPool, emuPublic, "", "USER_PASSWORD_AUTH", "alice", "nope-Nope1", "", "NotAuthorizedException", "Incorrect username or password."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := emuClient(t, em, tt.pool, tt.client, tt.secret)
			step, err := c.Initiate(ctxT(t), InitiateInput{AuthFlow: tt.flow,
				AuthParameters: map[string]string{"USERNAME": tt.username, "PASSWORD": tt.password}})
			if tt.wantCode != "" {
				code, msg := apiCode(err)
				if code != tt.wantCode || (tt.wantMsg != "" && msg != tt.wantMsg) {
					t.Fatalf("Initiate(%s, %q) = %+v, %v; want %s: %s", tt.flow, tt.username, step, err, tt.wantCode, tt.wantMsg)
				}
				return
			}
			if err != nil || step.AuthenticationResult == nil {
				t.Fatalf("Initiate(%s, %q) = %+v, %v; want tokens", tt.flow, tt.username, step, err)
			}
			tok := step.AuthenticationResult
			id := claims(t, tok.IdToken)
			if tt.wantUsername != "" && id["cognito:username"] != tt.wantUsername {
				t.Errorf("id token cognito:username = %v; want %s", id["cognito:username"], tt.wantUsername)
			}
			if byAttr := map[string]string{emuEmailPool: "email", emuPhonePool: "phone_number"}[tt.pool]; byAttr != "" &&
				(id["cognito:username"] != id["sub"] || id[byAttr] != tt.username) {
				// With UsernameAttributes the real username (and USER_ID_FOR_SRP) is the
				// sub, not the email or phone typed: proof that the claim used USER_ID_FOR_SRP.
				t.Errorf("%s pool id token cognito:username %v, sub %v, %s %v; want username = sub and %s %s",
					byAttr, id["cognito:username"], id["sub"], byAttr, id[byAttr], byAttr, tt.username)
			}
			if id["aud"] != tt.client || id["token_use"] != "id" {
				t.Errorf("id token aud/token_use = %v/%v; want %s/id", id["aud"], id["token_use"], tt.client)
			}
			if tok.RefreshToken == "" || tok.ExpiresIn <= 0 || tok.TokenType != "Bearer" {
				t.Errorf("tokens = %+v; want a refresh token, ExpiresIn > 0 and Bearer", tok)
			}

			// Refresh with the real username (the SECRET_HASH key for refresh).
			realName, _ := id["cognito:username"].(string)
			ref, err := c.Initiate(ctxT(t), InitiateInput{AuthFlow: "REFRESH_TOKEN_AUTH",
				AuthParameters: map[string]string{"REFRESH_TOKEN": tok.RefreshToken, "USERNAME": realName}})
			if err != nil || ref.AuthenticationResult == nil || ref.AuthenticationResult.AccessToken == "" {
				t.Fatalf("refresh = %+v, %v; want new tokens", ref, err)
			}
			if got := claims(t, ref.AuthenticationResult.AccessToken)["username"]; got != realName {
				t.Errorf("refreshed access token username = %v; want %s", got, realName)
			}
		})
	}
}

// TestSignInAgainstEmulator runs SignIn to DONE with each flow the emulator
// serves, and checks the engine never sends the password with SRP.
func TestSignInAgainstEmulator(t *testing.T) {
	em := newEmulator(t)
	tests := []struct {
		name         string
		client       string
		secret       string
		in           SignInInput
		wantUsername string
		wantCode     string
	}{
		{"default flow is SRP", emuPublic, "", SignInInput{Username: "alice", Password: "Passw0rd!Alice"}, "alice", ""},
		{"SRP by alias with secret", emuSecretful, emuSecret, SignInInput{Username: "alice@example.com", Password: "Passw0rd!Alice", AuthFlowType: AuthFlowUserSRP}, "alice", ""},
		{"SRP non-ASCII", emuPublic, "", SignInInput{Username: "zoë", Password: "pässwörd✓Zoe1!"}, "zoë", ""},
		{"password flow by phone alias", emuPublic, "", SignInInput{Username: "+15555550100", Password: "Passw0rd!Alice", AuthFlowType: AuthFlowUserPassword}, "alice", ""},
		{"password flow with secret", emuSecretful, emuSecret, SignInInput{Username: "alice@example.com", Password: "Passw0rd!Alice", AuthFlowType: AuthFlowUserPassword}, "alice", ""},
		{"SRP wrong password", emuPublic, "", SignInInput{Username: "zoë", Password: "not-Her-Passw0rd"}, "", "NotAuthorizedException"},
		{"SRP unknown user", emuPublic, "", SignInInput{Username: "mallory", Password: "whatever-1A"}, "", "UserNotFoundException"},
		{"SRP wrong client secret", emuSecretful, "wrong-secret", SignInInput{Username: "alice", Password: "Passw0rd!Alice"}, "", "NotAuthorizedException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, tr := emuClient(t, em, emuAliasPool, tt.client, tt.secret)
			res, err := c.SignIn(ctxT(t), tt.in)
			if tt.wantCode != "" {
				if code, _ := apiCode(err); code != tt.wantCode || res != nil {
					t.Fatalf("SignIn = %+v, %v; want %s", res, err, tt.wantCode)
				}
				return
			}
			if err != nil || !res.IsSignedIn || res.NextStep.SignInStep != StepDone || res.Tokens == nil || res.Pending != nil {
				t.Fatalf("SignIn = %+v, %v; want DONE with tokens", res, err)
			}
			if got := claims(t, res.Tokens.IdToken)["cognito:username"]; got != tt.wantUsername {
				t.Errorf("cognito:username = %v; want %s", got, tt.wantUsername)
			}
			if tt.in.AuthFlowType != AuthFlowUserPassword {
				for _, s := range tr.Sent() {
					if strings.Contains(s.Body, tt.in.Password) || strings.Contains(s.Body, `"PASSWORD"`) {
						t.Errorf("%s body carries the password: %s", s.Target, s.Body)
					}
				}
				if n := tr.Count("RespondToAuthChallenge"); n != 1 {
					t.Errorf("RespondToAuthChallenge sent %d times; want 1 (PASSWORD_VERIFIER)", n)
				}
			}
		})
	}
}

// TestNewPasswordRequired: an admin-created user signs in, is asked for a new
// password with the pool's policy enforced (a refused password leaves the
// Pending usable), and is signed in with the new one.
func TestNewPasswordRequired(t *testing.T) {
	em := newEmulator(t)
	for _, tt := range []struct {
		name, client, secret, flow string
	}{
		{"SRP", emuPublic, "", AuthFlowUserSRP},
		{"password flow with secret", emuSecretful, emuSecret, AuthFlowUserPassword},
	} {
		t.Run(tt.name, func(t *testing.T) {
			user := "newbie-" + strings.ToLower(strings.ReplaceAll(tt.name, " ", "-"))
			_, err := adminSDK(em).AdminCreateUser(ctxT(t), &cip.AdminCreateUserInput{
				UserPoolId: aws.String(emuAliasPool), Username: aws.String(user),
				TemporaryPassword: aws.String("Temp0rary!Pass"), MessageAction: types.MessageActionTypeSuppress,
				UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(user + "@example.com")}, {Name: aws.String("email_verified"), Value: aws.String("true")}},
			})
			if err != nil {
				t.Fatalf("AdminCreateUser = %v", err)
			}
			c, tr := emuClient(t, em, emuAliasPool, tt.client, tt.secret)
			res, err := c.SignIn(ctxT(t), SignInInput{Username: user + "@example.com", Password: "Temp0rary!Pass", AuthFlowType: tt.flow})
			if err != nil || res.IsSignedIn || res.NextStep.SignInStep != StepNewPasswordRequired || res.Pending == nil {
				t.Fatalf("SignIn = %+v, %v; want %s", res, err, StepNewPasswordRequired)
			}
			if res.NextStep.ChallengeName != "NEW_PASSWORD_REQUIRED" || res.NextStep.MissingAttributes == nil || len(res.NextStep.MissingAttributes) != 0 {
				t.Errorf("NextStep = %+v; want the raw challenge and no missing attributes (requiredAttributes is [])", res.NextStep)
			}
			pending := res.Pending

			weak, err := c.ConfirmSignIn(ctxT(t), pending, ConfirmInput{ChallengeResponse: "short"})
			if code, _ := apiCode(err); code != "InvalidPasswordException" || weak != nil {
				t.Fatalf("ConfirmSignIn(weak) = %+v, %v; want InvalidPasswordException", weak, err)
			}
			done, err := c.ConfirmSignIn(ctxT(t), pending, ConfirmInput{ChallengeResponse: "Brand-New-Passw0rd!"})
			if err != nil || !done.IsSignedIn || done.NextStep.SignInStep != StepDone || done.Tokens == nil || done.Pending != nil {
				t.Fatalf("ConfirmSignIn(after a refused password, same Pending) = %+v, %v; want DONE", done, err)
			}
			if got := claims(t, done.Tokens.IdToken)["cognito:username"]; got != user {
				t.Errorf("cognito:username = %v; want %s", got, user)
			}
			// The answer carried the challenge's USERNAME (the real name, not
			// the alias typed), and SECRET_HASH over it when there is a secret.
			last := tr.Sent()[len(tr.Sent())-1]
			var body struct{ ChallengeResponses map[string]string }
			if err := json.Unmarshal([]byte(last.Body), &body); err != nil {
				t.Fatal(err)
			}
			if body.ChallengeResponses["USERNAME"] != user {
				t.Errorf("NEW_PASSWORD_REQUIRED answer USERNAME = %q; want %q", body.ChallengeResponses["USERNAME"], user)
			}
			if want := c.secretHash(user); body.ChallengeResponses["SECRET_HASH"] != want {
				t.Errorf("SECRET_HASH = %q; want %q (over the challenge's USERNAME)", body.ChallengeResponses["SECRET_HASH"], want)
			}

			// The session was single use: answering the old Pending again is refused.
			if again, err := c.ConfirmSignIn(ctxT(t), pending, ConfirmInput{ChallengeResponse: "Another-Passw0rd!"}); err == nil {
				t.Errorf("ConfirmSignIn on a used session = %+v; want an error", again)
			}
			// And the new password signs in.
			if res, err := c.SignIn(ctxT(t), SignInInput{Username: user, Password: "Brand-New-Passw0rd!", AuthFlowType: tt.flow}); err != nil || !res.IsSignedIn {
				t.Errorf("SignIn with the new password = %+v, %v; want DONE", res, err)
			}
		})
	}
}

// TestAdminOverEmulatorIsSigned: Admin sign-ins are SigV4-signed with the
// configured credentials (whatever the emulator on main then answers).
func TestAdminRequestsAreSigned(t *testing.T) {
	em := newEmulator(t)
	c, tr := emuClient(t, em, emuAliasPool, emuPublic, "")
	_, _ = c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice", AuthFlowType: AuthFlowUserPassword, Admin: true})
	sent := tr.Sent()
	if len(sent) == 0 || sent[0].Target != "AdminInitiateAuth" {
		t.Fatalf("sent %+v; want AdminInitiateAuth first", sent)
	}
	if !strings.HasPrefix(sent[0].Authorization, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") {
		t.Errorf("Authorization = %q; want a SigV4 signature with the configured key", sent[0].Authorization)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(sent[0].Body), &body); err != nil {
		t.Fatal(err)
	}
	if body["AuthFlow"] != "ADMIN_USER_PASSWORD_AUTH" || body["UserPoolId"] != emuAliasPool {
		t.Errorf("AdminInitiateAuth body = %s; want ADMIN_USER_PASSWORD_AUTH and the pool id", sent[0].Body)
	}
	// Non-admin calls from the same client stay anonymous.
	if _, err := c.SignIn(ctxT(t), SignInInput{Username: "alice", Password: "Passw0rd!Alice"}); err != nil {
		t.Fatal(err)
	}
	for _, s := range tr.Sent()[len(sent):] {
		if s.Authorization != "" {
			t.Errorf("%s carried Authorization %q; want none (anonymous)", s.Target, s.Authorization)
		}
	}
}

// staticCreds is a fixed key pair (the SDK's credentials module is not needed for that).
func staticCreds(id, secret string) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, Source: "test"}, nil
	})
}

// TestNewPasswordWithRequiredAttributes: the pool requires "name" and
// "family_name"; a FORCE_CHANGE_PASSWORD user without them is asked for
// them (prefix removed), the answer carries them as userAttributes.<name>.
func TestNewPasswordWithRequiredAttributes(t *testing.T) {
	em, err := emulator.New(emulator.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() })
	const pool, client = "us-east-1_ReqAttrs01", "reqattrsclient00000000001"
	err = em.Seed(emulator.Seed{UserPools: []emulator.SeedPool{{ID: pool, Name: "req",
		Schema:  []emulator.SeedAttribute{{Name: "name", Required: true}, {Name: "family_name", Required: true}},
		Clients: []emulator.SeedClient{{ID: client, Name: "c", ExplicitAuthFlows: allFlows}},
		Users: []emulator.SeedUser{{Username: "dana", Password: "Temp0rary!Pass", Status: "FORCE_CHANGE_PASSWORD",
			Attributes: map[string]string{"family_name": "Scully"}}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	c, tr := emuClient(t, em, pool, client, "")
	res, err := c.SignIn(ctxT(t), SignInInput{Username: "dana", Password: "Temp0rary!Pass"})
	if err != nil || res.NextStep.SignInStep != StepNewPasswordRequired {
		t.Fatalf("SignIn = %+v, %v; want %s", res, err, StepNewPasswordRequired)
	}
	if got := res.NextStep.MissingAttributes; len(got) != 1 || got[0] != "name" {
		t.Errorf("MissingAttributes = %q; want [name] (family_name is set, prefix removed)", got)
	}
	if _, err := c.ConfirmSignIn(ctxT(t), res.Pending, ConfirmInput{ChallengeResponse: "Brand-New-Passw0rd!"}); err == nil {
		t.Fatal("the new password was accepted without the required attribute")
	}
	done, err := c.ConfirmSignIn(ctxT(t), res.Pending, ConfirmInput{ChallengeResponse: "Brand-New-Passw0rd!",
		UserAttributes: map[string]string{"name": "Dana"}})
	if err != nil || !done.IsSignedIn {
		t.Fatalf("ConfirmSignIn with the attribute = %+v, %v; want DONE", done, err)
	}
	if got := claims(t, done.Tokens.IdToken)["name"]; got != "Dana" {
		t.Errorf("id token name = %v; want Dana", got)
	}
	last := tr.Sent()[len(tr.Sent())-1]
	if !strings.Contains(last.Body, `"userAttributes.name":"Dana"`) {
		t.Errorf("answer %s; want userAttributes.name", last.Body)
	}
}

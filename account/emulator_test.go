//go:build !(js && wasm)

package account

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-wasm/cognito-wasm/emulator"
	"github.com/cognito-wasm/cognito-wasm/signin"
)

const (
	pool        = "us-east-1_AccountPool1"
	publicApp   = "accountpublic00000000001"
	secretApp   = "accountsecret00000000001"
	rotateApp   = "accountrotate00000000001"
	userAuthApp = "accountuserauth000000001"
	appSecret   = "account-client-secret-0123456789abcdef"
	endpoint    = "http://emulator.invalid" // never dialled
	alicePass   = "Passw0rd!Alice"
	newPass     = "N3w-Passw0rd!"
	wrongCode   = "000000"
	noSuchUser  = "mallory"
)

var flows = []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}

// inProcess hands each request to the emulator's ServeHTTP and counts them.
type inProcess struct {
	h  http.Handler
	mu sync.Mutex
	n  int
}

func (p *inProcess) Do(req *http.Request) (*http.Response, error) {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, req)
	return rec.Result(), nil
}

func (p *inProcess) sent() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

type env struct {
	t  *testing.T
	em *emulator.Emulator
	tr *inProcess
}

// newEnv seeds a pool that verifies email, with alice (verified email),
// bob (for destructive tests) and three clients: public, with a secret,
// and rotating refresh tokens.
func newEnv(t *testing.T) *env {
	t.Helper()
	em, err := emulator.New(emulator.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatalf("emulator.New = %v", err)
	}
	t.Cleanup(func() { em.Close() })
	yes := true
	err = em.Seed(emulator.Seed{UserPools: []emulator.SeedPool{{ID: pool, Name: "account",
		AutoVerifiedAttributes: []string{"email"}, MfaConfiguration: "OPTIONAL", EnabledMfas: []string{"SOFTWARE_TOKEN_MFA"},
		Schema: []emulator.SeedAttribute{{Name: "custom:team"}},
		Clients: []emulator.SeedClient{
			{ID: publicApp, Name: "public", ExplicitAuthFlows: flows, EnableTokenRevocation: &yes},
			{ID: secretApp, Name: "secret", Secret: appSecret, ExplicitAuthFlows: flows, EnableTokenRevocation: &yes},
			{ID: userAuthApp, Name: "user-auth", ExplicitAuthFlows: append([]string{"ALLOW_USER_AUTH"}, flows...)},
			{ID: rotateApp, Name: "rotate", ExplicitAuthFlows: flows, EnableTokenRevocation: &yes,
				RefreshTokenRotation: &emulator.SeedRefreshTokenRotation{Feature: "ENABLED"}},
		},
		Users: []emulator.SeedUser{
			{Username: "alice", Password: alicePass, Attributes: map[string]string{"email": "alice@example.com", "email_verified": "true", "custom:team": "blue"}},
			{Username: "bob", Password: alicePass, Attributes: map[string]string{"email": "bob@example.com", "email_verified": "true"}},
		},
	}}})
	if err != nil {
		t.Fatalf("Seed = %v", err)
	}
	return &env{t: t, em: em, tr: &inProcess{h: em}}
}

func (e *env) client(app, secret string) *Client {
	e.t.Helper()
	c, err := New(Config{UserPoolID: pool, ClientID: app, ClientSecret: secret, Endpoint: endpoint, HTTPClient: e.tr})
	if err != nil {
		e.t.Fatalf("New = %v", err)
	}
	return c
}

// signIn signs in with USER_PASSWORD_AUTH through signin.
func (e *env) signIn(app, secret, username, password string) *signin.Tokens {
	e.t.Helper()
	tok, err := e.trySignIn(app, secret, username, password)
	if err != nil {
		e.t.Fatalf("sign-in of %s = %v", username, err)
	}
	return tok
}

func (e *env) trySignIn(app, secret, username, password string) (*signin.Tokens, error) {
	sc, err := signin.New(signin.Config{UserPoolID: pool, ClientID: app, ClientSecret: secret, Endpoint: endpoint, HTTPClient: e.tr, OneShot: true})
	if err != nil {
		e.t.Fatal(err)
	}
	step, err := sc.Initiate(context.Background(), signin.InitiateInput{AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password}})
	if err != nil {
		return nil, err
	}
	if step.AuthenticationResult == nil {
		e.t.Fatalf("sign-in of %s: challenge %s; want tokens", username, step.ChallengeName)
	}
	return step.AuthenticationResult, nil
}

// lastCode is the newest code the outbox holds for username.
func (e *env) lastCode(username string) string {
	e.t.Helper()
	req := httptest.NewRequest("GET", "/_dev/outbox?userPoolId="+url.QueryEscape(pool)+"&username="+url.QueryEscape(username), nil)
	rec := httptest.NewRecorder()
	e.em.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Body)
	var msgs []struct{ Code string }
	if err := json.Unmarshal(b, &msgs); err != nil || len(msgs) == 0 {
		e.t.Fatalf("outbox for %s = %s, %v; want a code", username, b, err)
	}
	return msgs[len(msgs)-1].Code
}

// wantAPI fails unless err is Cognito's code (and message, when given).
func wantAPI(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != code || (msg != "" && api.ErrorMessage() != msg) {
		t.Fatalf("%s = %v; want %s %s", what, err, code, msg)
	}
}

func ctx() context.Context { return context.Background() }

func TestSignUpAndConfirm(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		name, app, secret, username string
	}{
		{"public client", publicApp, "", "carol"},
		{"client with a secret", secretApp, appSecret, "dave"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := e.client(tt.app, tt.secret)
			out, err := c.SignUp(ctx(), SignUpInput{Username: tt.username, Password: alicePass,
				UserAttributes: map[string]string{"email": tt.username + "@example.com"}, ClientMetadata: map[string]string{"k": "v"}})
			if err != nil || out.UserConfirmed || out.UserSub == "" || out.CodeDeliveryDetails == nil ||
				out.CodeDeliveryDetails.DeliveryMedium != "EMAIL" || out.CodeDeliveryDetails.AttributeName != "email" {
				t.Fatalf("SignUp = %+v, %v; want an unconfirmed user and a code by email", out, err)
			}
			_, err = e.trySignIn(tt.app, tt.secret, tt.username, alicePass)
			wantAPI(t, "sign-in before confirming", err, "UserNotConfirmedException", "")
			_, err = c.SignUp(ctx(), SignUpInput{Username: tt.username, Password: alicePass})
			wantAPI(t, "SignUp again", err, "UsernameExistsException", "")

			d, err := c.ResendConfirmationCode(ctx(), tt.username, nil)
			if err != nil || d.DeliveryMedium != "EMAIL" || !strings.Contains(d.Destination, "@") {
				t.Fatalf("ResendConfirmationCode = %+v, %v; want an email delivery", d, err)
			}
			_, err = c.ConfirmSignUp(ctx(), ConfirmSignUpInput{Username: tt.username, ConfirmationCode: wrongCode})
			wantAPI(t, "ConfirmSignUp with a wrong code", err, "CodeMismatchException", "")
			if _, err := c.ConfirmSignUp(ctx(), ConfirmSignUpInput{Username: tt.username, ConfirmationCode: e.lastCode(tt.username)}); err != nil {
				t.Fatalf("ConfirmSignUp = %v", err)
			}
			e.signIn(tt.app, tt.secret, tt.username, alicePass)
			_, err = c.ResendConfirmationCode(ctx(), tt.username, nil)
			wantAPI(t, "ResendConfirmationCode once confirmed", err, "InvalidParameterException", "")
		})
	}
	t.Run("wrong secret", func(t *testing.T) {
		_, err := e.client(secretApp, "not-the-secret").SignUp(ctx(), SignUpInput{Username: "erin", Password: alicePass})
		wantAPI(t, "SignUp with a wrong secret", err, "NotAuthorizedException", "")
	})
}

func TestForgotPassword(t *testing.T) {
	e := newEnv(t)
	c := e.client(secretApp, appSecret)
	d, err := c.ForgotPassword(ctx(), "alice", nil)
	if err != nil || d.DeliveryMedium != "EMAIL" || d.AttributeName != "email" {
		t.Fatalf("ForgotPassword = %+v, %v; want an email delivery", d, err)
	}
	err = c.ConfirmForgotPassword(ctx(), ConfirmForgotPasswordInput{Username: "alice", ConfirmationCode: wrongCode, Password: newPass})
	wantAPI(t, "ConfirmForgotPassword with a wrong code", err, "CodeMismatchException", "")
	if err := c.ConfirmForgotPassword(ctx(), ConfirmForgotPasswordInput{Username: "alice", ConfirmationCode: e.lastCode("alice"), Password: newPass}); err != nil {
		t.Fatalf("ConfirmForgotPassword = %v", err)
	}
	e.signIn(secretApp, appSecret, "alice", newPass)
	_, err = e.trySignIn(secretApp, appSecret, "alice", alicePass)
	wantAPI(t, "sign-in with the old password", err, "NotAuthorizedException", "")
	_, err = c.ForgotPassword(ctx(), noSuchUser, nil)
	wantAPI(t, "ForgotPassword of an unknown user", err, "UserNotFoundException", "")
}

func TestChangePassword(t *testing.T) {
	e := newEnv(t)
	c := e.client(publicApp, "")
	tok := e.signIn(publicApp, "", "alice", alicePass)
	err := c.ChangePassword(ctx(), tok.AccessToken, "Wr0ng-Passw0rd!", newPass)
	wantAPI(t, "ChangePassword with a wrong previous password", err, "NotAuthorizedException", "")
	if err := c.ChangePassword(ctx(), tok.AccessToken, alicePass, newPass); err != nil {
		t.Fatalf("ChangePassword = %v", err)
	}
	e.signIn(publicApp, "", "alice", newPass)
}

func TestAttributes(t *testing.T) {
	e := newEnv(t)
	c := e.client(publicApp, "")
	tok := e.signIn(publicApp, "", "alice", alicePass)
	u, err := c.GetUser(ctx(), tok.AccessToken)
	if err != nil || u.Username != "alice" || u.Attributes()["email"] != "alice@example.com" || u.Attributes()["sub"] == "" {
		t.Fatalf("GetUser = %+v, %v; want alice with email and sub", u, err)
	}
	_, err = c.GetUser(ctx(), "not-a-token")
	wantAPI(t, "GetUser with a bad token", err, "NotAuthorizedException", "")

	list, err := c.UpdateUserAttributes(ctx(), tok.AccessToken, map[string]string{"email": "alice2@example.com", "custom:team": "red"}, nil)
	if err != nil || len(list) != 1 || list[0].AttributeName != "email" || list[0].DeliveryMedium != "EMAIL" {
		t.Fatalf("UpdateUserAttributes = %+v, %v; want one email delivery", list, err)
	}
	_, err = c.UpdateUserAttributes(ctx(), tok.AccessToken, map[string]string{"sub": "x"}, nil)
	wantAPI(t, "UpdateUserAttributes of sub", err, "InvalidParameterException", "")

	err = c.VerifyUserAttribute(ctx(), tok.AccessToken, "email", wrongCode)
	wantAPI(t, "VerifyUserAttribute with a wrong code", err, "CodeMismatchException", "")
	if err := c.VerifyUserAttribute(ctx(), tok.AccessToken, "email", e.lastCode("alice")); err != nil {
		t.Fatalf("VerifyUserAttribute = %v", err)
	}
	u, _ = c.GetUser(ctx(), tok.AccessToken)
	if a := u.Attributes(); a["email"] != "alice2@example.com" || a["email_verified"] != "true" || a["custom:team"] != "red" {
		t.Errorf("after the update and verification: %v; want email alice2@example.com verified, team red", a)
	}

	d, err := c.GetUserAttributeVerificationCode(ctx(), tok.AccessToken, "email", nil)
	if err != nil || d.AttributeName != "email" || d.DeliveryMedium != "EMAIL" {
		t.Fatalf("GetUserAttributeVerificationCode = %+v, %v", d, err)
	}
	_, err = c.GetUserAttributeVerificationCode(ctx(), tok.AccessToken, "phone_number", nil)
	wantAPI(t, "GetUserAttributeVerificationCode of a missing attribute", err, "InvalidParameterException", "")

	if err := c.DeleteUserAttributes(ctx(), tok.AccessToken, []string{"custom:team"}); err != nil {
		t.Fatalf("DeleteUserAttributes = %v", err)
	}
	u, _ = c.GetUser(ctx(), tok.AccessToken)
	if _, ok := u.Attributes()["custom:team"]; ok {
		t.Errorf("custom:team still there after DeleteUserAttributes: %v", u.Attributes())
	}
	err = c.DeleteUserAttributes(ctx(), tok.AccessToken, []string{"sub"})
	wantAPI(t, "DeleteUserAttributes of sub", err, "InvalidParameterException", "")
}

func TestTOTPAndMFAPreference(t *testing.T) {
	e := newEnv(t)
	yes := true
	c := e.client(publicApp, "")
	tok := e.signIn(publicApp, "", "alice", alicePass)
	err := c.SetUserMFAPreference(ctx(), tok.AccessToken, MFAPreference{TOTP: &MFASetting{Enabled: true, PreferredMfa: &yes}})
	wantAPI(t, "SetUserMFAPreference TOTP before setup", err, "InvalidParameterException", "")

	secret, err := c.AssociateSoftwareToken(ctx(), tok.AccessToken)
	if err != nil || len(secret) < 16 {
		t.Fatalf("AssociateSoftwareToken = %q, %v; want a secret", secret, err)
	}
	err = c.VerifySoftwareToken(ctx(), tok.AccessToken, wrongCode, "phone")
	wantAPI(t, "VerifySoftwareToken with a wrong code", err, "EnableSoftwareTokenMFAException", "")
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.VerifySoftwareToken(ctx(), tok.AccessToken, code, "phone"); err != nil {
		t.Fatalf("VerifySoftwareToken = %v", err)
	}
	if err := c.SetUserMFAPreference(ctx(), tok.AccessToken, MFAPreference{TOTP: &MFASetting{Enabled: true, PreferredMfa: &yes}}); err != nil {
		t.Fatalf("SetUserMFAPreference = %v", err)
	}
	u, err := c.GetUser(ctx(), tok.AccessToken)
	if err != nil || u.PreferredMfaSetting != "SOFTWARE_TOKEN_MFA" || len(u.UserMFASettingList) != 1 || u.UserMFASettingList[0] != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("GetUser after enabling TOTP = %+v, %v; want TOTP enabled and preferred", u, err)
	}
	if err := c.SetUserMFAPreference(ctx(), tok.AccessToken, MFAPreference{TOTP: &MFASetting{}}); err != nil {
		t.Fatalf("SetUserMFAPreference(disable) = %v", err)
	}
	if u, _ := c.GetUser(ctx(), tok.AccessToken); u.PreferredMfaSetting != "" || len(u.UserMFASettingList) != 0 {
		t.Errorf("GetUser after disabling TOTP = %+v; want no MFA", u)
	}
}

func TestTokens(t *testing.T) {
	e := newEnv(t)
	t.Run("refresh", func(t *testing.T) {
		for _, tt := range []struct {
			name, app, secret string
			rotates           bool
		}{{"public", publicApp, "", false}, {"secret", secretApp, appSecret, false}, {"rotating", rotateApp, "", true}} {
			t.Run(tt.name, func(t *testing.T) {
				c := e.client(tt.app, tt.secret)
				tok := e.signIn(tt.app, tt.secret, "alice", alicePass)
				got, err := c.GetTokensFromRefreshToken(ctx(), tok.RefreshToken, "")
				if err != nil || got.AccessToken == "" || got.IdToken == "" || got.ExpiresIn <= 0 || got.TokenType != "Bearer" {
					t.Fatalf("GetTokensFromRefreshToken = %+v, %v; want new tokens", got, err)
				}
				if rotated := got.RefreshToken != "" && got.RefreshToken != tok.RefreshToken; rotated != tt.rotates {
					t.Errorf("refresh token rotated = %v; want %v", rotated, tt.rotates)
				}
				if _, err := c.GetUser(ctx(), got.AccessToken); err != nil {
					t.Errorf("GetUser with the refreshed token = %v", err)
				}
			})
		}
		_, err := e.client(publicApp, "").GetTokensFromRefreshToken(ctx(), "not-a-refresh-token", "")
		wantAPI(t, "GetTokensFromRefreshToken with a bad token", err, "NotAuthorizedException", "")
		tok := e.signIn(secretApp, appSecret, "alice", alicePass)
		_, err = e.client(secretApp, "not-the-secret").GetTokensFromRefreshToken(ctx(), tok.RefreshToken, "")
		wantAPI(t, "GetTokensFromRefreshToken with a wrong secret", err, "NotAuthorizedException", "")
	})
	t.Run("revoke", func(t *testing.T) {
		c := e.client(secretApp, appSecret)
		tok := e.signIn(secretApp, appSecret, "alice", alicePass)
		err := c.RevokeToken(ctx(), tok.AccessToken)
		wantAPI(t, "RevokeToken of an access token", err, "UnsupportedTokenTypeException", "")
		if err := c.RevokeToken(ctx(), tok.RefreshToken); err != nil {
			t.Fatalf("RevokeToken = %v", err)
		}
		_, err = c.GetTokensFromRefreshToken(ctx(), tok.RefreshToken, "")
		wantAPI(t, "refresh after RevokeToken", err, "NotAuthorizedException", "Refresh Token has been revoked")
		_, err = c.GetUser(ctx(), tok.AccessToken)
		wantAPI(t, "GetUser after RevokeToken", err, "NotAuthorizedException", "Access Token has been revoked")
	})
	t.Run("global sign-out", func(t *testing.T) {
		c := e.client(publicApp, "")
		tok := e.signIn(publicApp, "", "bob", alicePass)
		other := e.signIn(publicApp, "", "bob", alicePass)
		if err := c.GlobalSignOut(ctx(), tok.AccessToken); err != nil {
			t.Fatalf("GlobalSignOut = %v", err)
		}
		_, err := c.GetUser(ctx(), other.AccessToken)
		wantAPI(t, "GetUser with another session's token after GlobalSignOut", err, "NotAuthorizedException", "Access Token has been revoked")
		_, err = c.GetTokensFromRefreshToken(ctx(), other.RefreshToken, "")
		wantAPI(t, "refresh after GlobalSignOut", err, "NotAuthorizedException", "")
		err = c.GlobalSignOut(ctx(), tok.AccessToken)
		wantAPI(t, "GlobalSignOut again", err, "NotAuthorizedException", "")
	})
}

func TestDeleteUser(t *testing.T) {
	e := newEnv(t)
	c := e.client(publicApp, "")
	tok := e.signIn(publicApp, "", "bob", alicePass)
	if err := c.DeleteUser(ctx(), tok.AccessToken); err != nil {
		t.Fatalf("DeleteUser = %v", err)
	}
	_, err := c.GetUser(ctx(), tok.AccessToken)
	wantAPI(t, "GetUser after DeleteUser", err, "UserNotFoundException", "")
	_, err = e.trySignIn(publicApp, "", "bob", alicePass)
	wantAPI(t, "sign-in after DeleteUser", err, "UserNotFoundException", "")
	err = c.DeleteUser(ctx(), "not-a-token")
	wantAPI(t, "DeleteUser with a bad token", err, "NotAuthorizedException", "")
}

// TestSignUpSessionSignsIn: on a USER_AUTH client, ConfirmSignUp's Session
// signs the new user in through signin without the password, once (what
// auto sign-in after sign-up uses).
func TestSignUpSessionSignsIn(t *testing.T) {
	e := newEnv(t)
	c := e.client(userAuthApp, "")
	out, err := c.SignUp(ctx(), SignUpInput{Username: "frank", Password: alicePass, UserAttributes: map[string]string{"email": "frank@example.com"}})
	if err != nil || out.Session == "" {
		t.Fatalf("SignUp = %+v, %v; want a Session", out, err)
	}
	session, err := c.ConfirmSignUp(ctx(), ConfirmSignUpInput{Username: "frank", ConfirmationCode: e.lastCode("frank"), Session: out.Session})
	if err != nil || session == "" {
		t.Fatalf("ConfirmSignUp = %q, %v; want a Session", session, err)
	}
	sc, err := signin.New(signin.Config{UserPoolID: pool, ClientID: userAuthApp, Endpoint: endpoint, HTTPClient: e.tr, OneShot: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := sc.SignIn(ctx(), signin.SignInInput{Username: "frank", AuthFlowType: signin.AuthFlowUserAuth, Session: session})
	if err != nil || !res.IsSignedIn || res.Tokens == nil {
		t.Fatalf("SignIn(USER_AUTH, Session) = %+v, %v; want tokens", res, err)
	}
	if u, err := c.GetUser(ctx(), res.Tokens.AccessToken); err != nil || u.Username != "frank" {
		t.Errorf("GetUser = %+v, %v; want frank", u, err)
	}
	_, err = sc.SignIn(ctx(), signin.SignInInput{Username: "frank", AuthFlowType: signin.AuthFlowUserAuth, Session: session})
	if err == nil {
		t.Errorf("SignIn with the same Session again succeeded; want it refused (single use)")
	}
}

// TestSend: the generic path adds ClientId, SECRET_HASH, ClientSecret and
// the access token as each operation needs, and answers Cognito's JSON.
func TestSend(t *testing.T) {
	e := newEnv(t)
	token := func(tok string) func(context.Context) (string, error) {
		return func(context.Context) (string, error) { return tok, nil }
	}
	c := e.client(secretApp, appSecret)
	raw, err := c.Send(ctx(), "SignUp", []byte(` {"Username": "gina", "Password": "`+alicePass+`",
		"UserAttributes": [{"Name": "email", "Value": "gina@example.com"}]} `), nil)
	var su SignUpOutput
	if err != nil || json.Unmarshal(raw, &su) != nil || su.UserSub == "" || su.CodeDeliveryDetails == nil {
		t.Fatalf("Send(SignUp) = %s, %v; want a new user and a code delivery", raw, err)
	}
	if _, err := c.Send(ctx(), "ConfirmSignUp", []byte(`{"Username":"gina","ConfirmationCode":"`+e.lastCode("gina")+`"}`), nil); err != nil {
		t.Fatalf("Send(ConfirmSignUp) = %v", err)
	}
	tok := e.signIn(secretApp, appSecret, "gina", alicePass)
	for _, empty := range []string{"", "{}", " { } "} {
		raw, err = c.Send(ctx(), "GetUser", []byte(empty), token(tok.AccessToken))
		var u User
		if err != nil || json.Unmarshal(raw, &u) != nil || u.Username != "gina" {
			t.Fatalf("Send(GetUser, %q) = %s, %v; want gina", empty, raw, err)
		}
	}
	raw, err = c.Send(ctx(), "GetTokensFromRefreshToken", []byte(`{"RefreshToken":"`+tok.RefreshToken+`"}`), nil)
	if err != nil || !strings.Contains(string(raw), "AccessToken") {
		t.Fatalf("Send(GetTokensFromRefreshToken) = %s, %v; want tokens (ClientSecret added)", raw, err)
	}
	if raw, err := c.Send(ctx(), "GlobalSignOut", nil, token(tok.AccessToken)); err != nil || string(raw) != "{}" {
		t.Fatalf("Send(GlobalSignOut) = %s, %v; want {}", raw, err)
	}
	_, err = c.Send(ctx(), "GetUser", nil, token(tok.AccessToken))
	wantAPI(t, "Send(GetUser) after GlobalSignOut", err, "NotAuthorizedException", "Access Token has been revoked")

	_, err = e.client(secretApp, "not-the-secret").Send(ctx(), "ForgotPassword", []byte(`{"Username":"gina"}`), nil)
	wantAPI(t, "Send(ForgotPassword) with a wrong secret", err, "NotAuthorizedException", "")
	for _, tt := range []struct {
		name, op, req, token, field string
	}{
		{"unknown operation", "AdminDeleteUser", `{}`, "", "operation"},
		{"no username for SECRET_HASH", "ForgotPassword", `{}`, "", "Username"},
		{"username not a string", "ForgotPassword", `{"Username": 5}`, "", "request"},
		{"an array", "ForgotPassword", `[{"Username": "gina"}]`, "", "request"},
		{"null", "GetUser", `null`, "t", "request"},
		{"not JSON", "ForgotPassword", `{"Username": "gina"`, "", "request"},
		{"a forged client", "ForgotPassword", `{"Username": "gina", "ClientId": "other"}`, "", "request"},
		{"a forged token", "GetUser", `{"AccessToken": "x"}`, "t", "request"},
		{"no access token", "GetUser", `{}`, "", "AccessToken"},
	} {
		n := e.tr.sent()
		_, err := c.Send(ctx(), tt.op, []byte(tt.req), token(tt.token))
		var pe *signin.ParamError
		if !errors.As(err, &pe) || pe.Field != tt.field || e.tr.sent() != n {
			t.Errorf("Send %s = %v; want a ParamError on %s and nothing sent", tt.name, err, tt.field)
		}
	}
	signedOut := errors.New("no one is signed in")
	n := e.tr.sent()
	if _, err := c.Send(ctx(), "GetUser", nil, func(context.Context) (string, error) { return "", signedOut }); err != signedOut || e.tr.sent() != n {
		t.Errorf("Send(GetUser) with a failing token source = %v; want its error as it is, nothing sent", err)
	}
	called := false
	if _, err := c.Send(ctx(), "ForgotPassword", []byte(`{"Username":"gina"}`), func(context.Context) (string, error) { called = true; return "", signedOut }); err != nil || called {
		t.Errorf("Send(ForgotPassword) = %v, token source called %v; want it sent without asking for a token", err, called)
	}
}

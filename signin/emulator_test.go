//go:build !(js && wasm)

// The emulator (bbolt) and subprocesses are native only; the engine is
// vetted under GOOS=js through its other files.

package signin

import (
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

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
)

var allFlows = []string{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}

// newEmulator serves a seeded emulator over loopback.
func newEmulator(t *testing.T) string {
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
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	return srv.URL
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

func TestAgainstEmulator(t *testing.T) {
	endpoint := newEmulator(t)
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
			c, err := New(Config{UserPoolID: tt.pool, ClientID: tt.client, ClientSecret: tt.secret, Endpoint: endpoint})
			if err != nil {
				t.Fatal(err)
			}
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

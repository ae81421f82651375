package emulator

import (
	"strings"
	"testing"
)

// TestDeletedClientTakesItsTokens: once an app client is deleted, the
// access tokens it issued are refused by every operation that takes one,
// and its refresh tokens have no client to refresh through. Another
// client's tokens for the same user stay good.
func TestDeletedClientTakesItsTokens(t *testing.T) {
	h := demoHarness(t)
	doomed := h.newClient(m{"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	r := h.passwordAuth(doomed, map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass})
	h.wantTokens(r)
	access, refresh := r.str("AuthenticationResult", "AccessToken"), r.str("AuthenticationResult", "RefreshToken")
	other := h.passwordAuth(demoClient, map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass})
	wantOK(t, "GetUser before the client is deleted", h.call("GetUser", m{"AccessToken": access}, false))

	wantOK(t, "DeleteUserPoolClient", h.admin("DeleteUserPoolClient", m{"UserPoolId": demoPool, "ClientId": doomed}))
	for _, op := range []struct {
		name string
		body m
	}{
		{"GetUser", m{"AccessToken": access}},
		{"UpdateUserAttributes", m{"AccessToken": access, "UserAttributes": []m{{"Name": "nickname", "Value": "x"}}}},
		{"ChangePassword", m{"AccessToken": access, "PreviousPassword": demoPass, "ProposedPassword": "An0ther-pass!"}},
		{"GlobalSignOut", m{"AccessToken": access}},
	} {
		wantErr(t, op.name+" with a deleted client's token", h.call(op.name, op.body, false), "NotAuthorizedException", "Invalid Access Token")
	}
	wantErr(t, "refresh through the deleted client", h.call("InitiateAuth", m{"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": doomed,
		"AuthParameters": m{"REFRESH_TOKEN": refresh}}, false), "ResourceNotFoundException", "User pool client "+doomed+" does not exist.")
	wantOK(t, "GetUser with another client's token", h.call("GetUser", m{"AccessToken": other.str("AuthenticationResult", "AccessToken")}, false))
}

// TestAccessTokenOnlyInCompactForm: an access token is a compact JWS; the
// same signed token in JWS JSON serialization is not one Cognito issues
// and is refused.
func TestAccessTokenOnlyInCompactForm(t *testing.T) {
	h := demoHarness(t)
	r := h.passwordAuth(demoClient, map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass})
	h.wantTokens(r)
	parts := strings.Split(r.str("AuthenticationResult", "AccessToken"), ".")
	if len(parts) != 3 {
		t.Fatalf("access token has %d parts", len(parts))
	}
	asJSON := `{"protected":"` + parts[0] + `","payload":"` + parts[1] + `","signature":"` + parts[2] + `"}`
	wantErr(t, "GetUser with the token as JWS JSON", h.call("GetUser", m{"AccessToken": asJSON}, false), "NotAuthorizedException", "Invalid Access Token")
	wantOK(t, "GetUser with the compact token", h.call("GetUser", m{"AccessToken": r.str("AuthenticationResult", "AccessToken")}, false))
}

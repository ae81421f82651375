package emulator

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// signInTokens signs alice in with a password on client and returns the reply.
func (h *harness) signInTokens(client string) response {
	h.t.Helper()
	params := map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass}
	if client == secretClient {
		params["SECRET_HASH"] = srp.SecretHash(demoUser, client, secretValue)
	}
	r := h.passwordAuth(client, params)
	h.wantTokens(r)
	return r
}

func (h *harness) getTokens(client, tok string, extra m) response {
	h.t.Helper()
	body := m{"ClientId": client, "RefreshToken": tok}
	for k, v := range extra {
		body[k] = v
	}
	return h.call("GetTokensFromRefreshToken", body, false)
}

func (h *harness) getUser(access string) response {
	h.t.Helper()
	return h.call("GetUser", m{"AccessToken": access}, false)
}

func (h *harness) wantOK(r response) {
	h.t.Helper()
	if r.status != http.StatusOK {
		h.t.Fatalf("got %d %s %q; want 200", r.status, r.errType(), r.message())
	}
}

func TestGetTokensFromRefreshToken(t *testing.T) {
	h := demoHarness(t)
	first := h.signInTokens(demoClient)
	rt := first.str("AuthenticationResult", "RefreshToken")

	h.clock.Advance(time.Minute)
	r := h.getTokens(demoClient, rt, m{"ClientMetadata": m{"app": "test"}})
	h.wantTokens(r)
	if got := r.str("AuthenticationResult", "RefreshToken"); got != "" {
		t.Errorf("without rotation a refresh returned a refresh token")
	}
	if r.str("AuthenticationResult", "TokenType") != "Bearer" || r.body["AuthenticationResult"].(map[string]any)["ExpiresIn"] != float64(3600) {
		t.Errorf("AuthenticationResult = %v; want TokenType Bearer, ExpiresIn 3600", r.body["AuthenticationResult"])
	}
	old := h.verifyJWT(demoPool, first.str("AuthenticationResult", "AccessToken"))
	neu := h.verifyJWT(demoPool, r.str("AuthenticationResult", "AccessToken"))
	if neu["origin_jti"] != old["origin_jti"] || neu["jti"] == old["jti"] || neu["auth_time"] != old["auth_time"] {
		t.Errorf("refreshed access token: origin_jti %v jti %v auth_time %v; want the sign-in's origin_jti and auth_time, a new jti (was %v %v %v)",
			neu["origin_jti"], neu["jti"], neu["auth_time"], old["origin_jti"], old["jti"], old["auth_time"])
	}
	h.wantOK(h.getUser(r.str("AuthenticationResult", "AccessToken")))

	// The same checks as REFRESH_TOKEN_AUTH.
	h.wantError(h.getTokens("srponlyclient000000000001", rt, nil), "NotAuthorizedException", "Invalid Refresh Token")
	h.wantError(h.getTokens(demoClient, "not-a-token", nil), "NotAuthorizedException", "Invalid Refresh Token")
	h.wantError(h.getTokens("nosuchclient0000000000001", rt, nil), "ResourceNotFoundException", "User pool client nosuchclient0000000000001 does not exist.")
	h.wantError(h.call("GetTokensFromRefreshToken", m{"ClientId": demoClient}, false), "InvalidParameterException",
		"1 validation error detected: Value null at 'refreshToken' failed to satisfy constraint: Member must not be null")

	// A client with a secret needs ClientSecret.
	srt := h.signInTokens(secretClient).str("AuthenticationResult", "RefreshToken")
	h.wantError(h.getTokens(secretClient, srt, nil), "NotAuthorizedException",
		"Client "+secretClient+" is configured for secret but secret was not received")
	h.wantError(h.getTokens(secretClient, srt, m{"ClientSecret": strings.Repeat("x", len(secretValue))}), "NotAuthorizedException",
		"Unable to verify secret for client "+secretClient)
	h.wantTokens(h.getTokens(secretClient, srt, m{"ClientSecret": secretValue}))

	h.clock.Advance(30 * 24 * time.Hour)
	h.wantError(h.getTokens(demoClient, rt, nil), "NotAuthorizedException", "Refresh Token has expired")
}

func TestRefreshTokenRotation(t *testing.T) {
	h := demoHarness(t)
	h.wantError(h.call("CreateUserPoolClient", m{"UserPoolId": demoPool, "ClientName": "x",
		"RefreshTokenRotation": m{"Feature": "ON", "RetryGracePeriodSeconds": 61}}, true), "InvalidParameterException",
		"2 validation errors detected: Value 'ON' at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]; "+
			"Value '61' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value less than or equal to 60")
	rotating := h.newClient(m{"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		"RefreshTokenRotation": m{"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}})
	d := h.admin("DescribeUserPoolClient", m{"UserPoolId": demoPool, "ClientId": rotating})
	if d.str("UserPoolClient", "RefreshTokenRotation", "Feature") != "ENABLED" {
		t.Errorf("DescribeUserPoolClient's RefreshTokenRotation = %v", d.body["UserPoolClient"].(map[string]any)["RefreshTokenRotation"])
	}
	first := h.signInTokens(rotating)
	rt1 := first.str("AuthenticationResult", "RefreshToken")

	// REFRESH_TOKEN_AUTH is not how a rotating client refreshes.
	h.wantError(h.refresh(rotating, rt1), "NotAuthorizedException",
		"Refresh token rotation is enabled for client "+rotating+": refresh with GetTokensFromRefreshToken, not REFRESH_TOKEN_AUTH.")

	r := h.getTokens(rotating, rt1, nil)
	h.wantTokens(r)
	rt2 := r.str("AuthenticationResult", "RefreshToken")
	if rt2 == "" || rt2 == rt1 {
		t.Fatalf("rotation returned refresh token %q; want a new one", rt2)
	}
	// The old one is honoured for the grace period (a client's retry)...
	h.clock.Advance(9 * time.Second)
	retry := h.getTokens(rotating, rt1, nil)
	h.wantTokens(retry)
	// ...counted from its first use, then refused.
	h.clock.Advance(time.Second)
	h.wantError(h.getTokens(rotating, rt1, nil), "RefreshTokenReuseException", "Refresh token has already been used and rotated out.")
	// The new ones work, and rotate in turn.
	r3 := h.getTokens(rotating, rt2, nil)
	h.wantTokens(r3)
	h.wantTokens(h.getTokens(rotating, retry.str("AuthenticationResult", "RefreshToken"), nil))
	h.clock.Advance(10 * time.Second)
	h.wantError(h.getTokens(rotating, rt2, nil), "RefreshTokenReuseException", "Refresh token has already been used and rotated out.")
	if a, b := h.verifyJWT(demoPool, first.str("AuthenticationResult", "AccessToken")), h.verifyJWT(demoPool, r3.str("AuthenticationResult", "AccessToken")); a["origin_jti"] != b["origin_jti"] {
		t.Errorf("rotation changed origin_jti %v -> %v; the session keeps it (RevokeToken revokes by it)", a["origin_jti"], b["origin_jti"])
	}

	// Without a grace period the old token is refused at once.
	strict := h.newClient(m{"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		"RefreshTokenRotation": m{"Feature": "ENABLED"}})
	srt := h.signInTokens(strict).str("AuthenticationResult", "RefreshToken")
	h.wantTokens(h.getTokens(strict, srt, nil))
	h.wantError(h.getTokens(strict, srt, nil), "RefreshTokenReuseException", "Refresh token has already been used and rotated out.")

	// Revoking any token of the family revokes the newest too.
	rtN := r3.str("AuthenticationResult", "RefreshToken")
	h.wantOK(h.call("RevokeToken", m{"ClientId": rotating, "Token": rtN}, false))
	h.wantError(h.getTokens(rotating, rtN, nil), "NotAuthorizedException", "Refresh Token has been revoked")
	h.wantError(h.getUser(r3.str("AuthenticationResult", "AccessToken")), "NotAuthorizedException", "Access Token has been revoked")
}

func TestRevokeToken(t *testing.T) {
	h := demoHarness(t)
	a := h.signInTokens(demoClient)
	b := h.signInTokens(demoClient)
	rtA := a.str("AuthenticationResult", "RefreshToken")
	refreshed := h.getTokens(demoClient, rtA, nil)
	h.wantTokens(refreshed)

	h.wantError(h.call("RevokeToken", m{"ClientId": "srponlyclient000000000001", "Token": rtA}, false), "UnauthorizedException",
		"The token was not issued to client srponlyclient000000000001.")
	h.wantError(h.call("RevokeToken", m{"ClientId": demoClient, "Token": a.str("AuthenticationResult", "AccessToken")}, false),
		"UnsupportedTokenTypeException", "Only refresh tokens can be revoked.")
	h.wantOK(h.call("RevokeToken", m{"ClientId": demoClient, "Token": rtA}, false))

	// The refresh token and every access token of that sign-in are refused,
	// wherever they are accepted...
	for _, access := range []string{a.str("AuthenticationResult", "AccessToken"), refreshed.str("AuthenticationResult", "AccessToken")} {
		h.wantError(h.getUser(access), "NotAuthorizedException", "Access Token has been revoked")
		h.wantError(h.call("AssociateSoftwareToken", m{"AccessToken": access}, false), "NotAuthorizedException", "Access Token has been revoked")
		h.wantError(h.call("GlobalSignOut", m{"AccessToken": access}, false), "NotAuthorizedException", "Access Token has been revoked")
	}
	h.wantError(h.refresh(demoClient, rtA), "NotAuthorizedException", "Refresh Token has been revoked")
	h.wantError(h.getTokens(demoClient, rtA, nil), "NotAuthorizedException", "Refresh Token has been revoked")
	// ...and the other sign-in is untouched.
	h.wantOK(h.getUser(b.str("AuthenticationResult", "AccessToken")))
	h.wantTokens(h.refresh(demoClient, b.str("AuthenticationResult", "RefreshToken")))
	// Revoking twice is fine.
	h.wantOK(h.call("RevokeToken", m{"ClientId": demoClient, "Token": rtA}, false))

	// A client with a secret needs it.
	srt := h.signInTokens(secretClient).str("AuthenticationResult", "RefreshToken")
	h.wantError(h.call("RevokeToken", m{"ClientId": secretClient, "Token": srt}, false), "NotAuthorizedException",
		"Client "+secretClient+" is configured for secret but secret was not received")
	h.wantOK(h.call("RevokeToken", m{"ClientId": secretClient, "Token": srt, "ClientSecret": secretValue}, false))
	h.wantError(h.getTokens(secretClient, srt, m{"ClientSecret": secretValue}), "NotAuthorizedException", "Refresh Token has been revoked")

	// A client without token revocation refuses.
	norevoke := h.newClient(m{"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, "EnableTokenRevocation": false})
	nrt := h.signInTokens(norevoke).str("AuthenticationResult", "RefreshToken")
	h.wantError(h.call("RevokeToken", m{"ClientId": norevoke, "Token": nrt}, false), "UnsupportedOperationException",
		"Token revocation is not enabled for client "+norevoke+".")
	h.wantTokens(h.refresh(norevoke, nrt))
}

func TestGlobalSignOut(t *testing.T) {
	h := demoHarness(t)
	a := h.signInTokens(demoClient)
	b := h.signInTokens(secretClient)
	h.wantOK(h.call("GlobalSignOut", m{"AccessToken": a.str("AuthenticationResult", "AccessToken")}, false))
	for _, r := range []response{a, b} {
		h.wantError(h.getUser(r.str("AuthenticationResult", "AccessToken")), "NotAuthorizedException", "Access Token has been revoked")
	}
	h.wantError(h.refresh(demoClient, a.str("AuthenticationResult", "RefreshToken")), "NotAuthorizedException", "Refresh Token has been revoked")
	h.wantError(h.getTokens(secretClient, b.str("AuthenticationResult", "RefreshToken"), m{"ClientSecret": secretValue}),
		"NotAuthorizedException", "Refresh Token has been revoked")

	// A sign-in after the sign-out works, even within the same second.
	h.clock.Advance(time.Millisecond)
	c := h.signInTokens(demoClient)
	h.wantOK(h.getUser(c.str("AuthenticationResult", "AccessToken")))
	h.wantTokens(h.getTokens(demoClient, c.str("AuthenticationResult", "RefreshToken"), nil))

	// AdminUserGlobalSignOut does the same by name, for SigV4 callers only.
	r := h.call("AdminUserGlobalSignOut", m{"UserPoolId": demoPool, "Username": demoUser}, false)
	if r.errType() != "MissingAuthenticationTokenException" {
		t.Fatalf("unsigned AdminUserGlobalSignOut = %d %s; want MissingAuthenticationTokenException", r.status, r.errType())
	}
	h.clock.Advance(time.Millisecond)
	h.admin("AdminUserGlobalSignOut", m{"UserPoolId": demoPool, "Username": demoUser})
	h.wantError(h.getUser(c.str("AuthenticationResult", "AccessToken")), "NotAuthorizedException", "Access Token has been revoked")
	h.wantError(h.call("AdminUserGlobalSignOut", m{"UserPoolId": demoPool, "Username": "nobody"}, true), "UserNotFoundException", "User does not exist.")
	// Other users keep their sessions.
	bob := h.passwordAuth(demoClient, map[string]string{"USERNAME": "bob", "PASSWORD": "Hunter2!Bob"})
	h.wantTokens(bob)
	h.wantOK(h.getUser(bob.str("AuthenticationResult", "AccessToken")))
}

// TestRevocationsPurged: deny-list entries go once their tokens expire.
func TestRevocationsPurged(t *testing.T) {
	h := demoHarness(t)
	a := h.signInTokens(demoClient)
	h.wantOK(h.call("RevokeToken", m{"ClientId": demoClient, "Token": a.str("AuthenticationResult", "RefreshToken")}, false))
	h.wantOK(h.call("GlobalSignOut", m{"AccessToken": h.signInTokens(demoClient).str("AuthenticationResult", "AccessToken")}, false))
	count := func() int {
		n := 0
		if err := h.emu.store.view(func(t *txn) error {
			return t.scan(bucketRevoked, "", func(_, _ []byte) (bool, error) { n++; return true, nil })
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 2 {
		t.Fatalf("%d revocations stored; want 2", n)
	}
	h.clock.Advance(29 * 24 * time.Hour)
	if n, err := h.emu.store.purgeExpiredRevocations(h.clock.Now()); err != nil || n != 0 {
		t.Fatalf("purge before expiry removed %d (%v); want 0", n, err)
	}
	h.clock.Advance(24*time.Hour + time.Second)
	if n, err := h.emu.store.purgeExpiredRevocations(h.clock.Now()); err != nil || n != 2 {
		t.Fatalf("purge after expiry removed %d (%v); want 2", n, err)
	}
	if n := count(); n != 0 {
		t.Fatalf("%d revocations left; want 0", n)
	}
}

func TestOriginJTICarriesSignInTime(t *testing.T) {
	base := time.Date(2026, 11, 25, 18, 0, 0, 123e6, time.UTC)
	for _, d := range []time.Duration{0, 244, 245 * time.Nanosecond, 999_999, 500 * time.Microsecond} {
		at := base.Add(d)
		id := newOriginJTI(at)
		got, ok := uuidV7Time(id)
		if !ok || got.After(at) || at.Sub(got) >= 245*time.Nanosecond {
			t.Fatalf("uuidV7Time(newOriginJTI(%v)) = %v, %v; want within 245 ns at or before", at, got, ok)
		}
		if newOriginJTI(at) == id {
			t.Fatalf("two origin_jti for one instant are equal")
		}
	}
	if _, ok := uuidV7Time(newUUID()); ok {
		t.Fatalf("a version 4 UUID read as version 7")
	}
	// A sign-out refuses the sign-ins before it, not one a microsecond after.
	out := base.Add(time.Microsecond)
	if signInTime(newOriginJTI(base), time.Time{}).After(out) || !signInTime(newOriginJTI(out.Add(time.Microsecond)), time.Time{}).After(out) {
		t.Fatalf("sign-in times do not order around a sign-out")
	}
}

func TestListAndDeleteUserPoolClients(t *testing.T) {
	h := demoHarness(t)
	list := func(body m) response {
		body["UserPoolId"] = demoPool
		return h.admin("ListUserPoolClients", body)
	}
	all := list(m{})
	clients := all.body["UserPoolClients"].([]any)
	if len(clients) != 4 || all.body["NextToken"] != nil {
		t.Fatalf("ListUserPoolClients = %v; want the demo pool's 4 clients, no NextToken", all.body)
	}
	var ids []string
	next := ""
	for page := 0; page < 4; page++ {
		body := m{"MaxResults": 3}
		if next != "" {
			body["NextToken"] = next
		}
		r := list(body)
		for _, c := range r.body["UserPoolClients"].([]any) {
			c := c.(map[string]any)
			if c["UserPoolId"] != demoPool || c["ClientName"] == "" {
				t.Errorf("client %v", c)
			}
			ids = append(ids, c["ClientId"].(string))
		}
		next = r.str("NextToken")
		if next == "" {
			break
		}
	}
	if len(ids) != 4 || !slices.IsSorted(ids) || !slices.Contains(ids, demoClient) || slices.Contains(ids, "emailpoolclient0000000001") {
		t.Fatalf("paged through %v; want the demo pool's 4 clients once each", ids)
	}
	h.wantError(h.call("ListUserPoolClients", m{"UserPoolId": demoPool, "MaxResults": 61}, true), "InvalidParameterException",
		"1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60")

	rt := h.signInTokens(demoClient).str("AuthenticationResult", "RefreshToken")
	h.admin("DeleteUserPoolClient", m{"UserPoolId": demoPool, "ClientId": demoClient})
	h.wantError(h.getTokens(demoClient, rt, nil), "ResourceNotFoundException", "User pool client "+demoClient+" does not exist.")
	h.wantError(h.passwordAuth(demoClient, map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass}),
		"ResourceNotFoundException", "User pool client "+demoClient+" does not exist.")
	h.wantError(h.call("DeleteUserPoolClient", m{"UserPoolId": demoPool, "ClientId": demoClient}, true),
		"ResourceNotFoundException", "User pool client "+demoClient+" does not exist.")
	h.wantError(h.call("DeleteUserPoolClient", m{"UserPoolId": "us-east-1_cwEmail01", "ClientId": srpOnlyClient}, true),
		"ResourceNotFoundException", "User pool client "+srpOnlyClient+" does not exist.")
	if n := len(list(m{}).body["UserPoolClients"].([]any)); n != 3 {
		t.Fatalf("%d clients after the delete; want 3", n)
	}
}

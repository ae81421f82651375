package emulator

import (
	"slices"
	"testing"
)

// pretokenTokens signs alice in with a password and returns her id and
// access tokens' claims.
func (h *harness) pretokenTokens() (r response, id, access map[string]any) {
	h.t.Helper()
	r = h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass})
	h.wantTokens(r)
	return r, h.verifyJWT(demoPool, r.str("AuthenticationResult", "IdToken")), h.verifyJWT(demoPool, r.str("AuthenticationResult", "AccessToken"))
}

func (h *harness) aliceInGroups(groups ...string) {
	h.t.Helper()
	for _, g := range groups {
		h.admin("CreateGroup", m{"UserPoolId": demoPool, "GroupName": g})
		h.admin("AdminAddUserToGroup", m{"UserPoolId": demoPool, "GroupName": g, "Username": "alice"})
	}
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := []string{}
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func TestPreTokenGenerationV1ChangesTheIDToken(t *testing.T) {
	h, fl := triggerHarness(t)
	h.aliceInGroups("admins", "readers")
	// The legacy PreTokenGeneration member is a V1_0 trigger.
	h.setTriggers(lambdaConfigType{PreTokenGeneration: lambdaARN + "pretoken"})
	fl.set("pretoken", func(ev map[string]any) (map[string]any, string) {
		return map[string]any{"claimsOverrideDetails": map[string]any{
			"claimsToAddOrOverride": map[string]any{"tenant": "t1", "email": "other@example.com", "sub": "forged", "exp": 1, "token_use": "access"},
			"claimsToSuppress":      []any{"email_verified", "iss", "aud"},
			"groupOverrideDetails":  map[string]any{"groupsToOverride": []any{"editors"}, "iamRolesToOverride": []any{"arn:aws:iam::123456789012:role/editor"}, "preferredRole": "arn:aws:iam::123456789012:role/editor"},
		}}, ""
	})
	_, id, access := h.pretokenTokens()
	if id["tenant"] != "t1" || id["email"] != "other@example.com" {
		t.Errorf("id token claims not added/overridden: %v", id)
	}
	if _, ok := id["email_verified"]; ok {
		t.Errorf("id token keeps suppressed email_verified: %v", id)
	}
	// Reserved claims keep Cognito's values, whatever the trigger says.
	if id["sub"] == "forged" || id["token_use"] != "id" || id["exp"] == float64(1) || id["aud"] != demoClient || id["iss"] == nil {
		t.Errorf("reserved id token claims changed: %v", id)
	}
	if !slices.Equal(strs(id["cognito:groups"]), []string{"editors"}) || !slices.Equal(strs(access["cognito:groups"]), []string{"editors"}) {
		t.Errorf("cognito:groups = %v / %v; want [editors]", id["cognito:groups"], access["cognito:groups"])
	}
	if id["cognito:preferred_role"] != "arn:aws:iam::123456789012:role/editor" || len(strs(id["cognito:roles"])) != 1 {
		t.Errorf("roles = %v %v", id["cognito:roles"], id["cognito:preferred_role"])
	}
	// V1 never touches the access token's own claims.
	if _, ok := access["tenant"]; ok || access["scope"] != accessScope {
		t.Errorf("access token changed by a V1 trigger: %v", access)
	}
	calls := fl.calls("pretoken")
	if len(calls) != 1 {
		t.Fatalf("pre token generation ran %d times, want 1", len(calls))
	}
	ev := calls[0].event
	if ev["version"] != "1" || ev["triggerSource"] != "TokenGeneration_Authentication" || ev["userName"] != "alice" {
		t.Fatalf("event = %s", calls[0].raw)
	}
	gc := request(ev)["groupConfiguration"].(map[string]any)
	if !slices.Equal(strs(gc["groupsToOverride"]), []string{"admins", "readers"}) || gc["iamRolesToOverride"] == nil {
		t.Fatalf("groupConfiguration = %v", gc)
	}
	if request(ev)["userAttributes"].(map[string]any)["email"] != "alice@example.com" {
		t.Fatalf("userAttributes = %v", request(ev)["userAttributes"])
	}
	if _, ok := request(ev)["scopes"]; ok {
		t.Fatalf("a V1_0 event carries scopes: %s", calls[0].raw)
	}
}

func TestPreTokenGenerationV2ChangesTheAccessToken(t *testing.T) {
	h, fl := triggerHarness(t)
	h.aliceInGroups("admins")
	// PreTokenGenerationConfig wins over the legacy member.
	h.setTriggers(lambdaConfigType{PreTokenGeneration: lambdaARN + "legacy",
		PreTokenGenerationConfig: &preTokenGenerationConfig{LambdaVersion: "V2_0", LambdaArn: lambdaARN + "pretoken"}})
	fl.set("pretoken", func(ev map[string]any) (map[string]any, string) {
		return map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
			"idTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"plan": "gold"}},
			"accessTokenGeneration": map[string]any{
				"claimsToAddOrOverride": map[string]any{"tenant": map[string]any{"id": "t1", "tier": 2}, "client_id": "forged", "username": "mallory"},
				"claimsToSuppress":      []any{"cognito:groups", "origin_jti"},
				"scopesToAdd":           []any{"api/read", "api/write"},
				"scopesToSuppress":      []any{"aws.cognito.signin.user.admin"},
			},
		}}, ""
	})
	_, id, access := h.pretokenTokens()
	if id["plan"] != "gold" {
		t.Errorf("id token = %v", id)
	}
	tenant, _ := access["tenant"].(map[string]any)
	if tenant["id"] != "t1" || tenant["tier"] != float64(2) {
		t.Errorf("access token's tenant = %v", access["tenant"])
	}
	if access["scope"] != "api/read api/write" {
		t.Errorf("scope = %q; want %q", access["scope"], "api/read api/write")
	}
	if access["client_id"] != demoClient || access["username"] != "alice" || access["origin_jti"] == nil || access["origin_jti"] != id["origin_jti"] {
		t.Errorf("reserved access token claims changed: %v", access)
	}
	// cognito:groups changes only through groupOverrideDetails.
	if !slices.Equal(strs(access["cognito:groups"]), []string{"admins"}) {
		t.Errorf("access cognito:groups = %v", access["cognito:groups"])
	}
	if n := len(fl.calls("legacy")); n != 0 {
		t.Errorf("the legacy trigger ran %d times", n)
	}
	calls := fl.calls("pretoken")
	if len(calls) != 1 {
		t.Fatalf("pre token generation ran %d times", len(calls))
	}
	ev := calls[0].event
	if ev["version"] != "2" || !slices.Equal(strs(request(ev)["scopes"]), []string{accessScope}) {
		t.Fatalf("event = %s", calls[0].raw)
	}
	if _, ok := ev["response"].(map[string]any)["claimsAndScopeOverrideDetails"]; !ok {
		t.Fatalf("event = %s", calls[0].raw)
	}
}

func TestPreTokenGenerationFailureWithholdsTokens(t *testing.T) {
	h, fl := triggerHarness(t)
	h.setTriggers(lambdaConfigType{PreTokenGenerationConfig: &preTokenGenerationConfig{LambdaVersion: "V1_0", LambdaArn: lambdaARN + "pretoken"}})
	fl.set("pretoken", func(map[string]any) (map[string]any, string) { return nil, "No tokens today" })
	h.wantError(h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}),
		"UserLambdaValidationException", "PreTokenGeneration failed with error No tokens today.")
	h.wantError(h.srpSignIn(demoPool, demoClient, "alice", demoPass),
		"UserLambdaValidationException", "PreTokenGeneration failed with error No tokens today.")
	// An answer of the wrong shape.
	fl.set("pretoken", func(map[string]any) (map[string]any, string) {
		return map[string]any{"claimsOverrideDetails": "everything"}, ""
	})
	h.wantError(h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}),
		"InvalidLambdaResponseException", "Unrecognizable lambda output")
}

func TestPreTokenGenerationOnRefresh(t *testing.T) {
	h, fl := triggerHarness(t)
	r := h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass})
	h.wantTokens(r)
	rotating := h.newClient(m{"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		"RefreshTokenRotation": m{"Feature": "ENABLED"}})
	rot := h.signInTokens(rotating)
	h.setTriggers(lambdaConfigType{PreTokenGenerationConfig: &preTokenGenerationConfig{LambdaVersion: "V2_0", LambdaArn: lambdaARN + "pretoken"}})
	fl.set("pretoken", func(ev map[string]any) (map[string]any, string) {
		return map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
			"accessTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"refreshed": true}},
		}}, ""
	})
	rotated := h.getTokens(rotating, rot.str("AuthenticationResult", "RefreshToken"), m{"ClientMetadata": m{"k": "v"}})
	for _, res := range []response{h.refresh(demoClient, r.str("AuthenticationResult", "RefreshToken")), rotated} {
		h.wantTokens(res)
		if access := h.verifyJWT(demoPool, res.str("AuthenticationResult", "AccessToken")); access["refreshed"] != true {
			t.Errorf("refreshed access token = %v", access)
		}
	}
	calls := fl.calls("pretoken")
	if len(calls) != 2 {
		t.Fatalf("pre token generation ran %d times, want 2", len(calls))
	}
	for _, c := range calls {
		if c.event["triggerSource"] != "TokenGeneration_RefreshTokens" {
			t.Fatalf("event = %s", c.raw)
		}
	}
	if md, _ := request(calls[0].event)["clientMetadata"].(map[string]any); md["k"] != "v" { // GetTokensFromRefreshToken ran first
		t.Fatalf("event = %s", calls[0].raw)
	}
	// A failing trigger refuses the refresh, rotation or not.
	fl.set("pretoken", func(map[string]any) (map[string]any, string) { return nil, "Revoked upstream" })
	h.wantError(h.refresh(demoClient, r.str("AuthenticationResult", "RefreshToken")),
		"UserLambdaValidationException", "PreTokenGeneration failed with error Revoked upstream.")
	h.wantError(h.getTokens(rotating, rotated.str("AuthenticationResult", "RefreshToken"), nil),
		"UserLambdaValidationException", "PreTokenGeneration failed with error Revoked upstream.")
}

func TestPreTokenGenerationNewPasswordChallenge(t *testing.T) {
	h, fl := triggerHarness(t)
	h.setTriggers(lambdaConfigType{PreTokenGeneration: lambdaARN + "pretoken"})
	fl.set("pretoken", ok)
	h.admin("AdminCreateUser", m{"UserPoolId": demoPool, "Username": "dave", "TemporaryPassword": "Temp0rary!pw", "MessageAction": "SUPPRESS"})
	np := h.passwordAuth(demoClient, map[string]string{"USERNAME": "dave", "PASSWORD": "Temp0rary!pw"})
	wantChallenge(t, np, "NEW_PASSWORD_REQUIRED")
	h.wantTokens(h.call("RespondToAuthChallenge", m{"ClientId": demoClient, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": np.str("Session"),
		"ChallengeResponses": m{"USERNAME": "dave", "NEW_PASSWORD": "Perm4nent!pw"}, "ClientMetadata": m{"from": "respond"}}, false))
	calls := fl.calls("pretoken")
	if len(calls) != 1 || calls[0].event["triggerSource"] != "TokenGeneration_NewPasswordChallenge" {
		t.Fatalf("calls = %v", calls)
	}
	// RespondToAuthChallenge's ClientMetadata reaches it; InitiateAuth's never does.
	if md, _ := request(calls[0].event)["clientMetadata"].(map[string]any); md["from"] != "respond" {
		t.Fatalf("event = %s", calls[0].raw)
	}
	h.wantTokens(h.call("InitiateAuth", m{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": demoClient,
		"AuthParameters": m{"USERNAME": "dave", "PASSWORD": "Perm4nent!pw"}, "ClientMetadata": m{"from": "initiate"}}, false))
	calls = fl.calls("pretoken")
	if len(calls) != 2 || calls[1].event["triggerSource"] != "TokenGeneration_Authentication" {
		t.Fatalf("calls = %v", calls)
	}
	if _, ok := request(calls[1].event)["clientMetadata"]; ok {
		t.Fatalf("InitiateAuth's ClientMetadata reached the trigger: %s", calls[1].raw)
	}
}

func TestPreTokenGenerationConfigValidated(t *testing.T) {
	h := demoHarness(t)
	lc := m{"PreTokenGenerationConfig": m{"LambdaVersion": "V2_0", "LambdaArn": lambdaARN + "pretoken"}}
	id := h.admin("CreateUserPool", m{"PoolName": "pretoken", "LambdaConfig": lc}).str("UserPool", "Id")
	got := h.admin("DescribeUserPool", m{"UserPoolId": id}).str("UserPool", "LambdaConfig", "PreTokenGenerationConfig", "LambdaVersion")
	if got != "V2_0" {
		t.Fatalf("PreTokenGenerationConfig.LambdaVersion = %q", got)
	}
	r := h.call("CreateUserPool", m{"PoolName": "bad", "LambdaConfig": m{"PreTokenGenerationConfig": m{"LambdaVersion": "V9_0", "LambdaArn": lambdaARN + "x"}}}, true)
	h.wantError(r, "InvalidParameterException", "1 validation error detected: Value 'V9_0' at 'lambdaConfig.preTokenGenerationConfig.lambdaVersion' failed to satisfy constraint: Member must satisfy enum value set: [V1_0, V2_0, V3_0]")
}

package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// sumTriggers are the custom-auth triggers of these tests: define asks for
// PASSWORD_VERIFIER after SRP_A, then up to three CUSTOM_CHALLENGEs, issues
// tokens after a right answer and fails after three wrong ones; create asks
// for a sum and keeps the answer private; verify compares.
func sumTriggers(fl *fakeLambda) {
	fl.set("define", func(ev map[string]any) (map[string]any, string) {
		session, _ := request(ev)["session"].([]any)
		wrong := 0
		for _, s := range session {
			c := s.(map[string]any)
			if c["challengeName"] == "CUSTOM_CHALLENGE" {
				if c["challengeResult"] == true {
					return m{"issueTokens": true, "failAuthentication": false}, ""
				}
				wrong++
			}
		}
		if wrong >= 3 {
			return m{"issueTokens": false, "failAuthentication": true}, ""
		}
		if len(session) == 1 && session[0].(map[string]any)["challengeName"] == "SRP_A" {
			return m{"challengeName": "PASSWORD_VERIFIER"}, ""
		}
		return m{"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false}, ""
	})
	fl.set("create", func(ev map[string]any) (map[string]any, string) {
		session, _ := request(ev)["session"].([]any)
		n := len(session)
		return m{"publicChallengeParameters": m{"question": "2+" + string(rune('0'+n)) + "?"},
			"privateChallengeParameters": m{"answer": string(rune('2' + n))},
			"challengeMetadata":          "SUM-" + string(rune('0'+n))}, ""
	})
	fl.set("verify", func(ev map[string]any) (map[string]any, string) {
		req := request(ev)
		return m{"answerCorrect": req["privateChallengeParameters"].(map[string]any)["answer"] == req["challengeAnswer"]}, ""
	})
}

func customHarness(t *testing.T) (*harness, *fakeLambda) {
	t.Helper()
	h, fl := triggerHarness(t)
	h.setTriggers(lambdaConfigType{DefineAuthChallenge: lambdaARN + "define", CreateAuthChallenge: lambdaARN + "create",
		VerifyAuthChallengeResponse: lambdaARN + "verify"})
	sumTriggers(fl)
	return h, fl
}

// newClient creates a client in the demo pool (without ExplicitAuthFlows:
// custom auth allowed, as by the API's default) and returns its id.
func (h *harness) newClient(body m) string {
	h.t.Helper()
	body["UserPoolId"] = demoPool
	if body["ClientName"] == nil {
		body["ClientName"] = "c"
	}
	return h.admin("CreateUserPoolClient", body).str("UserPoolClient", "ClientId")
}

func (h *harness) customStart(clientID string, params m, metadata m) response {
	h.t.Helper()
	body := m{"AuthFlow": "CUSTOM_AUTH", "ClientId": clientID, "AuthParameters": params}
	if metadata != nil {
		body["ClientMetadata"] = metadata
	}
	return h.call("InitiateAuth", body, false)
}

func (h *harness) customAnswer(clientID string, ch response, answer string, extra m) response {
	h.t.Helper()
	resp := m{"USERNAME": ch.str("ChallengeParameters", "USERNAME"), "ANSWER": answer}
	body := m{"ClientId": clientID, "ChallengeName": "CUSTOM_CHALLENGE", "Session": ch.str("Session"), "ChallengeResponses": resp}
	for k, v := range extra {
		if k == "ClientMetadata" {
			body[k] = v
		} else {
			resp[k] = v
		}
	}
	return h.call("RespondToAuthChallenge", body, false)
}

func wantChallenge(t *testing.T, r response, name string) {
	t.Helper()
	if r.status != http.StatusOK || r.str("ChallengeName") != name || r.str("Session") == "" {
		t.Fatalf("got %d %s %q (challenge %q); want %s", r.status, r.errType(), r.message(), r.str("ChallengeName"), name)
	}
}

func TestCustomAuthWithoutSRP(t *testing.T) {
	h, fl := customHarness(t)
	client := h.newClient(m{})
	ch := h.customStart(client, m{"USERNAME": "alice@example.com"}, m{"from": "initiate"})
	wantChallenge(t, ch, "CUSTOM_CHALLENGE")
	if ch.str("ChallengeParameters", "question") != "2+0?" || ch.str("ChallengeParameters", "USERNAME") != "alice" {
		t.Fatalf("ChallengeParameters = %v", ch.body["ChallengeParameters"])
	}
	if strings.Contains(string(ch.raw), "answer") || strings.Contains(string(ch.raw), "SUM-") {
		t.Fatalf("private parameters or metadata leaked to the client: %s", ch.raw)
	}
	// A wrong answer: define sees it and asks again, with a new session.
	ch2 := h.customAnswer(client, ch, "7", m{"ClientMetadata": m{"from": "respond"}})
	wantChallenge(t, ch2, "CUSTOM_CHALLENGE")
	if ch2.str("Session") == ch.str("Session") || ch2.str("ChallengeParameters", "question") != "2+1?" {
		t.Fatalf("second challenge = %s", ch2.raw)
	}
	// The answered session is spent.
	h.wantError(h.customAnswer(client, ch, "2", nil), "NotAuthorizedException", "Invalid session for the user.")
	h.wantTokens(h.customAnswer(client, ch2, "3", m{"ClientMetadata": m{"from": "respond"}}))

	defines := fl.calls("define")
	if len(defines) != 3 {
		t.Fatalf("define ran %d times, want 3", len(defines))
	}
	first := request(defines[0].event)
	if _, has := first["clientMetadata"]; has {
		t.Errorf("InitiateAuth's ClientMetadata reached define: %s", defines[0].raw)
	}
	if s := first["session"].([]any); len(s) != 0 {
		t.Errorf("first define session = %v", s)
	}
	last := request(defines[2].event)
	if last["clientMetadata"].(map[string]any)["from"] != "respond" {
		t.Errorf("RespondToAuthChallenge's ClientMetadata did not reach define: %s", defines[2].raw)
	}
	want := `"session":[{"challengeName":"CUSTOM_CHALLENGE","challengeResult":false,"challengeMetadata":"SUM-0"},{"challengeName":"CUSTOM_CHALLENGE","challengeResult":true,"challengeMetadata":"SUM-1"}]`
	if !strings.Contains(defines[2].raw, want) {
		t.Errorf("last define event = %s\nwant session %s", defines[2].raw, want)
	}
	verifies := fl.calls("verify")
	if len(verifies) != 2 || request(verifies[1].event)["challengeAnswer"] != "3" ||
		request(verifies[1].event)["privateChallengeParameters"].(map[string]any)["answer"] != "3" {
		t.Fatalf("verify calls = %v", verifies)
	}
	if ev := verifies[1].event; ev["triggerSource"] != "VerifyAuthChallengeResponse_Authentication" || ev["userName"] != "alice" {
		t.Fatalf("verify event = %s", verifies[1].raw)
	}
}

func TestCustomAuthDefineDecidesWrongAnswers(t *testing.T) {
	h, _ := customHarness(t)
	client := h.newClient(m{})
	ch := h.customStart(client, m{"USERNAME": "alice"}, nil)
	for i := 0; i < 2; i++ {
		ch = h.customAnswer(client, ch, "wrong", nil)
		wantChallenge(t, ch, "CUSTOM_CHALLENGE")
	}
	last := h.customAnswer(client, ch, "wrong", nil)
	h.wantError(last, "NotAuthorizedException", "Incorrect username or password.")
	h.wantError(h.customAnswer(client, ch, "4", nil), "NotAuthorizedException", "Invalid session for the user.")
}

func TestCustomAuthWithSRP(t *testing.T) {
	h, fl := customHarness(t)
	client := h.newClient(m{})
	c, err := srp.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	pv := h.customStart(client, m{"USERNAME": "alice", "CHALLENGE_NAME": "SRP_A", "SRP_A": c.A()}, nil)
	wantChallenge(t, pv, "PASSWORD_VERIFIER")
	ch := h.srpAnswer(c, demoPool, client, demoPass, pv, h.clock.Now(), nil)
	wantChallenge(t, ch, "CUSTOM_CHALLENGE")
	h.wantTokens(h.customAnswer(client, ch, "4", nil))
	defines := fl.calls("define")
	if len(defines) != 3 {
		t.Fatalf("define ran %d times, want 3", len(defines))
	}
	if !strings.Contains(defines[0].raw, `"session":[{"challengeName":"SRP_A","challengeResult":true,"challengeMetadata":null}]`) ||
		!strings.Contains(defines[1].raw, `"session":[{"challengeName":"SRP_A","challengeResult":true,"challengeMetadata":null},{"challengeName":"PASSWORD_VERIFIER","challengeResult":true,"challengeMetadata":null}]`) {
		t.Fatalf("define sessions:\n%s\n%s", defines[0].raw, defines[1].raw)
	}

	// A wrong password ends it, as in USER_SRP_AUTH.
	c2, _ := srp.NewClient()
	pv = h.customStart(client, m{"USERNAME": "alice", "CHALLENGE_NAME": "SRP_A", "SRP_A": c2.A()}, nil)
	h.wantError(h.srpAnswer(c2, demoPool, client, "wrong", pv, h.clock.Now(), nil), "NotAuthorizedException", "Incorrect username or password.")
	// SRP_A is required with CHALLENGE_NAME=SRP_A.
	h.wantError(h.customStart(client, m{"USERNAME": "alice", "CHALLENGE_NAME": "SRP_A"}, nil), "InvalidParameterException", "Missing required parameter SRP_A")
}

func TestCustomAuthTriggerFailures(t *testing.T) {
	h, fl := customHarness(t)
	client := h.newClient(m{})
	fl.set("define", func(map[string]any) (map[string]any, string) { return nil, "define exploded" })
	h.wantError(h.customStart(client, m{"USERNAME": "alice"}, nil), "UserLambdaValidationException", "DefineAuthChallenge failed with error define exploded.")

	sumTriggers(fl)
	fl.set("create", func(map[string]any) (map[string]any, string) {
		return m{"publicChallengeParameters": "not a map"}, ""
	})
	h.wantError(h.customStart(client, m{"USERNAME": "alice"}, nil), "InvalidLambdaResponseException", "Unrecognizable lambda output")

	sumTriggers(fl)
	fl.set("define", func(map[string]any) (map[string]any, string) { return m{"challengeName": "NOT_A_CHALLENGE"}, "" })
	h.wantError(h.customStart(client, m{"USERNAME": "alice"}, nil), "InvalidLambdaResponseException", "Unrecognizable lambda output")

	sumTriggers(fl)
	ch := h.customStart(client, m{"USERNAME": "alice"}, nil)
	wantChallenge(t, ch, "CUSTOM_CHALLENGE")
	fl.set("verify", nil) // gone from the endpoint
	h.wantError(h.customAnswer(client, ch, "2", nil), "UnexpectedLambdaException",
		"VerifyAuthChallengeResponse invocation failed due to error ResourceNotFoundException.")
}

func TestCustomAuthRefusals(t *testing.T) {
	h, _ := customHarness(t)
	client := h.newClient(m{})
	noCustom := h.newClient(m{"ExplicitAuthFlows": []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	h.wantError(h.customStart(noCustom, m{"USERNAME": "alice"}, nil), "InvalidParameterException", "CUSTOM_AUTH flow not enabled for this client")
	h.wantError(h.customStart(client, m{}, nil), "InvalidParameterException", "Missing required parameter USERNAME")
	h.wantError(h.customStart(client, m{"USERNAME": "mallory"}, nil), "UserNotFoundException", "User does not exist.")

	// Expired: the challenge outlives AuthSessionValidity.
	ch := h.customStart(client, m{"USERNAME": "alice"}, nil)
	wantChallenge(t, ch, "CUSTOM_CHALLENGE")
	h.clock.Advance(3*time.Minute + time.Second)
	h.wantError(h.customAnswer(client, ch, "2", nil), "NotAuthorizedException", "Invalid session for the user.")

	// Bound to its client and its user.
	ch = h.customStart(client, m{"USERNAME": "alice"}, nil)
	other := h.newClient(m{})
	h.wantError(h.customAnswer(other, ch, "2", nil), "NotAuthorizedException", "Invalid session for the user.")
	ch = h.customStart(client, m{"USERNAME": "alice"}, nil)
	r := h.call("RespondToAuthChallenge", m{"ClientId": client, "ChallengeName": "CUSTOM_CHALLENGE", "Session": ch.str("Session"),
		"ChallengeResponses": m{"USERNAME": "bob", "ANSWER": "2"}}, false)
	h.wantError(r, "NotAuthorizedException", "Invalid session for the user.")
	// Answered under another challenge name.
	ch = h.customStart(client, m{"USERNAME": "alice"}, nil)
	r = h.call("RespondToAuthChallenge", m{"ClientId": client, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": ch.str("Session"),
		"ChallengeResponses": m{"USERNAME": "alice", "NEW_PASSWORD": "An0ther!pass"}}, false)
	h.wantError(r, "NotAuthorizedException", "Invalid session for the user.")
	// ANSWER is required.
	ch = h.customStart(client, m{"USERNAME": "alice"}, nil)
	r = h.call("RespondToAuthChallenge", m{"ClientId": client, "ChallengeName": "CUSTOM_CHALLENGE", "Session": ch.str("Session"),
		"ChallengeResponses": m{"USERNAME": "alice"}}, false)
	h.wantError(r, "InvalidParameterException", "Missing required parameter ANSWER")
}

func TestCustomAuthNotConfigured(t *testing.T) {
	h, _ := triggerHarness(t)
	client := h.newClient(m{})
	h.wantError(h.customStart(client, m{"USERNAME": "alice"}, nil), "InvalidParameterException", "Custom auth lambda trigger is not configured for the user pool.")
}

func TestCustomAuthUnknownUserUnderPreventUserExistenceErrors(t *testing.T) {
	h, fl := customHarness(t)
	client := h.newClient(m{"PreventUserExistenceErrors": "ENABLED"})
	fl.set("define", func(ev map[string]any) (map[string]any, string) {
		// A trigger that would let anyone in: Cognito still issues no tokens to nobody.
		if len(request(ev)["session"].([]any)) > 0 {
			return m{"issueTokens": true}, ""
		}
		return m{"challengeName": "CUSTOM_CHALLENGE"}, ""
	})
	ch := h.customStart(client, m{"USERNAME": "mallory"}, nil)
	wantChallenge(t, ch, "CUSTOM_CHALLENGE")
	if ch.str("ChallengeParameters", "USERNAME") != "mallory" {
		t.Fatalf("ChallengeParameters = %v", ch.body["ChallengeParameters"])
	}
	h.wantError(h.customAnswer(client, ch, "2", nil), "NotAuthorizedException", "Incorrect username or password.")
	for _, inv := range fl.all() {
		if request(inv.event)["userNotFound"] != true {
			t.Fatalf("%s ran without userNotFound: %s", inv.function, inv.raw)
		}
	}
}

func TestCustomAuthSecretHash(t *testing.T) {
	h, _ := customHarness(t)
	r := h.admin("CreateUserPoolClient", m{"UserPoolId": demoPool, "ClientName": "secret", "GenerateSecret": true})
	client, secret := r.str("UserPoolClient", "ClientId"), r.str("UserPoolClient", "ClientSecret")
	h.wantError(h.customStart(client, m{"USERNAME": "alice"}, nil), "NotAuthorizedException",
		"Client "+client+" is configured for secret but secret was not received")
	ch := h.customStart(client, m{"USERNAME": "alice@example.com", "SECRET_HASH": srp.SecretHash("alice@example.com", client, secret)}, nil)
	wantChallenge(t, ch, "CUSTOM_CHALLENGE")
	h.wantError(h.customAnswer(client, ch, "2", nil), "NotAuthorizedException",
		"Client "+client+" is configured for secret but secret was not received")
	// The answer's SECRET_HASH is over the USERNAME it sends, the real username.
	h.wantError(h.customAnswer(client, ch, "2", m{"SECRET_HASH": srp.SecretHash("alice@example.com", client, secret)}),
		"NotAuthorizedException", "Unable to verify secret hash for client "+client)
	h.wantTokens(h.customAnswer(client, ch, "2", m{"SECRET_HASH": srp.SecretHash("alice", client, secret)}))
}

// TestCustomAuthThenMFA: once define issues tokens, a user with MFA still
// answers it, as in Cognito.
func TestCustomAuthThenMFA(t *testing.T) {
	fl := &fakeLambda{fns: map[string]triggerFunc{}}
	ls := httptest.NewServer(fl)
	t.Cleanup(ls.Close)
	sumTriggers(fl)
	h, _ := userAuthHarnessWith(t, Config{LambdaEndpoint: ls.URL}, "PASSWORD")
	h.patUsesSMSMFA()
	h.setTriggers(lambdaConfigType{DefineAuthChallenge: lambdaARN + "define", CreateAuthChallenge: lambdaARN + "create",
		VerifyAuthChallengeResponse: lambdaARN + "verify"})
	custom := h.newClient(m{"ExplicitAuthFlows": []string{"ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	ch := h.customStart(custom, m{"USERNAME": "pat"}, nil)
	wantChallenge(t, ch, "CUSTOM_CHALLENGE")
	mfa := h.customAnswer(custom, ch, "2", nil)
	wantChallenge(t, mfa, "SMS_MFA")
	code, _, _ := h.lastMessage("pat")
	h.wantTokens(h.respondTo(custom, "SMS_MFA", mfa, m{"USERNAME": "pat", "SMS_MFA_CODE": code}))
}

package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// userAuthHarness is the demo pool with the given first factors, a
// USER_AUTH client, and pat, whose phone number is verified.
func userAuthHarness(t *testing.T, factors ...string) (*harness, string) {
	t.Helper()
	return userAuthHarnessWith(t, Config{}, factors...)
}

func userAuthHarnessWith(t *testing.T, cfg Config, factors ...string) (*harness, string) {
	t.Helper()
	h := harnessWith(t, cfg)
	err := h.emu.store.update(func(tx *txn) error {
		p, err := mustPool(tx, demoPool)
		if err != nil {
			return err
		}
		p.SignInPolicy = &signInPolicy{AllowedFirstAuthFactors: factors}
		return tx.put(bucketPools, p.ID, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	h.admin("AdminCreateUser", m{"UserPoolId": demoPool, "Username": "pat", "MessageAction": "SUPPRESS",
		"UserAttributes": []m{{"Name": "phone_number", "Value": "+15555550100"}, {"Name": "phone_number_verified", "Value": "true"}}})
	h.admin("AdminSetUserPassword", m{"UserPoolId": demoPool, "Username": "pat", "Password": "Pat!passw0rd", "Permanent": true})
	client := h.newClient(m{"ExplicitAuthFlows": []string{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	return h, client
}

func (h *harness) userAuth(client string, params m) response {
	h.t.Helper()
	return h.call("InitiateAuth", m{"AuthFlow": "USER_AUTH", "ClientId": client, "AuthParameters": params}, false)
}

func (h *harness) respondTo(client, name string, ch response, responses m) response {
	h.t.Helper()
	return h.call("RespondToAuthChallenge", m{"ClientId": client, "ChallengeName": name, "Session": ch.str("Session"),
		"ChallengeResponses": responses}, false)
}

// lastMessage is the newest code the outbox holds for username in the demo pool.
func (h *harness) lastMessage(username string) (code, medium, destination string) {
	h.t.Helper()
	_, msgs := h.outbox(demoPool, username)
	if len(msgs) == 0 {
		h.t.Fatalf("outbox for %s is empty", username)
	}
	last := msgs[len(msgs)-1]
	return last.Code, last.Medium, last.Destination
}

func available(r response) []string {
	var out []string
	list, _ := r.body["AvailableChallenges"].([]any)
	for _, v := range list {
		out = append(out, v.(string))
	}
	return out
}

func TestUserAuthSelectChallenge(t *testing.T) {
	h, client := userAuthHarness(t, "PASSWORD", "EMAIL_OTP", "SMS_OTP")
	// alice has a verified email, no phone; pat a verified phone, no email; bob an unverified email.
	for _, tc := range []struct {
		user string
		want []string
	}{
		{"alice", []string{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"}},
		{"pat", []string{"PASSWORD", "PASSWORD_SRP", "SMS_OTP"}},
		{"bob", []string{"PASSWORD", "PASSWORD_SRP"}},
	} {
		r := h.userAuth(client, m{"USERNAME": tc.user})
		wantChallenge(t, r, "SELECT_CHALLENGE")
		if got := available(r); !slices.Equal(got, tc.want) {
			t.Errorf("%s: AvailableChallenges = %v, want %v", tc.user, got, tc.want)
		}
	}

	// SELECT_CHALLENGE answered with PASSWORD and the password: tokens.
	sel := h.userAuth(client, m{"USERNAME": "alice@example.com"})
	h.wantTokens(h.respondTo(client, "SELECT_CHALLENGE", sel, m{"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": demoPass}))
	// A choice's parameter missing keeps the session; a choice not offered too.
	sel = h.userAuth(client, m{"USERNAME": "bob"})
	h.wantError(h.respondTo(client, "SELECT_CHALLENGE", sel, m{"USERNAME": "bob", "ANSWER": "PASSWORD"}),
		"InvalidParameterException", "Missing required parameter PASSWORD")
	h.wantError(h.respondTo(client, "SELECT_CHALLENGE", sel, m{"USERNAME": "bob", "ANSWER": "EMAIL_OTP"}),
		"InvalidParameterException", "EMAIL_OTP is not one of the available challenges.")
	// A wrong password ends it.
	h.wantError(h.respondTo(client, "SELECT_CHALLENGE", sel, m{"USERNAME": "bob", "ANSWER": "PASSWORD", "PASSWORD": "nope"}),
		"NotAuthorizedException", "Incorrect username or password.")
	h.wantError(h.respondTo(client, "SELECT_CHALLENGE", sel, m{"USERNAME": "bob", "ANSWER": "PASSWORD", "PASSWORD": "Hunter2!Bob"}),
		"NotAuthorizedException", "Invalid session for the user.")

	// SELECT_CHALLENGE answered with PASSWORD_SRP: PASSWORD_VERIFIER, then tokens.
	c, err := srp.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	sel = h.userAuth(client, m{"USERNAME": "pat"})
	pv := h.respondTo(client, "SELECT_CHALLENGE", sel, m{"USERNAME": "pat", "ANSWER": "PASSWORD_SRP", "SRP_A": c.A()})
	wantChallenge(t, pv, "PASSWORD_VERIFIER")
	h.wantTokens(h.srpAnswer(c, demoPool, client, "Pat!passw0rd", pv, h.clock.Now(), nil))
}

func TestUserAuthEmailAndSMSCodes(t *testing.T) {
	h, client := userAuthHarness(t, "EMAIL_OTP", "SMS_OTP", "PASSWORD")
	sel := h.userAuth(client, m{"USERNAME": "alice"})
	if got := available(sel); !slices.Equal(got, []string{"EMAIL_OTP", "PASSWORD", "PASSWORD_SRP"}) {
		t.Fatalf("AvailableChallenges = %v", got)
	}
	ch := h.respondTo(client, "SELECT_CHALLENGE", sel, m{"USERNAME": "alice", "ANSWER": "EMAIL_OTP"})
	wantChallenge(t, ch, "EMAIL_OTP")
	if ch.str("ChallengeParameters", "CODE_DELIVERY_DELIVERY_MEDIUM") != "EMAIL" || ch.str("ChallengeParameters", "CODE_DELIVERY_DESTINATION") != "a***@e***" {
		t.Fatalf("ChallengeParameters = %v", ch.body["ChallengeParameters"])
	}
	code, medium, dest := h.lastMessage("alice")
	if medium != "EMAIL" || dest != "alice@example.com" || len(code) != 6 {
		t.Fatalf("outbox: %q %q %q", code, medium, dest)
	}
	// A wrong code keeps the session; the right one signs in.
	h.wantError(h.respondTo(client, "EMAIL_OTP", ch, m{"USERNAME": "alice", "EMAIL_OTP_CODE": wrongDigits(code)}),
		"CodeMismatchException", "Invalid code or auth state for the user.")
	h.wantTokens(h.respondTo(client, "EMAIL_OTP", ch, m{"USERNAME": "alice", "EMAIL_OTP_CODE": code}))
	h.wantError(h.respondTo(client, "EMAIL_OTP", ch, m{"USERNAME": "alice", "EMAIL_OTP_CODE": code}),
		"NotAuthorizedException", "Invalid session for the user.")

	// SMS_OTP as the preferred challenge: straight to the code.
	ch = h.userAuth(client, m{"USERNAME": "pat", "PREFERRED_CHALLENGE": "SMS_OTP"})
	wantChallenge(t, ch, "SMS_OTP")
	if ch.str("ChallengeParameters", "CODE_DELIVERY_DELIVERY_MEDIUM") != "SMS" || ch.str("ChallengeParameters", "CODE_DELIVERY_DESTINATION") != "+*******0100" {
		t.Fatalf("ChallengeParameters = %v", ch.body["ChallengeParameters"])
	}
	code, medium, dest = h.lastMessage("pat")
	if medium != "SMS" || dest != "+15555550100" {
		t.Fatalf("outbox: %q %q %q", code, medium, dest)
	}
	h.wantTokens(h.respondTo(client, "SMS_OTP", ch, m{"USERNAME": "pat", "SMS_OTP_CODE": code}))

	// Three wrong codes spend the session.
	ch = h.userAuth(client, m{"USERNAME": "pat", "PREFERRED_CHALLENGE": "SMS_OTP"})
	code, _, _ = h.lastMessage("pat")
	for i := 0; i < 3; i++ {
		h.wantError(h.respondTo(client, "SMS_OTP", ch, m{"USERNAME": "pat", "SMS_OTP_CODE": wrongDigits(code)}),
			"CodeMismatchException", "Invalid code or auth state for the user.")
	}
	h.wantError(h.respondTo(client, "SMS_OTP", ch, m{"USERNAME": "pat", "SMS_OTP_CODE": code}), "NotAuthorizedException", "Invalid session for the user.")
}

// wrongDigits is a six-digit code other than code.
func wrongDigits(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

func TestUserAuthPreferredChallenge(t *testing.T) {
	h, client := userAuthHarness(t) // no policy: PASSWORD only
	h.wantTokens(h.userAuth(client, m{"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": demoPass}))
	h.wantError(h.userAuth(client, m{"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "wrong"}),
		"NotAuthorizedException", "Incorrect username or password.")
	h.wantError(h.userAuth(client, m{"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD"}),
		"InvalidParameterException", "Missing required parameter PASSWORD")
	c, _ := srp.NewClient()
	pv := h.userAuth(client, m{"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD_SRP", "SRP_A": c.A()})
	wantChallenge(t, pv, "PASSWORD_VERIFIER")
	h.wantTokens(h.srpAnswer(c, demoPool, client, demoPass, pv, h.clock.Now(), nil))
	// A preferred challenge the pool does not allow: the choice is offered instead.
	r := h.userAuth(client, m{"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
	wantChallenge(t, r, "SELECT_CHALLENGE")
	if got := available(r); !slices.Equal(got, []string{"PASSWORD", "PASSWORD_SRP"}) {
		t.Fatalf("AvailableChallenges = %v", got)
	}
	h.wantError(h.userAuth(client, m{"USERNAME": "alice", "PREFERRED_CHALLENGE": "MAGIC_LINK"}),
		"InvalidParameterException", "Invalid PREFERRED_CHALLENGE MAGIC_LINK: expected one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN.")
}

func TestUserAuthRefusals(t *testing.T) {
	h, client := userAuthHarness(t, "PASSWORD", "EMAIL_OTP")
	h.wantError(h.userAuth(demoClient, m{"USERNAME": "alice"}), "InvalidParameterException", "USER_AUTH flow not enabled for this client")
	h.wantError(h.userAuth(client, m{"USERNAME": "mallory"}), "UserNotFoundException", "User does not exist.")
	h.wantError(h.userAuth(client, m{}), "InvalidParameterException", "Missing required parameter USERNAME")

	// Under PreventUserExistenceErrors an unknown name is offered one of the
	// pool's first factors (Cognito: a challenge type picked at random from
	// those the pool allows), the same one each time it asks, and never passes.
	hidden := h.newClient(m{"ExplicitAuthFlows": []string{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, "PreventUserExistenceErrors": "ENABLED"})
	byFactor := map[string]string{} // first factor offered -> an unknown name offered it
	for i := 0; i < 40 && len(byFactor) < 2; i++ {
		name := fmt.Sprintf("mallory%d", i)
		sel := h.userAuth(hidden, m{"USERNAME": name})
		wantChallenge(t, sel, "SELECT_CHALLENGE")
		got := available(sel)
		if !slices.Equal(got, []string{"PASSWORD", "PASSWORD_SRP"}) && !slices.Equal(got, []string{"EMAIL_OTP"}) {
			t.Fatalf("AvailableChallenges for %s = %v; want one of the pool's factors", name, got)
		}
		if again := available(h.userAuth(hidden, m{"USERNAME": name})); !slices.Equal(again, got) {
			t.Fatalf("AvailableChallenges for %s = %v, then %v; want the same answer", name, got, again)
		}
		byFactor[got[0]] = name
	}
	if len(byFactor) != 2 {
		t.Fatalf("40 unknown names were all offered %v; want both factors drawn", byFactor)
	}
	mallory := byFactor["EMAIL_OTP"]
	sel := h.userAuth(hidden, m{"USERNAME": mallory})
	ch := h.respondTo(hidden, "SELECT_CHALLENGE", sel, m{"USERNAME": mallory, "ANSWER": "EMAIL_OTP"})
	wantChallenge(t, ch, "EMAIL_OTP")
	if d := ch.str("ChallengeParameters", "CODE_DELIVERY_DESTINATION"); d != "***" {
		t.Errorf("CODE_DELIVERY_DESTINATION for an unknown name = %q", d)
	}
	if _, msgs := h.outbox(demoPool, ""); len(msgs) != 0 {
		t.Errorf("a code was sent for an unknown name: %v", msgs)
	}
	byMail := h.userAuth(hidden, m{"USERNAME": "nobody@example.org", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
	wantChallenge(t, byMail, "EMAIL_OTP")
	if d := byMail.str("ChallengeParameters", "CODE_DELIVERY_DESTINATION"); d != "n***@e***" {
		t.Errorf("CODE_DELIVERY_DESTINATION for an unknown address = %q", d)
	}
	h.wantError(h.respondTo(hidden, "EMAIL_OTP", ch, m{"USERNAME": mallory, "EMAIL_OTP_CODE": "123456"}),
		"CodeMismatchException", "Invalid code or auth state for the user.")
	trudy := byFactor["PASSWORD"]
	sel = h.userAuth(hidden, m{"USERNAME": trudy})
	h.wantError(h.respondTo(hidden, "SELECT_CHALLENGE", sel, m{"USERNAME": trudy, "ANSWER": "PASSWORD", "PASSWORD": "x"}),
		"NotAuthorizedException", "Incorrect username or password.")

	// Expired SELECT_CHALLENGE.
	sel = h.userAuth(client, m{"USERNAME": "alice"})
	h.clock.Advance(3*60e9 + 1e9)
	h.wantError(h.respondTo(client, "SELECT_CHALLENGE", sel, m{"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": demoPass}),
		"NotAuthorizedException", "Invalid session for the user.")
}

func TestUserAuthSecretHashAndAdmin(t *testing.T) {
	h, _ := userAuthHarness(t, "PASSWORD", "EMAIL_OTP")
	r := h.admin("CreateUserPoolClient", m{"UserPoolId": demoPool, "ClientName": "s", "GenerateSecret": true,
		"ExplicitAuthFlows": []string{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	client, secret := r.str("UserPoolClient", "ClientId"), r.str("UserPoolClient", "ClientSecret")
	h.wantError(h.userAuth(client, m{"USERNAME": "alice"}), "NotAuthorizedException", "Client "+client+" is configured for secret but secret was not received")
	sel := h.call("AdminInitiateAuth", m{"UserPoolId": demoPool, "ClientId": client, "AuthFlow": "USER_AUTH",
		"AuthParameters": m{"USERNAME": "alice@example.com", "SECRET_HASH": srp.SecretHash("alice@example.com", client, secret)}}, true)
	wantChallenge(t, sel, "SELECT_CHALLENGE")
	ch := h.call("AdminRespondToAuthChallenge", m{"UserPoolId": demoPool, "ClientId": client, "ChallengeName": "SELECT_CHALLENGE",
		"Session": sel.str("Session"), "ChallengeResponses": m{"USERNAME": "alice", "ANSWER": "EMAIL_OTP", "SECRET_HASH": srp.SecretHash("alice", client, secret)}}, true)
	wantChallenge(t, ch, "EMAIL_OTP")
	code, _, _ := h.lastMessage("alice")
	r = h.call("AdminRespondToAuthChallenge", m{"UserPoolId": demoPool, "ClientId": client, "ChallengeName": "EMAIL_OTP",
		"Session": ch.str("Session"), "ChallengeResponses": m{"USERNAME": "alice", "EMAIL_OTP_CODE": code}}, true)
	h.wantError(r, "NotAuthorizedException", "Client "+client+" is configured for secret but secret was not received")
	r = h.call("AdminRespondToAuthChallenge", m{"UserPoolId": demoPool, "ClientId": client, "ChallengeName": "EMAIL_OTP",
		"Session": ch.str("Session"), "ChallengeResponses": m{"USERNAME": "alice", "EMAIL_OTP_CODE": code, "SECRET_HASH": srp.SecretHash("alice", client, secret)}}, true)
	h.wantTokens(r)
	if r.status != http.StatusOK {
		t.Fatal(r.raw)
	}
}

// TestUserAuthMFAOnlyAfterAPassword: in an OPTIONAL-MFA pool where pat has
// SMS MFA on, a password first factor is followed by SMS_MFA; an emailed or
// texted code as first factor is not (Cognito skips MFA after a passwordless
// first factor).
func TestUserAuthMFAOnlyAfterAPassword(t *testing.T) {
	h, client := userAuthHarness(t, "PASSWORD", "SMS_OTP")
	h.patUsesSMSMFA()
	mfa := h.userAuth(client, m{"USERNAME": "pat", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Pat!passw0rd"})
	wantChallenge(t, mfa, "SMS_MFA")
	code, _, _ := h.lastMessage("pat")
	h.wantTokens(h.respondTo(client, "SMS_MFA", mfa, m{"USERNAME": "pat", "SMS_MFA_CODE": code}))

	ch := h.userAuth(client, m{"USERNAME": "pat", "PREFERRED_CHALLENGE": "SMS_OTP"})
	wantChallenge(t, ch, "SMS_OTP")
	code, _, _ = h.lastMessage("pat")
	h.wantTokens(h.respondTo(client, "SMS_OTP", ch, m{"USERNAME": "pat", "SMS_OTP_CODE": code}))
}

// patUsesSMSMFA makes the demo pool's MFA OPTIONAL with SMS, and pat's preferred factor SMS.
func (h *harness) patUsesSMSMFA() {
	h.t.Helper()
	err := h.emu.store.update(func(tx *txn) error {
		p, err := mustPool(tx, demoPool)
		if err != nil {
			return err
		}
		p.MfaConfiguration, p.Mfa.SMS = "OPTIONAL", true
		if err := tx.put(bucketPools, p.ID, p); err != nil {
			return err
		}
		u, err := tx.user(p.ID, "pat")
		if err != nil || u == nil {
			h.t.Fatalf("pat: %v", err)
		}
		old := *u
		u.MFA.SMS, u.MFA.Preferred = true, mfaSMS
		return tx.putUser(p, &old, u)
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

// TestAdminSignInWithMFA: ADMIN_USER_PASSWORD_AUTH, then SMS_MFA answered
// through AdminRespondToAuthChallenge.
func TestAdminSignInWithMFA(t *testing.T) {
	h, _ := userAuthHarness(t, "PASSWORD")
	h.patUsesSMSMFA()
	client := h.adminFlowsClient(nil)
	ch := h.adminInitiate(client, "ADMIN_USER_PASSWORD_AUTH", m{"USERNAME": "pat", "PASSWORD": "Pat!passw0rd"})
	wantChallenge(t, ch, "SMS_MFA")
	code, _, _ := h.lastMessage("pat")
	r := h.call("AdminRespondToAuthChallenge", m{"UserPoolId": demoPool, "ClientId": client, "ChallengeName": "SMS_MFA",
		"Session": ch.str("Session"), "ChallengeResponses": m{"USERNAME": "pat", "SMS_MFA_CODE": wrongDigits(code)}}, true)
	h.wantError(r, "CodeMismatchException", "Invalid code or auth state for the user.")
	r = h.call("AdminRespondToAuthChallenge", m{"UserPoolId": demoPool, "ClientId": client, "ChallengeName": "SMS_MFA",
		"Session": ch.str("Session"), "ChallengeResponses": m{"USERNAME": "pat", "SMS_MFA_CODE": code}}, true)
	h.wantTokens(r)
}

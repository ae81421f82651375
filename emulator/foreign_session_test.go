package emulator

import (
	"net/http"
	"testing"
)

// TestSoftwareTokenLeavesForeignSessionsAlone: Associate/VerifySoftwareToken
// given a Session that is not an MFA_SETUP one (another challenge's) refuse
// it without using it up: the challenge it belongs to still answers.
// VerifySoftwareToken before any AssociateSoftwareToken leaves the MFA_SETUP
// session usable too (for setup by email).
func TestSoftwareTokenLeavesForeignSessionsAlone(t *testing.T) {
	h := mfaHarness(t)
	ch := h.startMFA(mfaClient, "sms-user")
	if ch.str("ChallengeName") != "SMS_MFA" {
		t.Fatalf("sign-in = %s; want SMS_MFA", ch.raw)
	}
	wantErr(t, "AssociateSoftwareToken with an SMS_MFA Session", h.call("AssociateSoftwareToken", m{"Session": ch.str("Session")}, false),
		"NotAuthorizedException", "Invalid session for the user.")
	wantErr(t, "VerifySoftwareToken with an SMS_MFA Session", h.call("VerifySoftwareToken", m{"Session": ch.str("Session"), "UserCode": "123456"}, false),
		"NotAuthorizedException", "Invalid session for the user.")
	got := h.respond(mfaClient, "SMS_MFA", ch.str("Session"), map[string]string{"USERNAME": "sms-user", "SMS_MFA_CODE": h.lastCode(mfaPool, "sms-user")})
	if got.status != http.StatusOK || got.str("AuthenticationResult", "IdToken") == "" {
		t.Fatalf("SMS_MFA answer after the refused calls = %d %s; want tokens", got.status, got.raw)
	}

	setup := h.startMFA(mfaOnClient, "email-setup")
	if setup.str("ChallengeName") != "MFA_SETUP" {
		t.Fatalf("sign-in = %s; want MFA_SETUP", setup.raw)
	}
	wantErr(t, "VerifySoftwareToken before AssociateSoftwareToken", h.call("VerifySoftwareToken", m{"Session": setup.str("Session"), "UserCode": "123456"}, false),
		"NotAuthorizedException", "Invalid session for the user.")
	code := h.respond(mfaOnClient, "MFA_SETUP", setup.str("Session"), map[string]string{"USERNAME": "email-setup", "EMAIL": "setup@example.com"})
	if code.str("ChallengeName") != "EMAIL_OTP" {
		t.Fatalf("MFA_SETUP by email after the refused call = %d %s; want EMAIL_OTP", code.status, code.raw)
	}
}

// TestSelectChallengeRechecksTheUser: a user disabled between USER_AUTH's
// SELECT_CHALLENGE and the answer is refused, and no code is sent.
func TestSelectChallengeRechecksTheUser(t *testing.T) {
	h, client := userAuthHarness(t, "PASSWORD", "SMS_OTP")
	ch := h.userAuth(client, m{"USERNAME": "pat"})
	if ch.str("ChallengeName") != "SELECT_CHALLENGE" {
		t.Fatalf("USER_AUTH = %s; want SELECT_CHALLENGE", ch.raw)
	}
	h.admin("AdminDisableUser", m{"UserPoolId": demoPool, "Username": "pat"})
	wantErr(t, "SMS_OTP chosen by a disabled user", h.respondTo(client, "SELECT_CHALLENGE", ch, m{"USERNAME": "pat", "ANSWER": "SMS_OTP"}),
		"NotAuthorizedException", "User is disabled.")
	if _, msgs := h.outbox(demoPool, "pat"); len(msgs) != 0 {
		t.Fatalf("a code went to a disabled user: %+v", msgs)
	}
}

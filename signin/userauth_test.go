//go:build !(js && wasm)

package signin

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognito-wasm/cognito-wasm/emulator"
)

const (
	uaPool   = "eu-west-1_UserAuth01"
	uaClient = "userauthclient0000000001"
	uaSecClt = "userauthsecret0000000001"
	uaSecret = "userauthclientsecret0000000000000000000001"
)

// newUserAuthEmulator seeds a pool whose sign-in policy allows PASSWORD,
// EMAIL_OTP and SMS_OTP first, with MFA optional: "otp" has a verified email
// and phone, "totp" has TOTP MFA.
func newUserAuthEmulator(t *testing.T) *emulator.Emulator {
	t.Helper()
	em, err := emulator.New(emulator.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() })
	flows := []string{"ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	err = em.Seed(emulator.Seed{UserPools: []emulator.SeedPool{{
		ID: uaPool, Name: "userauth", MfaConfiguration: "OPTIONAL", EnabledMfas: []string{"SOFTWARE_TOKEN_MFA"},
		SignInPolicy: &emulator.SeedSignInPolicy{AllowedFirstAuthFactors: []string{"PASSWORD", "EMAIL_OTP", "SMS_OTP"}},
		Clients: []emulator.SeedClient{{ID: uaClient, Name: "public", ExplicitAuthFlows: flows},
			{ID: uaSecClt, Name: "secret", Secret: uaSecret, ExplicitAuthFlows: flows}},
		Users: []emulator.SeedUser{
			{Username: "otp", Password: "Passw0rd!otp", Attributes: map[string]string{"email": "otp@example.com", "email_verified": "true",
				"phone_number": "+15555550142", "phone_number_verified": "true"}},
			{Username: "totp", Password: "Passw0rd!totp", MFA: &emulator.SeedUserMFA{TOTPSecret: totpKey, Preferred: "SOFTWARE_TOKEN_MFA"}},
		},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return em
}

// TestUserAuth: USER_AUTH with each preferred first factor, and the
// first-factor selection with and without a password in hand.
func TestUserAuth(t *testing.T) {
	em := newUserAuthEmulator(t)
	for _, withSecret := range []bool{false, true} {
		client, secret, suffix := uaClient, "", ""
		if withSecret {
			client, secret, suffix = uaSecClt, uaSecret, "/secret"
		}
		c, tr := emuClient(t, em, uaPool, client, secret)
		signIn := func(t *testing.T, in SignInInput) *Result {
			t.Helper()
			in.AuthFlowType = AuthFlowUserAuth
			res, err := c.SignIn(ctxT(t), in)
			if err != nil {
				t.Fatalf("SignIn(%+v) = %v", in, err)
			}
			return res
		}
		confirm := func(t *testing.T, res *Result, answer string) *Result {
			t.Helper()
			if res.Pending == nil {
				t.Fatalf("no Pending in %+v", res)
			}
			next, err := c.ConfirmSignIn(ctxT(t), res.Pending, ConfirmInput{ChallengeResponse: answer})
			if err != nil {
				t.Fatalf("ConfirmSignIn(%s, %q) = %v", res.NextStep.SignInStep, answer, err)
			}
			return next
		}
		wantDone := func(t *testing.T, res *Result) {
			t.Helper()
			if !res.IsSignedIn || res.Tokens == nil {
				t.Fatalf("result = %+v; want DONE", res)
			}
			if got := claims(t, res.Tokens.IdToken)["cognito:username"]; got != "otp" && got != "totp" {
				t.Errorf("cognito:username = %v", got)
			}
		}

		t.Run("PASSWORD"+suffix, func(t *testing.T) {
			before := len(tr.Sent())
			wantDone(t, signIn(t, SignInInput{Username: "otp", Password: "Passw0rd!otp", PreferredChallenge: "PASSWORD"}))
			if sent := tr.Sent()[before:]; len(sent) != 1 || !strings.Contains(sent[0].Body, `"PREFERRED_CHALLENGE":"PASSWORD"`) {
				t.Errorf("sent %+v; want one InitiateAuth with PREFERRED_CHALLENGE PASSWORD", sent)
			}
		})
		t.Run("PASSWORD_SRP"+suffix, func(t *testing.T) {
			before := len(tr.Sent())
			wantDone(t, signIn(t, SignInInput{Username: "otp", Password: "Passw0rd!otp", PreferredChallenge: "PASSWORD_SRP"}))
			for _, s := range tr.Sent()[before:] {
				if strings.Contains(s.Body, "Passw0rd!otp") {
					t.Errorf("%s carried the password with PASSWORD_SRP", s.Target)
				}
			}
		})
		t.Run("EMAIL_OTP"+suffix, func(t *testing.T) {
			res := signIn(t, SignInInput{Username: "otp", PreferredChallenge: "EMAIL_OTP"})
			if res.NextStep.SignInStep != StepEmailCode || res.NextStep.CodeDeliveryDetails == nil {
				t.Fatalf("NextStep = %+v; want the email code step", res.NextStep)
			}
			wantDone(t, confirm(t, res, lastCodeIn(t, em, uaPool, "otp")))
		})
		t.Run("SMS_OTP"+suffix, func(t *testing.T) {
			res := signIn(t, SignInInput{Username: "otp", PreferredChallenge: "SMS_OTP"})
			if res.NextStep.SignInStep != StepSMSCode || res.NextStep.CodeDeliveryDetails == nil || res.NextStep.CodeDeliveryDetails.DeliveryMedium != "SMS" {
				t.Fatalf("NextStep = %+v; want the SMS code step", res.NextStep)
			}
			wantDone(t, confirm(t, res, lastCodeIn(t, em, uaPool, "otp")))
		})
		t.Run("selection, EMAIL_OTP"+suffix, func(t *testing.T) {
			res := signIn(t, SignInInput{Username: "otp"})
			if res.NextStep.SignInStep != StepFirstFactorSelection {
				t.Fatalf("NextStep = %+v; want the first-factor selection", res.NextStep)
			}
			for _, f := range []string{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"} {
				if !slices.Contains(res.NextStep.AvailableChallenges, f) {
					t.Errorf("AvailableChallenges = %v; want %s", res.NextStep.AvailableChallenges, f)
				}
			}
			code := confirm(t, res, "EMAIL_OTP")
			if code.NextStep.SignInStep != StepEmailCode {
				t.Fatalf("after choosing EMAIL_OTP: %+v", code.NextStep)
			}
			wantDone(t, confirm(t, code, lastCodeIn(t, em, uaPool, "otp")))
		})
		for _, factor := range []string{"PASSWORD", "PASSWORD_SRP"} {
			t.Run("selection, "+factor+" asked for"+suffix, func(t *testing.T) {
				res := signIn(t, SignInInput{Username: "otp"})
				ask := confirm(t, res, factor)
				if ask.NextStep.SignInStep != StepConfirmPassword {
					t.Fatalf("choosing %s without a password: %+v; want CONFIRM_SIGN_IN_WITH_PASSWORD", factor, ask.NextStep)
				}
				if _, err := c.ConfirmSignIn(ctxT(t), ask.Pending, ConfirmInput{ChallengeResponse: "Wrong-passw0rd"}); err == nil {
					t.Fatal("a wrong password signed in")
				}
				// A refused password spends the session; the selection starts over.
				again := confirm(t, confirm(t, signIn(t, SignInInput{Username: "otp"}), factor), "Passw0rd!otp")
				wantDone(t, again)
			})
			t.Run("selection, "+factor+" with the password given"+suffix, func(t *testing.T) {
				res := signIn(t, SignInInput{Username: "otp", Password: "Passw0rd!otp"})
				if res.NextStep.SignInStep != StepFirstFactorSelection {
					t.Fatalf("NextStep = %+v; want the first-factor selection", res.NextStep)
				}
				wantDone(t, confirm(t, res, factor))
			})
		}
		t.Run("PASSWORD then TOTP MFA"+suffix, func(t *testing.T) {
			res := signIn(t, SignInInput{Username: "totp", Password: "Passw0rd!totp", PreferredChallenge: "PASSWORD_SRP"})
			if res.NextStep.SignInStep != StepTOTPCode {
				t.Fatalf("NextStep = %+v; want the TOTP code step after the password", res.NextStep)
			}
			at := time.Now().Add(map[bool]time.Duration{false: -30 * time.Second, true: 0}[withSecret])
			wantDone(t, confirm(t, res, totpCode(t, totpKey, at)))
		})
	}
}

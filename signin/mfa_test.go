//go:build !(js && wasm)

package signin

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/cognito-wasm/cognito-wasm/emulator"
)

const (
	mfaPool   = "us-east-1_MfaPool01"
	mfaClient = "mfaclient000000000000001"
	mfaSecret = "mfaclientsecret000000000000000000000000001"
	mfaSecClt = "mfasecretclient000000000001"
	totpKey   = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

// newMFAEmulator seeds a pool where MFA is ON with SMS, TOTP and email, and
// a user for each path.
func newMFAEmulator(t *testing.T) *emulator.Emulator {
	t.Helper()
	em, err := emulator.New(emulator.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() })
	flows := []string{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	user := func(name string, attrs map[string]string, mfa *emulator.SeedUserMFA) emulator.SeedUser {
		return emulator.SeedUser{Username: name, Password: "Passw0rd!" + name, Attributes: attrs, MFA: mfa}
	}
	err = em.Seed(emulator.Seed{UserPools: []emulator.SeedPool{{
		ID: mfaPool, Name: "mfa", MfaConfiguration: "ON", EnabledMfas: []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"},
		Clients: []emulator.SeedClient{{ID: mfaClient, Name: "public", ExplicitAuthFlows: flows},
			{ID: mfaSecClt, Name: "secret", Secret: mfaSecret, ExplicitAuthFlows: flows}},
		Users: []emulator.SeedUser{
			user("sms", map[string]string{"phone_number": "+15555550100", "phone_number_verified": "true"}, &emulator.SeedUserMFA{SMS: true}),
			user("email", map[string]string{"email": "email@example.com", "email_verified": "true"}, &emulator.SeedUserMFA{Email: true}),
			user("totp", nil, &emulator.SeedUserMFA{TOTPSecret: totpKey}),
			user("choosy", map[string]string{"phone_number": "+15555550101", "phone_number_verified": "true", "email": "choosy@example.com", "email_verified": "true"},
				&emulator.SeedUserMFA{SMS: true, Email: true, TOTPSecret: totpKey}),
			user("newtotp", nil, nil),
			user("flaky", nil, nil),
			user("newemail", map[string]string{"email": "newemail@example.com", "email_verified": "true"}, nil),
		},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return em
}

// lastCode reads the newest code the emulator "sent" to username.
func lastCode(t *testing.T, em *emulator.Emulator, username string) string {
	t.Helper()
	return lastCodeIn(t, em, mfaPool, username)
}

func lastCodeIn(t *testing.T, em *emulator.Emulator, pool, username string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	em.ServeHTTP(rec, httptest.NewRequest("GET", "/_dev/outbox?userPoolId="+pool+"&username="+url.QueryEscape(username), nil))
	var msgs []struct{ Code string }
	if err := json.Unmarshal(rec.Body.Bytes(), &msgs); err != nil || len(msgs) == 0 {
		t.Fatalf("outbox for %s = %s, %v; want a code", username, rec.Body.String(), err)
	}
	return msgs[len(msgs)-1].Code
}

func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// TestMFA: every MFA step through the engine, with SECRET_HASH, a wrong code
// answered again on the same Pending, and the parameters parsed.
func TestMFA(t *testing.T) {
	em := newMFAEmulator(t)
	for _, withSecret := range []bool{false, true} {
		client, secret := mfaClient, ""
		if withSecret {
			client, secret = mfaSecClt, mfaSecret
		}
		c, _ := emuClient(t, em, mfaPool, client, secret)
		signIn := func(t *testing.T, user string) *Result {
			t.Helper()
			res, err := c.SignIn(ctxT(t), SignInInput{Username: user, Password: "Passw0rd!" + user})
			if err != nil || res.IsSignedIn || res.Pending == nil {
				t.Fatalf("SignIn(%s) = %+v, %v; want a step", user, res, err)
			}
			return res
		}
		confirm := func(t *testing.T, p *Pending, in ConfirmInput) *Result {
			t.Helper()
			res, err := c.ConfirmSignIn(ctxT(t), p, in)
			if err != nil {
				t.Fatalf("ConfirmSignIn(%s, %q) = %v", p.Step(), in.ChallengeResponse, err)
			}
			return res
		}
		done := func(t *testing.T, res *Result, user string) {
			t.Helper()
			if !res.IsSignedIn || res.NextStep.SignInStep != StepDone || res.Tokens == nil || res.Pending != nil {
				t.Fatalf("result = %+v; want DONE", res)
			}
			if got := claims(t, res.Tokens.IdToken)["cognito:username"]; got != user {
				t.Errorf("cognito:username = %v; want %s", got, user)
			}
		}
		suffix := map[bool]string{false: "", true: "/secret"}[withSecret]

		t.Run("SMS_MFA"+suffix, func(t *testing.T) {
			res := signIn(t, "sms")
			if res.NextStep.SignInStep != StepSMSCode || res.NextStep.CodeDeliveryDetails == nil ||
				res.NextStep.CodeDeliveryDetails.DeliveryMedium != "SMS" || res.NextStep.CodeDeliveryDetails.Destination != "+*******0100" {
				t.Fatalf("NextStep = %+v; want the SMS code step with the masked number", res.NextStep)
			}
			code := lastCode(t, em, "sms")
			wrong := "000000"
			if code == wrong {
				wrong = "111111"
			}
			if _, err := c.ConfirmSignIn(ctxT(t), res.Pending, ConfirmInput{ChallengeResponse: wrong}); err == nil {
				t.Fatal("a wrong SMS code was accepted")
			} else if code, _ := apiCode(err); code != "CodeMismatchException" {
				t.Fatalf("wrong SMS code: %v; want CodeMismatchException", err)
			}
			done(t, confirm(t, res.Pending, ConfirmInput{ChallengeResponse: code}), "sms")
		})

		t.Run("EMAIL_OTP"+suffix, func(t *testing.T) {
			res := signIn(t, "email")
			if res.NextStep.SignInStep != StepEmailCode || res.NextStep.CodeDeliveryDetails == nil || res.NextStep.CodeDeliveryDetails.DeliveryMedium != "EMAIL" {
				t.Fatalf("NextStep = %+v; want the email code step", res.NextStep)
			}
			done(t, confirm(t, res.Pending, ConfirmInput{ChallengeResponse: lastCode(t, em, "email")}), "email")
		})

		t.Run("SOFTWARE_TOKEN_MFA"+suffix, func(t *testing.T) {
			res := signIn(t, "totp")
			if res.NextStep.SignInStep != StepTOTPCode {
				t.Fatalf("NextStep = %+v; want the TOTP code step", res.NextStep)
			}
			// The emulator refuses a code used before; each run takes the next step's code.
			at := time.Now().Add(map[bool]time.Duration{false: -30 * time.Second, true: 0}[withSecret])
			done(t, confirm(t, res.Pending, ConfirmInput{ChallengeResponse: totpCode(t, totpKey, at)}), "totp")
		})

		t.Run("SELECT_MFA_TYPE"+suffix, func(t *testing.T) {
			res := signIn(t, "choosy")
			if res.NextStep.SignInStep != StepMFASelection || len(res.NextStep.AllowedMFATypes) != 3 {
				t.Fatalf("NextStep = %+v; want MFA selection among SMS, TOTP and EMAIL", res.NextStep)
			}
			for _, want := range []string{"SMS", "TOTP", "EMAIL"} {
				if !slices.Contains(res.NextStep.AllowedMFATypes, want) {
					t.Errorf("AllowedMFATypes = %v; want %s among them", res.NextStep.AllowedMFATypes, want)
				}
			}
			next := confirm(t, res.Pending, ConfirmInput{ChallengeResponse: "EMAIL"})
			if next.NextStep.SignInStep != StepEmailCode {
				t.Fatalf("after choosing EMAIL: %+v; want the email code step", next.NextStep)
			}
			done(t, confirm(t, next.Pending, ConfirmInput{ChallengeResponse: lastCode(t, em, "choosy")}), "choosy")
		})
	}

	c, tr := emuClient(t, em, mfaPool, mfaSecClt, mfaSecret)
	t.Run("MFA_SETUP TOTP", func(t *testing.T) {
		res, err := c.SignIn(ctxT(t), SignInInput{Username: "newtotp", Password: "Passw0rd!newtotp"})
		if err != nil || res.NextStep.SignInStep != StepMFASetupSelection {
			t.Fatalf("SignIn = %+v, %v; want MFA setup selection", res, err)
		}
		if !slices.Contains(res.NextStep.AllowedMFATypes, "TOTP") || !slices.Contains(res.NextStep.AllowedMFATypes, "EMAIL") || slices.Contains(res.NextStep.AllowedMFATypes, "SMS") {
			t.Errorf("AllowedMFATypes = %v; want TOTP and EMAIL (SMS cannot be set up during sign-in)", res.NextStep.AllowedMFATypes)
		}
		setup, err := c.ConfirmSignIn(ctxT(t), res.Pending, ConfirmInput{ChallengeResponse: "TOTP"})
		if err != nil || setup.NextStep.SignInStep != StepTOTPSetup || setup.NextStep.TOTPSetupDetails == nil {
			t.Fatalf("choose TOTP = %+v, %v; want TOTP setup with a secret", setup, err)
		}
		d := setup.NextStep.TOTPSetupDetails
		if d.AccountName != "newtotp" || d.SharedSecret == "" {
			t.Errorf("TOTPSetupDetails = %+v; want the secret and the username", d)
		}
		if _, err := c.ConfirmSignIn(ctxT(t), setup.Pending, ConfirmInput{ChallengeResponse: "000000x"}); err == nil {
			t.Fatal("a malformed TOTP code was accepted")
		}
		final := confirm2(t, c, setup.Pending, ConfirmInput{ChallengeResponse: totpCode(t, d.SharedSecret, time.Now()), FriendlyDeviceName: "phone"})
		if !final.IsSignedIn {
			t.Fatalf("after TOTP setup = %+v; want DONE", final)
		}
		var targets []string
		for _, s := range tr.Sent() {
			targets = append(targets, s.Target)
		}
		if want := "AssociateSoftwareToken"; !slices.Contains(targets, want) || !slices.Contains(targets, "VerifySoftwareToken") {
			t.Errorf("sent %v; want AssociateSoftwareToken and VerifySoftwareToken", targets)
		}
		// The user now has TOTP: the next sign-in asks for a code.
		again, err := c.SignIn(ctxT(t), SignInInput{Username: "newtotp", Password: "Passw0rd!newtotp"})
		if err != nil || again.NextStep.SignInStep != StepTOTPCode {
			t.Errorf("next SignIn = %+v, %v; want the TOTP code step", again, err)
		}
	})

	t.Run("MFA_SETUP EMAIL", func(t *testing.T) {
		res, err := c.SignIn(ctxT(t), SignInInput{Username: "newemail", Password: "Passw0rd!newemail"})
		if err != nil || res.NextStep.SignInStep != StepMFASetupSelection {
			t.Fatalf("SignIn = %+v, %v; want MFA setup selection", res, err)
		}
		setup := confirm2(t, c, res.Pending, ConfirmInput{ChallengeResponse: "EMAIL"})
		if setup.NextStep.SignInStep != StepEmailSetup {
			t.Fatalf("choose EMAIL = %+v; want email setup", setup)
		}
		code := confirm2(t, c, setup.Pending, ConfirmInput{ChallengeResponse: "newemail@example.com"})
		if code.NextStep.SignInStep != StepEmailCode {
			t.Fatalf("after the address = %+v; want the email code step", code)
		}
		final := confirm2(t, c, code.Pending, ConfirmInput{ChallengeResponse: lastCode(t, em, "newemail")})
		if !final.IsSignedIn {
			t.Fatalf("after the email code = %+v; want DONE", final)
		}
	})
}

// TestTOTPSetupSurvivesALostLastAnswer: VerifySoftwareToken succeeded (the
// old session is spent), then the MFA_SETUP answer is lost in transit: the
// error hands back a Pending with the new session, and answering it
// finishes the sign-in without verifying again.
func TestTOTPSetupSurvivesALostLastAnswer(t *testing.T) {
	em := newMFAEmulator(t)
	c, tr := emuClient(t, em, mfaPool, mfaClient, "")
	res, err := c.SignIn(ctxT(t), SignInInput{Username: "flaky", Password: "Passw0rd!flaky"})
	if err != nil || res.NextStep.SignInStep != StepMFASetupSelection {
		t.Fatalf("SignIn = %+v, %v", res, err)
	}
	setup := confirm2(t, c, res.Pending, ConfirmInput{ChallengeResponse: "TOTP"})
	lost := unsentErr{notSent: false}
	base := tr.Count("RespondToAuthChallenge")
	tr.before = func(target string, n int) error {
		if target == "RespondToAuthChallenge" && n == base+1 {
			return lost // may have left: not retried by the transport
		}
		return nil
	}
	code := totpCode(t, setup.NextStep.TOTPSetupDetails.SharedSecret, time.Now())
	_, err = c.ConfirmSignIn(ctxT(t), setup.Pending, ConfirmInput{ChallengeResponse: code})
	var pe *ProgressError
	if !errors.As(err, &pe) || pe.Pending == nil {
		t.Fatalf("ConfirmSignIn with the last answer lost = %v; want a ProgressError with a Pending", err)
	}
	done := confirm2(t, c, pe.Pending, ConfirmInput{ChallengeResponse: code})
	if !done.IsSignedIn {
		t.Fatalf("retry = %+v; want DONE", done)
	}
	if n := tr.Count("VerifySoftwareToken"); n != 1 {
		t.Errorf("VerifySoftwareToken sent %d times; want 1", n)
	}
}

func confirm2(t *testing.T, c *Client, p *Pending, in ConfirmInput) *Result {
	t.Helper()
	res, err := c.ConfirmSignIn(ctxT(t), p, in)
	if err != nil {
		t.Fatalf("ConfirmSignIn(%s, %q) = %v", p.Step(), in.ChallengeResponse, err)
	}
	return res
}

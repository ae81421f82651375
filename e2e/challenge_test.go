package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Demo pools, as demo/seed.json names them.
const (
	poolMain   = "us-east-1_cwDemo001" // MFA optional, triggers, USER_AUTH
	poolMFAOn  = "us-east-1_cwDemo002" // MFA required
	poolNewPwd = "us-east-1_cwDemo003" // name required
)

// adminCall sends an Admin* operation to the emulator with a (dummy) SigV4
// Authorization header, as the AWS SDKs would.
func adminCall(t *testing.T, op string, body any) {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, env.endpoint+"/", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s = %d %s; want 200", op, res.StatusCode, out)
	}
}

// seedTOTPSecret reads a demo user's TOTP secret from demo/seed.json, as a
// developer would copy it into an authenticator app.
func seedTOTPSecret(t *testing.T, username string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "demo", "seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		UserPools []struct {
			Users []struct {
				Username string `json:"username"`
				MFA      struct {
					TOTPSecret string `json:"totpSecret"`
				} `json:"mfa"`
			} `json:"users"`
		} `json:"userPools"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	for _, p := range s.UserPools {
		for _, u := range p.Users {
			if u.Username == username && u.MFA.TOTPSecret != "" {
				return u.MFA.TOTPSecret
			}
		}
	}
	t.Fatalf("demo/seed.json has no TOTP secret for %q", username)
	return ""
}

// totpCode is what an authenticator app shows for secret at time at.
func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatalf("totp code for the secret %q: %v", secret, err)
	}
	return code
}

// wrongCode is a 6-digit code that is none of want's neighbours.
func wrongCode(right ...string) string {
	for c := 100000; ; c += 7919 {
		s := strconv.Itoa(c)
		if !slices.Contains(right, s) {
			return s
		}
	}
}

// stepText is the prompt's sentence.
func (p *page) stepText() string {
	p.t.Helper()
	return p.text("#step-text")
}

func (p *page) wantStep(got, want string) {
	p.t.Helper()
	if got != want {
		plain, detail := p.stepError()
		p.t.Fatalf("outcome = %q; want %s (step error %q %q, result %q)", got, want, plain, detail, p.resultError())
	}
}

func (p *page) wantSignedInAs(got, user string) {
	p.t.Helper()
	p.wantStep(got, "DONE")
	if name := p.claim("#id-claims", "cognito:username"); name != user {
		p.t.Errorf("cognito:username = %q; want %q", name, user)
	}
}

func TestTOTPCodeWrongThenRight(t *testing.T) {
	secret := seedTOTPSecret(t, "tina")
	user, pass := demoUser(t, "tina")
	p := openPage(t)
	p.wantStep(p.signIn(user, pass, "USER_SRP_AUTH"), "CONFIRM_SIGN_IN_WITH_TOTP_CODE")

	now := time.Now()
	bad := wrongCode(totpCode(t, secret, now.Add(-30*time.Second)), totpCode(t, secret, now), totpCode(t, secret, now.Add(30*time.Second)))
	p.wantStep(p.answer(map[string]string{"code": bad}), "error")
	plain, detail := p.stepError()
	if plain != "That code is not right. Check it and enter it again." || !strings.HasPrefix(detail, "CodeMismatchException: ") {
		t.Errorf("wrong TOTP code shows %q / %q; want plain words and CodeMismatchException", plain, detail)
	}
	if got := p.step(); got != "CONFIRM_SIGN_IN_WITH_TOTP_CODE" {
		t.Fatalf("after a wrong code the prompt is %q; want the same TOTP prompt", got)
	}
	p.wantSignedInAs(p.answer(map[string]string{"code": totpCode(t, secret, time.Now())}), "tina")
}

func TestSMSCodeFromOutbox(t *testing.T) {
	user, pass := demoUser(t, "sam")
	p := openPage(t)
	p.wantStep(p.signIn(user, pass, "USER_PASSWORD_AUTH"), "CONFIRM_SIGN_IN_WITH_SMS_CODE")
	if text := p.stepText(); !strings.Contains(text, "by text message to +*******0100") {
		t.Errorf("SMS prompt says %q; want it to say where the code went (+*******0100)", text)
	}
	code, medium := p.outboxCode()
	if medium != "SMS" {
		t.Errorf("outbox medium = %q; want SMS", medium)
	}
	p.wantSignedInAs(p.answer(map[string]string{"code": code}), "sam")
}

func TestEmailCodeWrongThenRight(t *testing.T) {
	user, pass := demoUser(t, "erin")
	p := openPage(t)
	p.wantStep(p.signIn(user, pass, "USER_SRP_AUTH"), "CONFIRM_SIGN_IN_WITH_EMAIL_CODE")
	if text := p.stepText(); !strings.Contains(text, "by email to e***@e***") {
		t.Errorf("email prompt says %q; want it to say where the code went (e***@e***)", text)
	}
	code, medium := p.outboxCode()
	if medium != "EMAIL" {
		t.Errorf("outbox medium = %q; want EMAIL", medium)
	}
	p.wantStep(p.answer(map[string]string{"code": wrongCode(code)}), "error")
	plain, detail := p.stepError()
	if plain != "That code is not right. Check it and enter it again." || !strings.HasPrefix(detail, "CodeMismatchException: ") {
		t.Errorf("wrong email code shows %q / %q; want plain words and CodeMismatchException", plain, detail)
	}
	if got := p.step(); got != "CONFIRM_SIGN_IN_WITH_EMAIL_CODE" {
		t.Fatalf("after a wrong code the prompt is %q; want the same email prompt", got)
	}
	p.wantSignedInAs(p.answer(map[string]string{"code": code}), "erin")
}

func TestMFASelection(t *testing.T) {
	user, pass := demoUser(t, "max")
	secret := seedTOTPSecret(t, "max")
	for _, choice := range []string{"SMS", "EMAIL", "TOTP"} {
		t.Run(choice, func(t *testing.T) {
			p := openPage(t)
			p.wantStep(p.signIn(user, pass, "USER_SRP_AUTH"), "CONTINUE_SIGN_IN_WITH_MFA_SELECTION")
			got := p.choices()
			slices.Sort(got)
			if want := []string{"EMAIL", "SMS", "TOTP"}; !slices.Equal(got, want) {
				t.Errorf("MFA choices = %v; want %v", got, want)
			}
			var code string
			switch choice {
			case "SMS":
				p.wantStep(p.choose(choice), "CONFIRM_SIGN_IN_WITH_SMS_CODE")
				code, _ = p.outboxCode()
			case "EMAIL":
				p.wantStep(p.choose(choice), "CONFIRM_SIGN_IN_WITH_EMAIL_CODE")
				code, _ = p.outboxCode()
			case "TOTP":
				p.wantStep(p.choose(choice), "CONFIRM_SIGN_IN_WITH_TOTP_CODE")
				code = totpCode(t, secret, time.Now())
			}
			p.wantSignedInAs(p.answer(map[string]string{"code": code}), "max")
		})
	}
}

// decodeQR reads the QR code drawn on a canvas of the page with jsQR,
// loaded into the page for the test only.
func (p *page) decodeQR(canvasID string) string {
	p.t.Helper()
	lib, err := os.ReadFile(filepath.Join(env.modules, filepath.FromSlash(qrDecoder)))
	if err != nil {
		p.t.Fatalf("the QR decoder: %v", err)
	}
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[chromedp.Void](string(lib)+";undefined")); err != nil {
		p.t.Fatalf("loading jsQR into the page: %v", err)
	}
	return p.eval(fmt.Sprintf(`(() => {
		const c = document.getElementById(%q);
		if (!c) return "<no canvas>";
		const img = c.getContext("2d").getImageData(0, 0, c.width, c.height);
		const code = jsQR(img.data, img.width, img.height);
		return code ? code.data : "<no QR code found>";
	})()`, canvasID))
}

var otpauthSecret = regexp.MustCompile(`[?&]secret=([A-Z2-7]+)`)

func TestTOTPSetupWithQRCode(t *testing.T) {
	user, pass := demoUser(t, "nora")
	p := openPage(t)
	p.usePool(poolMFAOn)
	p.wantStep(p.signIn(user, pass, "USER_SRP_AUTH"), "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION")
	if got := p.choices(); !slices.Contains(got, "TOTP") {
		t.Fatalf("MFA setup choices = %v; want TOTP among them", got)
	}
	p.wantStep(p.choose("TOTP"), "CONTINUE_SIGN_IN_WITH_TOTP_SETUP")

	secret := strings.TrimSpace(p.text("#totp-secret"))
	if len(secret) < 16 {
		t.Fatalf("the page shows the secret %q; want a base32 secret", secret)
	}
	uri := p.eval(`document.querySelector("#step-extra .totp").dataset.uri`)
	if m := otpauthSecret.FindStringSubmatch(uri); !strings.HasPrefix(uri, "otpauth://totp/") || m == nil || m[1] != secret {
		t.Errorf("QR code link = %q; want an otpauth://totp/ URI with the secret shown", uri)
	}
	if !strings.Contains(uri, "nora") {
		t.Errorf("QR code link = %q; want the account name nora in it", uri)
	}
	// The QR code drawn in the page reads back, with an independent decoder,
	// as the same otpauth:// link.
	if got := p.decodeQR("totp-qr"); got != uri {
		t.Errorf("the QR code on the page reads %q; want %q", got, uri)
	}
	p.wantSignedInAs(p.answer(map[string]string{"code": totpCode(t, secret, time.Now())}), "nora")

	// The secret never left the machine: every request went to the page's
	// server or the emulator, and none carried the secret.
	reqs := p.sent()
	if len(reqs) == 0 {
		t.Fatal("no requests recorded: the network watch is not working")
	}
	for _, r := range reqs {
		if !strings.HasPrefix(r.URL, env.pageURL) && !strings.HasPrefix(r.URL, env.endpoint+"/") {
			t.Errorf("request to %s: want only the page's server and the emulator", r.URL)
		}
		if strings.Contains(r.URL, secret) || strings.Contains(r.Body, secret) {
			t.Errorf("request to %s carries the TOTP secret", r.URL)
		}
	}
	if !slices.ContainsFunc(reqs, func(r request) bool {
		return strings.Contains(r.Body, `"AccessToken"`) || strings.Contains(r.Body, `"Session"`)
	}) {
		t.Error("no request body recorded for the emulator calls: the body watch is not working")
	}

	// Set up for good: the next sign-in asks for the authenticator's code
	// (the next period's, as the one just used is spent).
	p.wantStep(p.signIn(user, pass, "USER_SRP_AUTH"), "CONFIRM_SIGN_IN_WITH_TOTP_CODE")
	p.wantSignedInAs(p.answer(map[string]string{"code": totpCode(t, secret, time.Now().Add(30*time.Second))}), "nora")
}

func TestEmailMFASetup(t *testing.T) {
	user, pass := demoUser(t, "oscar")
	p := openPage(t)
	p.usePool(poolMFAOn)
	p.wantStep(p.signIn(user, pass, "USER_SRP_AUTH"), "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION")
	if got := p.choices(); !slices.Contains(got, "EMAIL") {
		t.Fatalf("MFA setup choices = %v; want EMAIL among them", got)
	}
	p.wantStep(p.choose("EMAIL"), "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP")
	p.wantStep(p.answer(map[string]string{"email": "oscar@example.com"}), "CONFIRM_SIGN_IN_WITH_EMAIL_CODE")
	if text := p.stepText(); !strings.Contains(text, "by email to o***@e***") {
		t.Errorf("email prompt says %q; want it to say where the code went (o***@e***)", text)
	}
	code, _ := p.outboxCode()
	p.wantSignedInAs(p.answer(map[string]string{"code": code}), "oscar")
	if got := p.claim("#id-claims", "email"); got != "oscar@example.com" {
		t.Errorf("email claim after email setup = %q; want oscar@example.com", got)
	}
}

func TestNewPasswordWithRequiredAttributes(t *testing.T) {
	user, pass := demoUser(t, "nina")
	p := openPage(t)
	p.usePool(poolNewPwd)
	p.wantStep(p.signIn(user, pass, "USER_SRP_AUTH"), "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED")
	if got := p.eval(`[...document.querySelectorAll("#step-fields [data-attribute]")].map((e) => e.dataset.attribute).join(",")`); got != "name" {
		t.Fatalf("new-password form asks for attributes %q; want name", got)
	}
	// A password the policy refuses keeps the prompt open.
	p.wantStep(p.answer(map[string]string{"newPassword": "short", "attr:name": "Nina Example"}), "error")
	if plain, detail := p.stepError(); !strings.HasPrefix(detail, "InvalidPasswordException: ") {
		t.Errorf("a too-short new password shows %q / %q; want InvalidPasswordException", plain, detail)
	}
	p.wantSignedInAs(p.answer(map[string]string{"newPassword": "Nina-New-Passw0rd!", "attr:name": "Nina Example"}), "nina")
	if got := p.claim("#id-claims", "name"); got != "Nina Example" {
		t.Errorf("name claim = %q; want the name given in the form", got)
	}
	p.wantSignedInAs(p.signIn(user, "Nina-New-Passw0rd!", "USER_SRP_AUTH"), "nina")
}

// TestNewPasswordRequiredPrompt signs in a user an administrator created with
// a temporary password: the page prompts for a new one, and the answer
// completes the sign-in.
func TestNewPasswordRequiredPrompt(t *testing.T) {
	adminCall(t, "AdminCreateUser", map[string]any{
		"UserPoolId":        env.cfg.UserPoolID,
		"Username":          "newbie",
		"TemporaryPassword": "Temp-Passw0rd!",
		"MessageAction":     "SUPPRESS",
		"UserAttributes":    []map[string]string{{"Name": "email", "Value": "newbie@example.com"}},
	})
	p := openPage(t)
	p.wantStep(p.signIn("newbie", "Temp-Passw0rd!", "USER_SRP_AUTH"), "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED")
	p.wantSignedInAs(p.answer(map[string]string{"newPassword": "Brand-New-Passw0rd!"}), "newbie")

	// The new password is now the password; the temporary one is not.
	p.wantSignedInAs(p.signIn("newbie", "Brand-New-Passw0rd!", "USER_SRP_AUTH"), "newbie")
	if state := p.signIn("newbie", "Temp-Passw0rd!", "USER_SRP_AUTH"); state != "error" {
		t.Errorf("signIn with the temporary password after the change: outcome = %q; want error", state)
	}
}

var sumQuestion = regexp.MustCompile(`^What is (\d) \+ (\d)\?$`)

// sumAnswer reads the demo trigger's question off the page and answers it.
func (p *page) sumAnswer() (right, wrong string) {
	p.t.Helper()
	q := p.eval(`document.querySelector('#custom-info dd[data-key="question"]')?.textContent ?? ""`)
	m := sumQuestion.FindStringSubmatch(q)
	if m == nil {
		p.t.Fatalf("custom challenge question = %q; want the demo trigger's sum", q)
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	return strconv.Itoa(a + b), strconv.Itoa(a + b + 1)
}

func TestCustomChallenge(t *testing.T) {
	user, pass := demoUser(t, "carol")
	for _, tc := range []struct{ flow, password string }{
		{"CUSTOM_WITH_SRP", pass},
		{"CUSTOM_WITHOUT_SRP", ""},
	} {
		t.Run(tc.flow, func(t *testing.T) {
			p := openPage(t)
			p.wantStep(p.signIn(user, tc.password, tc.flow), "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE")
			_, wrong := p.sumAnswer()
			// A wrong answer: the demo's define trigger asks again (a new sum).
			p.wantStep(p.answer(map[string]string{"answer": wrong}), "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE")
			right, _ := p.sumAnswer()
			p.wantSignedInAs(p.answer(map[string]string{"answer": right}), "carol")
		})
	}
	t.Run("three wrong answers fail the sign-in", func(t *testing.T) {
		p := openPage(t)
		p.wantStep(p.signIn(user, "", "CUSTOM_WITHOUT_SRP"), "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE")
		for i := 1; i < 3; i++ {
			_, wrong := p.sumAnswer()
			p.wantStep(p.answer(map[string]string{"answer": wrong}), "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE")
		}
		_, wrong := p.sumAnswer()
		if got := p.answer(map[string]string{"answer": wrong}); got != "error" {
			t.Fatalf("third wrong answer: outcome %q; want error", got)
		}
		// The sign-in is over: no prompt invites a fourth answer.
		if step := p.step(); step != "" {
			t.Errorf("after the sign-in failed the prompt %q is still open; want it closed", step)
		}
		if got := p.resultError(); !strings.Contains(got, "NotAuthorizedException: ") {
			t.Errorf("third wrong answer shows %q; want NotAuthorizedException", got)
		}
	})
	t.Run("wrong password before the challenge", func(t *testing.T) {
		p := openPage(t)
		if got := p.signIn(user, pass+"x", "CUSTOM_WITH_SRP"); got != "error" {
			t.Fatalf("CUSTOM_WITH_SRP with a wrong password: outcome %q; want error", got)
		}
		if got := p.resultError(); !strings.Contains(got, "NotAuthorizedException") {
			t.Errorf("error shown = %q; want NotAuthorizedException", got)
		}
	})
}

func TestUserAuthFirstFactors(t *testing.T) {
	user, pass := demoUser(t, "pat")
	code := func(p *page) string { c, _ := p.outboxCode(); return c }
	t.Run("selection offers the pool's factors", func(t *testing.T) {
		p := openPage(t)
		p.wantStep(p.signIn(user, "", "USER_AUTH"), "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION")
		got := p.choices()
		for _, want := range []string{"PASSWORD", "EMAIL_OTP", "SMS_OTP"} {
			if !slices.Contains(got, want) {
				t.Errorf("first-factor choices = %v; want %s among them", got, want)
			}
		}
		if checked := p.eval(`document.querySelector("#step-form input[type=radio]:checked")?.value ?? ""`); checked != "PASSWORD_SRP" {
			t.Errorf("preselected first factor = %q; want PASSWORD_SRP (the password stays in the page)", checked)
		}
	})
	for _, choice := range []string{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"} {
		t.Run("select "+choice, func(t *testing.T) {
			p := openPage(t)
			p.wantStep(p.signIn(user, "", "USER_AUTH"), "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION")
			if choice == "PASSWORD_SRP" && !slices.Contains(p.choices(), choice) {
				// The pool's policy lists PASSWORD; Cognito offers PASSWORD_SRP with it.
				t.Fatalf("first-factor choices = %v; want PASSWORD_SRP offered with PASSWORD", p.choices())
			}
			switch choice {
			case "PASSWORD", "PASSWORD_SRP":
				p.wantStep(p.choose(choice), "CONFIRM_SIGN_IN_WITH_PASSWORD")
				p.wantSignedInAs(p.answer(map[string]string{"password": pass}), "pat")
			case "EMAIL_OTP":
				p.wantStep(p.choose(choice), "CONFIRM_SIGN_IN_WITH_EMAIL_CODE")
				p.wantSignedInAs(p.answer(map[string]string{"code": code(p)}), "pat")
			case "SMS_OTP":
				p.wantStep(p.choose(choice), "CONFIRM_SIGN_IN_WITH_SMS_CODE")
				p.wantSignedInAs(p.answer(map[string]string{"code": code(p)}), "pat")
			}
		})
	}
	for _, preferred := range []string{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"} {
		t.Run("preferred "+preferred, func(t *testing.T) {
			p := openPage(t)
			switch preferred {
			case "PASSWORD", "PASSWORD_SRP":
				p.wantSignedInAs(p.signInPreferring(user, pass, "USER_AUTH", preferred), "pat")
			case "EMAIL_OTP":
				p.wantStep(p.signInPreferring(user, "", "USER_AUTH", preferred), "CONFIRM_SIGN_IN_WITH_EMAIL_CODE")
				if text := p.stepText(); !strings.Contains(text, "p***@e***") {
					t.Errorf("email prompt says %q; want where the code went", text)
				}
				p.wantSignedInAs(p.answer(map[string]string{"code": code(p)}), "pat")
			case "SMS_OTP":
				p.wantStep(p.signInPreferring(user, "", "USER_AUTH", preferred), "CONFIRM_SIGN_IN_WITH_SMS_CODE")
				if text := p.stepText(); !strings.Contains(text, "+*******0102") {
					t.Errorf("SMS prompt says %q; want where the code went", text)
				}
				p.wantSignedInAs(p.answer(map[string]string{"code": code(p)}), "pat")
			}
		})
	}
}

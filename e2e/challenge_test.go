package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
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
	if state := p.signIn("newbie", "Temp-Passw0rd!", "USER_SRP_AUTH"); state != "challenge" {
		t.Fatalf("signIn(newbie) state = %q; want challenge", state)
	}
	if got := p.eval(`document.getElementById("challenge-card").dataset.challenge`); got != "NEW_PASSWORD_REQUIRED" {
		t.Fatalf("challenge shown = %q; want NEW_PASSWORD_REQUIRED", got)
	}
	p.do(
		chromedp.SetValue(chromedp.CSS(`#challenge-fields input[name="NEW_PASSWORD"]`), "Brand-New-Passw0rd!"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("result-card").removeAttribute("data-state")`),
		chromedp.Click(chromedp.ID("challenge-submit")),
		chromedp.WaitReady(chromedp.CSS("#result-card[data-state]")),
	)
	if state := p.eval(`document.getElementById("result-card").dataset.state`); state != "tokens" {
		t.Fatalf("after NEW_PASSWORD, state = %q; want tokens (error: %s)", state, p.text("#error"))
	}
	if got := p.claim("#id-claims", "cognito:username"); got != "newbie" {
		t.Errorf("cognito:username = %q; want newbie", got)
	}

	// The new password is now the password; the temporary one is not.
	if state := p.signIn("newbie", "Brand-New-Passw0rd!", "USER_SRP_AUTH"); state != "tokens" {
		t.Errorf("signIn with the new password: state = %q; want tokens (error: %s)", state, p.text("#error"))
	}
	if state := p.signIn("newbie", "Temp-Passw0rd!", "USER_SRP_AUTH"); state != "error" {
		t.Errorf("signIn with the temporary password after the change: state = %q; want error", state)
	}
}

//go:build !(js && wasm)

package signin

import (
	"errors"
	"testing"
)

// TestWebAuthnStep: WEB_AUTHN gives the step the shim answers, with the
// request options as they came; without them it is the server's error.
func TestWebAuthnStep(t *testing.T) {
	opts := `{"challenge":"AAEC","rpId":"localhost"}`
	ns, err := nextStep(&reply{challenge: ChallengeWebAuthn, params: map[string]string{"CREDENTIAL_REQUEST_OPTIONS": opts}})
	if err != nil || ns.SignInStep != StepWebAuthn || ns.CredentialRequestOptions != opts {
		t.Errorf("nextStep(WEB_AUTHN) = %+v, %v; want %s with the options", ns, err, StepWebAuthn)
	}
	_, err = nextStep(&reply{challenge: ChallengeWebAuthn, params: map[string]string{}})
	var se *ServerError
	if !errors.As(err, &se) || se.Challenge != ChallengeWebAuthn {
		t.Errorf("nextStep(WEB_AUTHN without options) = %v; want a ServerError", err)
	}
}

// TestWebAuthnAnswer: the credential goes as CREDENTIAL, and only JSON
// object text is taken.
func TestWebAuthnAnswer(t *testing.T) {
	answers := map[string]string{}
	if err := webAuthnAnswer(answers, `{"id":"x"}`); err != nil || answers["CREDENTIAL"] != `{"id":"x"}` {
		t.Errorf("webAuthnAnswer = %v, %v; want CREDENTIAL set", answers, err)
	}
	for _, bad := range []string{"123456", "{", `["x"]`, ""} {
		var pe *ParamError
		if err := webAuthnAnswer(map[string]string{}, bad); !errors.As(err, &pe) || pe.Field != "ChallengeResponse" {
			t.Errorf("webAuthnAnswer(%q) = %v; want a ParamError on ChallengeResponse", bad, err)
		}
	}
}

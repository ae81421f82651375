package signin

// Passkeys (WEB_AUTHN as USER_AUTH's first factor). The engine only carries
// JSON: the challenge's CREDENTIAL_REQUEST_OPTIONS go out in the NextStep,
// and the credential comes back as ConfirmInput.ChallengeResponse, sent as
// CREDENTIAL. navigator.credentials.get and the conversion between
// Cognito's base64url JSON and the browser's ArrayBuffers are JavaScript's
// (the shim's), as they are in Amplify.

const (
	// ChallengeWebAuthn asks for a passkey assertion.
	ChallengeWebAuthn = "WEB_AUTHN"
	// StepWebAuthn is the step the shim answers itself with
	// navigator.credentials.get; Amplify never shows it to the app. Its
	// NextStep carries CredentialRequestOptions.
	StepWebAuthn = "CONTINUE_SIGN_IN_WITH_WEB_AUTHN"
)

// webAuthnStep fills ns for a WEB_AUTHN challenge.
func webAuthnStep(ns *NextStep, params map[string]string) error {
	opts := params["CREDENTIAL_REQUEST_OPTIONS"]
	if opts == "" {
		return &ServerError{Challenge: ChallengeWebAuthn, Err: errString("CREDENTIAL_REQUEST_OPTIONS is missing")}
	}
	ns.SignInStep, ns.CredentialRequestOptions = StepWebAuthn, opts
	return nil
}

// webAuthnAnswer puts the credential JSON in answers. It must be a JSON
// object; the server checks the rest.
func webAuthnAnswer(answers map[string]string, credential string) error {
	if len(credential) < 2 || credential[0] != '{' || credential[len(credential)-1] != '}' {
		return paramErr("ChallengeResponse", "must be the passkey credential as JSON text (an object) to answer WEB_AUTHN")
	}
	answers["CREDENTIAL"] = credential
	return nil
}

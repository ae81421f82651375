package emulator

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"slices"
)

// WEB_AUTHN: a passkey as USER_AUTH's first factor. The challenge carries
// CREDENTIAL_REQUEST_OPTIONS (PublicKeyCredentialRequestOptions as a JSON
// string, binary members base64url); the answer is CREDENTIAL, the JSON of
// the PublicKeyCredential navigator.credentials.get gave. Like the emailed
// and texted codes, a passkey is not followed by MFA.

// webAuthnState is what a WEB_AUTHN challenge was issued with.
type webAuthnState struct {
	challenge    string // base64url
	rpID         string
	uvRequired   bool
	userNotFound bool
}

func init() {
	challenges["WEB_AUTHN"] = challenge{required: []string{"USERNAME", "CREDENTIAL"}, answer: answerWebAuthn}
}

// webAuthnChallenge asks for an assertion by one of u's passkeys. An
// unknown user (PreventUserExistenceErrors) is offered one made-up
// credential id, stable per name, so the options look like a real user's.
func (e *Emulator) webAuthnChallenge(sc *signInContext, st authState, u *userRecord) *authResponse {
	cfg := sc.pool.WebAuthn
	state := &webAuthnState{challenge: newOpaque(32), rpID: webAuthnRPID(sc.pool), uvRequired: cfg.uvRequired(), userNotFound: u == nil}
	var allow []credentialDescriptor
	if u != nil {
		allow = descriptors(u.WebAuthn)
	} else {
		mac := hmac.New(sha256.New, sc.pool.Secret)
		mac.Write([]byte("webauthn credential\x00" + sc.pool.fold(st.username)))
		allow = []credentialDescriptor{{Type: "public-key", ID: b64url(mac.Sum(nil)[:16]), Transports: []string{"internal"}}}
	}
	opts := requestOptions{Challenge: state.challenge, Timeout: webAuthnTimeout, RPID: state.rpID,
		AllowCredentials: allow, UserVerification: cfg.userVerification()}
	return e.challenge(sc, st, "WEB_AUTHN", state, "", map[string]string{"CREDENTIAL_REQUEST_OPTIONS": encodeOptions(opts)})
}

// answerWebAuthn verifies the assertion against the user's stored passkey
// and records its new sign count. Any failed check ends the session: its
// challenge is single use.
func answerWebAuthn(e *Emulator, ctx context.Context, a *answer) (*authResponse, error) {
	state, ok := a.session.state.(*webAuthnState)
	if !ok {
		return nil, errInvalidSession()
	}
	asr, err := parseAssertion(a.responses["CREDENTIAL"])
	if err != nil {
		return nil, retry(err) // not an assertion at all: the client may answer again
	}
	if state.userNotFound {
		return nil, errBadCredentials()
	}
	st := a.session.authState
	u, err := e.activeSessionUser(a.pool, st)
	if err != nil {
		return nil, err
	}
	id := asr.credentialID()
	i := slices.IndexFunc(u.WebAuthn, func(c webAuthnCredential) bool { return c.ID == id })
	if i < 0 {
		return nil, errNotAuthorized("The passkey is not registered for this user.")
	}
	if h := asr.parsed.Response.UserHandle; len(h) > 0 && !bytes.Equal(h, []byte(u.Sub)) {
		return nil, errNotAuthorized("The passkey's user handle is not this user's.")
	}
	count, err := asr.verify(&u.WebAuthn[i], state.challenge, state.rpID, state.uvRequired)
	if err != nil {
		return nil, err
	}
	err = e.updateSessionUser(a.pool.ID, st, func(t *txn, p *poolRecord, cur *userRecord) error {
		j := slices.IndexFunc(cur.WebAuthn, func(c webAuthnCredential) bool { return c.ID == id })
		if j < 0 { // deleted meanwhile
			return errNotAuthorized("The passkey is not registered for this user.")
		}
		if count <= cur.WebAuthn[j].SignCount && count != 0 { // another sign-in counted past it meanwhile
			return errNotAuthorized("The passkey's signature counter did not increase; the authenticator may be cloned.")
		}
		old := cur.clone()
		cur.WebAuthn[j].SignCount = count
		return t.putUser(p, old, cur)
	})
	if err != nil {
		return nil, err
	}
	return e.otpFirstFactorDone(ctx, a.signInContext, st)
}

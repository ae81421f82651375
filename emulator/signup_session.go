package emulator

import "context"

// Sign-in straight after sign-up, as Cognito has it for USER_AUTH clients
// (what Amplify's autoSignIn uses with USER_AUTH): SignUp answers a
// Session; ConfirmSignUp may carry it back and answers a new one; and
// InitiateAuth / AdminInitiateAuth with AuthFlow USER_AUTH, AuthParameters
// USERNAME and that Session sign the confirmed user in without another
// factor: the confirmation code was the first factor. Like the other
// passwordless first factors (flow_user_auth.go), it is not followed by
// MFA. Each Session is used once, bound to its client and user, and lives
// as long as a challenge session (the client's AuthSessionValidity).
// Clients without ALLOW_USER_AUTH get no Session, as in Cognito.

// Session kinds: kept in the challenge-session store under names that are
// never challenge names, so RespondToAuthChallenge cannot answer them.
const (
	sessionSignedUp  = "signed up"
	sessionConfirmed = "confirmed sign-up"
)

// signUpSession issues a Session of kind for u, or "" when the client
// does not allow USER_AUTH.
func (e *Emulator) signUpSession(sc *signInContext, kind string, u *userRecord) string {
	if !allowsUserAuth(sc.client) {
		return ""
	}
	st := newAuthState(sc, "USER_AUTH")
	st.username, st.verifier = u.Username, u.Verifier
	return e.challenge(sc, st, kind, nil, "", nil).Session
}

// claimSignUpSession takes the Session id of kind issued to u through
// sc's client; anything else is "Invalid session for the user.". The
// caller releases it if the operation does not go through.
func (e *Emulator) claimSignUpSession(sc *signInContext, kind, id string, u *userRecord) (*session, error) {
	ss := e.sessions.claim(id, "", e.now())
	if ss == nil {
		return nil, errInvalidSession()
	}
	if ss.challenge != kind || ss.clientID != sc.client.ID || ss.poolID != sc.pool.ID || !ss.isFor(u) {
		e.sessions.release(ss, false, e.now()) // not for this: it stays its owner's
		return nil, errInvalidSession()
	}
	return ss, nil
}

// signInWithSignUpSession ends a USER_AUTH InitiateAuth that carries
// ConfirmSignUp's Session for u (nil: an unknown name, which holds none).
func (e *Emulator) signInWithSignUpSession(ctx context.Context, sc *signInContext, st authState, u *userRecord) (*authResponse, error) {
	if u == nil {
		return nil, errInvalidSession()
	}
	if _, err := e.claimSignUpSession(sc, sessionConfirmed, sc.signUpSession, u); err != nil {
		return nil, err
	}
	st.done |= stepMFASetup | stepMFA
	return e.firstFactorDone(ctx, sc, st, u)
}

package emulator

import "context"

// MFA_SETUP: a user of an ON pool with no factor sets one up before
// signing in. For TOTP the client calls AssociateSoftwareToken and
// VerifySoftwareToken with the Session (op_software_token.go), each
// answering with a new Session, and answers MFA_SETUP with the last one.
// For email it answers MFA_SETUP with EMAIL=<address>, gets EMAIL_OTP with
// a code sent there, and answering that enables email MFA.

// mfaSetupState is MFA_SETUP's own state, carried across the software
// token calls.
type mfaSetupState struct {
	secret   string // from AssociateSoftwareToken
	verified bool   // VerifySoftwareToken accepted a code for it
	step     int64  // the TOTP step of that code
	name     string // its FriendlyDeviceName
}

func answerMFASetup(e *Emulator, ctx context.Context, a *answer) (*authResponse, error) {
	state, ok := a.session.state.(*mfaSetupState)
	if !ok {
		return nil, errInvalidSession()
	}
	st := a.session.authState
	if state.verified {
		err := e.updateSessionUser(a.pool.ID, st, func(t *txn, p *poolRecord, u *userRecord) error {
			old := *u
			u.MFA.TOTPSecret, u.MFA.PendingTOTPSecret, u.MFA.TOTP = state.secret, "", true
			u.MFA.LastTOTPStep, u.MFA.TOTPName = state.step, state.name
			if u.MFA.Preferred == "" {
				u.MFA.Preferred = mfaTOTP
			}
			u.Modified = e.now().UTC()
			return t.putUser(p, &old, u)
		})
		if err != nil {
			return nil, err
		}
		st.done |= stepMFASetup | stepMFA
		return e.next(ctx, a.signInContext, st)
	}
	addr := a.responses["EMAIL"]
	if addr == "" {
		return nil, retry(errInvalidParam("MFA_SETUP needs a verified software token (VerifySoftwareToken with this Session, then its new Session) or EMAIL."))
	}
	if !a.pool.Mfa.Email {
		return nil, retry(errInvalidParam("Email MFA is not enabled for this user pool."))
	}
	if !validEmail(addr) || len(addr) > maxAttrValueLen {
		return nil, retry(errInvalidParam("Invalid email address format."))
	}
	u, err := e.sessionUser(a.pool, st)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errInvalidSession()
	}
	state2 := &codeState{code: newCode(), destination: addr, setupEmail: addr}
	if err := e.sendAuthCode(ctx, a.signInContext, u, "EMAIL", addr, state2.code); err != nil {
		return nil, err
	}
	return e.challenge(a.signInContext, st, mfaEmail, state2, "", map[string]string{
		"USER_ID_FOR_SRP":               u.Username,
		"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
		"CODE_DELIVERY_DESTINATION":     maskEmail(addr),
	}), nil
}

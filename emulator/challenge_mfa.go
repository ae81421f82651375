package emulator

import (
	"context"
	"slices"
)

// The MFA steps of next: MFA_SETUP (owed in an ON pool by a user with no
// factor), then SELECT_MFA_TYPE or the factor's own challenge (SMS_MFA,
// SOFTWARE_TOKEN_MFA, EMAIL_OTP). A wrong code keeps the session for
// another try (at most maxWrongCodes) and counts towards the user's
// lockout, as a wrong password does.

// codeState is SMS_MFA's and EMAIL_OTP's own state: the code that was sent.
type codeState struct {
	code        string
	destination string
	// setupEmail is set when the code confirms an address given in
	// MFA_SETUP: answering it enables email MFA with that address.
	setupEmail string
}

func errCodeMismatch() error {
	return errf("CodeMismatchException", "Invalid code or auth state for the user.")
}

func errAttemptsExceeded() error { return errNotAuthorized("Password attempts exceeded") }

// codeLockKey counts wrong codes apart from wrong passwords, so that a
// right password does not wipe out wrong codes: both lock the user out.
func codeLockKey(poolID, username string) string { return lockKey(poolID, username) + "\x00codes" }

// oweMFASetup asks a user of an ON pool who has no factor to set one up.
func oweMFASetup(e *Emulator, _ context.Context, sc *signInContext, st authState, u *userRecord) (*authResponse, error) {
	c := chooseMFA(sc.pool, u)
	if len(c.setup) == 0 {
		return nil, nil
	}
	return e.challenge(sc, st, "MFA_SETUP", &mfaSetupState{}, "", map[string]string{
		"MFAS_CAN_SETUP": jsonList(c.setup), "USER_ID_FOR_SRP": u.Username}), nil
}

// oweMFA asks for the user's factor, or for a choice among several.
func oweMFA(e *Emulator, ctx context.Context, sc *signInContext, st authState, u *userRecord) (*authResponse, error) {
	c := chooseMFA(sc.pool, u)
	switch {
	case c.factor != "":
		return e.mfaChallenge(ctx, sc, st, u, c.factor)
	case len(c.choose) > 0:
		return e.challenge(sc, st, "SELECT_MFA_TYPE", nil, "", map[string]string{
			"MFAS_CAN_CHOOSE": jsonList(c.choose), "USER_ID_FOR_SRP": u.Username}), nil
	}
	return nil, nil
}

// mfaChallenge issues one factor's challenge, sending the code for SMS and
// email to the outbox.
func (e *Emulator) mfaChallenge(ctx context.Context, sc *signInContext, st authState, u *userRecord, factor string) (*authResponse, error) {
	params := map[string]string{"USER_ID_FOR_SRP": u.Username}
	if factor == mfaTOTP {
		if u.MFA.TOTPName != "" {
			params["FRIENDLY_DEVICE_NAME"] = u.MFA.TOTPName
		}
		return e.challenge(sc, st, mfaTOTP, nil, "", params), nil
	}
	medium, dest, masked := "SMS", u.attr("phone_number"), ""
	if factor == mfaEmail {
		medium, dest = "EMAIL", u.attr("email")
		masked = maskEmail(dest)
	} else {
		masked = maskPhone(dest)
	}
	state := &codeState{code: newCode(), destination: dest}
	if err := e.sendAuthCode(ctx, sc, u, medium, dest, state.code); err != nil {
		return nil, err
	}
	params["CODE_DELIVERY_DELIVERY_MEDIUM"] = medium
	params["CODE_DELIVERY_DESTINATION"] = masked
	return e.challenge(sc, st, factor, state, "", params), nil
}

// answerSentCode checks SMS_MFA_CODE or EMAIL_OTP_CODE against the code sent.
func answerSentCode(key string) answerFunc {
	return func(e *Emulator, ctx context.Context, a *answer) (*authResponse, error) {
		state, ok := a.session.state.(*codeState)
		if !ok {
			return nil, errInvalidSession()
		}
		st := a.session.authState
		lk := codeLockKey(a.pool.ID, st.username)
		if e.lockout.locked(lk, e.now()) {
			return nil, errAttemptsExceeded()
		}
		if !codesEqual(state.code, a.responses[key]) {
			e.lockout.fail(lk, e.now())
			return nil, wrongCode(errCodeMismatch())
		}
		e.lockout.succeed(lk)
		if st.done&stepFirstFactor == 0 { // USER_AUTH's passwordless first factor
			return e.otpFirstFactorDone(ctx, a.signInContext, st)
		}
		if state.setupEmail != "" {
			if err := e.enableEmailMFA(a.pool, st, state.setupEmail); err != nil {
				return nil, err
			}
		}
		if a.session.challenge == mfaSMS {
			// The code reached the phone: Cognito marks the number verified.
			if err := e.markPhoneVerified(a.pool, st, state.destination); err != nil {
				return nil, err
			}
		}
		st.done |= stepMFASetup | stepMFA
		return e.next(ctx, a.signInContext, st)
	}
}

// enableEmailMFA records an address confirmed in MFA_SETUP: the user's
// email, verified, with email MFA enabled (and preferred if none was).
func (e *Emulator) enableEmailMFA(pool *poolRecord, st authState, addr string) error {
	return e.updateSessionUser(pool.ID, st, func(t *txn, p *poolRecord, u *userRecord) error {
		old := *u
		old.Attributes = slices.Clone(u.Attributes)
		u.setAttr("email", addr)
		u.setAttr("email_verified", "true")
		u.MFA.Email = true
		if u.MFA.Preferred == "" {
			u.MFA.Preferred = mfaEmail
		}
		u.Modified = e.now().UTC()
		if err := t.putUser(p, &old, u); err != nil {
			if _, taken := err.(errIndexTaken); taken {
				return errf("AliasExistsException", "An account with the given email already exists.")
			}
			return err
		}
		return nil
	})
}

// markPhoneVerified sets phone_number_verified once an SMS code sent to the
// user's number has come back.
func (e *Emulator) markPhoneVerified(pool *poolRecord, st authState, number string) error {
	return e.store.update(func(t *txn) error {
		p, err := mustPool(t, pool.ID)
		if err != nil {
			return err
		}
		u, err := t.user(p.ID, p.fold(st.username))
		if err != nil || u == nil || u.attr("phone_number") != number || u.attr("phone_number_verified") == "true" {
			return err
		}
		old := *u
		old.Attributes = slices.Clone(u.Attributes)
		u.setAttr("phone_number_verified", "true")
		u.Modified = e.now().UTC()
		if err := t.putUser(p, &old, u); err != nil {
			if _, taken := err.(errIndexTaken); taken {
				return nil // another user holds the number as a verified alias: leave this one as it is
			}
			return err
		}
		return nil
	})
}

// answerTOTP checks SOFTWARE_TOKEN_MFA_CODE against the user's
// authenticator secret, refusing a code already used.
func answerTOTP(e *Emulator, ctx context.Context, a *answer) (*authResponse, error) {
	st := a.session.authState
	lk := codeLockKey(a.pool.ID, st.username)
	if e.lockout.locked(lk, e.now()) {
		return nil, errAttemptsExceeded()
	}
	accepted := false
	err := e.updateSessionUser(a.pool.ID, st, func(t *txn, p *poolRecord, u *userRecord) error {
		if u.MFA.TOTPSecret == "" {
			return errInvalidSession()
		}
		step, ok := checkTOTP(u.MFA.TOTPSecret, a.responses["SOFTWARE_TOKEN_MFA_CODE"], e.now(), u.MFA.LastTOTPStep)
		if !ok {
			return nil
		}
		accepted = true
		old := *u
		u.MFA.LastTOTPStep = step
		return t.putUser(p, &old, u)
	})
	if err != nil {
		return nil, err
	}
	if !accepted {
		e.lockout.fail(lk, e.now())
		return nil, wrongCode(errCodeMismatch())
	}
	e.lockout.succeed(lk)
	st.done |= stepMFASetup | stepMFA
	return e.next(ctx, a.signInContext, st)
}

// answerSelectMFAType goes on to the factor the user chose.
func answerSelectMFAType(e *Emulator, ctx context.Context, a *answer) (*authResponse, error) {
	st := a.session.authState
	u, err := e.sessionUser(a.pool, st)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errInvalidSession()
	}
	choice := a.responses["ANSWER"]
	if !slices.Contains(enabledMFA(a.pool, u), choice) {
		return nil, retry(errInvalidParam("Invalid MFA type %q: choose one of %s.", truncateRunes(choice, 32), jsonList(enabledMFA(a.pool, u))))
	}
	return e.mfaChallenge(ctx, a.signInContext, st, u, choice)
}

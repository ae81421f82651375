package emulator

import (
	"context"
	"crypto/subtle"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// PASSWORD_VERIFIER: the SRP proof (M1) over the session key, the pool
// name, the user, the secret block and the TIMESTAMP. A wrong proof
// consumes the session, as in Cognito: SRP starts over.
func answerPasswordVerifier(e *Emulator, ctx context.Context, a *answer) (*authResponse, error) {
	state, ok := a.session.state.(*srpState)
	if !ok {
		return nil, errInvalidSession()
	}
	block := a.responses["PASSWORD_CLAIM_SECRET_BLOCK"]
	if subtle.ConstantTimeCompare([]byte(state.secretBlock), []byte(block)) != 1 {
		return nil, errBadCredentials()
	}
	st := a.session.authState
	key := lockKey(a.pool.ID, st.username)
	if state.simulated {
		// An unknown name under PreventUserExistenceErrors: the same checks
		// and the same lockout as for a user, and always refused.
		key = unknownLockKey(a.pool, st.username)
	}
	if e.lockout.locked(key, e.now()) {
		return nil, errNotAuthorized("Password attempts exceeded")
	}
	poolName, err := srp.PoolName(a.pool.ID)
	if err != nil {
		return nil, err
	}
	ts, err := srp.ParseTimestamp(a.responses["TIMESTAMP"])
	skewOK := err == nil && ts.Sub(e.now()) <= timestampSkew && e.now().Sub(ts) <= timestampSkew
	proved := srp.VerifyClaim(state.key, poolName, st.username, block, a.responses["TIMESTAMP"], a.responses["PASSWORD_CLAIM_SIGNATURE"])
	if !skewOK || !proved || state.simulated {
		e.lockout.fail(key, e.now())
		if !state.simulated {
			if u, err := e.sessionUser(a.pool, st); err == nil && u != nil {
				e.recordSignIn(ctx, a.pool, u, "Fail", true)
			}
		}
		return nil, errBadCredentials()
	}
	u, err := e.activeSessionUser(a.pool, st)
	if err != nil {
		return nil, err
	}
	if st.flow == "CUSTOM_AUTH" {
		return e.customAfterPassword(ctx, a.signInContext, st, u)
	}
	return e.firstFactorDone(ctx, a.signInContext, st, u)
}

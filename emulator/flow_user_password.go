package emulator

import (
	"context"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// USER_PASSWORD_AUTH: the password itself, checked against the stored
// verifier.

func startUserPassword(e *Emulator, ctx context.Context, sc *signInContext, params map[string]string) (*authResponse, error) {
	if err := requireParams(params, "USERNAME", "PASSWORD"); err != nil {
		return nil, err
	}
	typed := params["USERNAME"]
	if err := checkSecretHash(sc.client, typed, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	return e.passwordFirstFactor(ctx, sc, newAuthState(sc, "USER_PASSWORD_AUTH"), typed, params["PASSWORD"])
}

// passwordFirstFactor checks a plain password as the first factor; the
// admin password flow and USER_AUTH's PASSWORD share it.
func (e *Emulator) passwordFirstFactor(ctx context.Context, sc *signInContext, st authState, typed, password string) (*authResponse, error) {
	p := sc.pool
	u, err := e.findUser(p, typed)
	if err != nil {
		return nil, err
	}
	if u == nil {
		if u, err = e.migrateUser(ctx, sc, typed, password, "Authentication", sc.clientMetadata); err != nil {
			return nil, err
		}
	}
	if u == nil {
		if sc.client.PreventUserExistenceErrors != "ENABLED" {
			return nil, errUserNotFound()
		}
		// Do what a wrong password costs a user (the verifier computed from
		// the password), and count the failure the same way, so that
		// neither time nor lockout tells which names exist.
		key := unknownLockKey(p, typed)
		if e.lockout.locked(key, e.now()) {
			return nil, errAttemptsExceeded()
		}
		_ = passwordMatches(p, &userRecord{Username: typed, Salt: srp.Hex(simulatedSalt(p, typed)), Verifier: "0"}, password)
		e.lockout.fail(key, e.now())
		return nil, errBadCredentials()
	}
	if err := e.checkUsable(p, u); err != nil {
		return nil, err
	}
	if !passwordMatches(p, u, password) {
		e.passwordFailed(ctx, p, u)
		return nil, errBadCredentials()
	}
	return e.firstFactorDone(ctx, sc, st, u)
}

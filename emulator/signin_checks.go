package emulator

import (
	"crypto/hmac"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// Bounds on what sign-in requests may carry, beyond the body limit.
const (
	maxAuthParams   = 32
	maxParamValue   = 8 << 10
	secretBlockSize = 512
	sessionBytes    = 96
	// timestampSkew is how far a PASSWORD_VERIFIER TIMESTAMP may be from now.
	timestampSkew = 5 * time.Minute
)

var authFlows = []string{"USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH",
	"USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH", "USER_AUTH"}

var challengeNames = []string{"SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP",
	"PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER",
	"ADMIN_NO_SRP_AUTH", "NEW_PASSWORD_REQUIRED", "SMS_OTP", "PASSWORD", "WEB_AUTHN", "PASSWORD_SRP"}

func checkParams(field string, m map[string]string) error {
	if len(m) > maxAuthParams {
		return errInvalidParam("Too many entries in %s (at most %d).", field, maxAuthParams)
	}
	for k, v := range m {
		if len(k) > 128 || len(v) > maxParamValue {
			return errInvalidParam("An entry in %s is too long.", field)
		}
	}
	return nil
}

// requireParams answers Cognito's "Missing required parameter" for the first
// of keys that is absent or empty, in the order given.
func requireParams(m map[string]string, keys ...string) error {
	for _, k := range keys {
		if m[k] == "" {
			return errMissingParam(k)
		}
	}
	return nil
}

func (e *Emulator) loadClient(clientID string) (*signInContext, error) {
	var sc signInContext
	err := e.store.view(func(t *txn) error {
		c, err := t.client(clientID)
		if err != nil {
			return err
		}
		if c == nil {
			return errClientNotFound(clientID)
		}
		p, err := t.pool(c.PoolID)
		if err != nil {
			return err
		}
		if p == nil {
			return errClientNotFound(clientID)
		}
		sc = signInContext{pool: p, client: c}
		return nil
	})
	return &sc, err
}

// checkSecretHash enforces SECRET_HASH for clients with a secret, comparing
// in constant time.
func checkSecretHash(c *clientRecord, username, got string) error {
	if c.Secret == "" {
		return nil
	}
	if got == "" {
		return errNotAuthorized("Client " + c.ID + " is configured for secret but secret was not received")
	}
	want := srp.SecretHash(username, c.ID, c.Secret)
	if !hmac.Equal([]byte(want), []byte(got)) {
		return errNotAuthorized("Unable to verify secret hash for client " + c.ID)
	}
	return nil
}

// findUser resolves a typed name to a user (nil if none).
func (e *Emulator) findUser(p *poolRecord, name string) (*userRecord, error) {
	var u *userRecord
	err := e.store.view(func(t *txn) (err error) {
		u, err = t.resolveUser(p, name)
		return err
	})
	return u, err
}

// isFor reports whether u is still the user this sign-in began for: not
// deleted, renamed or given a new password since (what was proved, or the
// session was issued, for the verifier of that moment).
func (st authState) isFor(u *userRecord) bool {
	return u != nil && u.Username == st.username && u.Verifier == st.verifier
}

// sessionUser reloads the user a sign-in is for; nil when !st.isFor it.
func (e *Emulator) sessionUser(p *poolRecord, st authState) (*userRecord, error) {
	u, err := e.findUser(p, st.username)
	if err != nil || !st.isFor(u) {
		return nil, err
	}
	return u, nil
}

// activeSessionUser is sessionUser for the steps that let a sign-in go on:
// a user gone, changed or disabled since it began fails it.
func (e *Emulator) activeSessionUser(p *poolRecord, st authState) (*userRecord, error) {
	u, err := e.sessionUser(p, st)
	switch {
	case err != nil:
		return nil, err
	case u == nil:
		return nil, errBadCredentials()
	case !u.Enabled:
		return nil, errNotAuthorized("User is disabled.")
	}
	return u, nil
}

// updateSessionUser changes the user a sign-in is for in one transaction;
// one no longer isFor it makes the session invalid.
func (e *Emulator) updateSessionUser(poolID string, st authState, fn func(t *txn, p *poolRecord, u *userRecord) error) error {
	return e.store.update(func(t *txn) error {
		p, err := mustPool(t, poolID)
		if err != nil {
			return err
		}
		u, err := t.user(p.ID, p.fold(st.username))
		if err != nil {
			return err
		}
		if !st.isFor(u) {
			return errInvalidSession()
		}
		return fn(t, p, u)
	})
}

// checkUsable refuses disabled and locked-out users before any password work.
func (e *Emulator) checkUsable(p *poolRecord, u *userRecord) error {
	if !u.Enabled {
		return errNotAuthorized("User is disabled.")
	}
	if e.lockout.locked(lockKey(p.ID, u.Username), e.now()) || e.lockout.locked(codeLockKey(p.ID, u.Username), e.now()) {
		return errNotAuthorized("Password attempts exceeded")
	}
	return nil
}

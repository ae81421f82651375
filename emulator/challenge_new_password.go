package emulator

import (
	"context"
	"encoding/json"
)

// NEW_PASSWORD_REQUIRED: a user whose password is temporary
// (FORCE_CHANGE_PASSWORD) sets a permanent one before signing in.

// oweNewPassword asks for a new password when the user's is temporary.
func oweNewPassword(e *Emulator, _ context.Context, sc *signInContext, st authState, u *userRecord) (*authResponse, error) {
	if u.Status != statusForceChangePassword {
		return nil, nil
	}
	attrs := map[string]string{}
	for _, a := range u.Attributes {
		if a.Name != "sub" {
			attrs[a.Name] = a.Value
		}
	}
	ab, _ := json.Marshal(attrs)
	return e.challenge(sc, st, "NEW_PASSWORD_REQUIRED", nil, "", map[string]string{
		"USER_ID_FOR_SRP": u.Username, "requiredAttributes": "[]", "userAttributes": string(ab)}), nil
}

// answerNewPassword sets the permanent password and walks on. A password
// the policy refuses keeps the session, so the user can try another.
func answerNewPassword(e *Emulator, ctx context.Context, a *answer) (*authResponse, error) {
	pw := a.responses["NEW_PASSWORD"]
	var v validation
	v.password("NEW_PASSWORD", pw, true)
	if err := v.err(); err != nil {
		return nil, retry(err)
	}
	if err := checkPassword(a.pool, pw); err != nil {
		return nil, retry(err)
	}
	st := a.session.authState
	var u *userRecord
	err := e.store.update(func(t *txn) error {
		p, err := mustPool(t, a.pool.ID)
		if err != nil {
			return err
		}
		cur, err := t.user(p.ID, p.fold(st.username))
		if err != nil {
			return err
		}
		if cur == nil || cur.Username != st.username || cur.Verifier != st.verifier {
			return errInvalidSession()
		}
		old := *cur
		if err := setVerifier(p, cur, pw); err != nil {
			return err
		}
		cur.Status, cur.Modified = statusConfirmed, e.now().UTC()
		u = cur
		return t.putUser(p, &old, cur)
	})
	if err != nil {
		return nil, err
	}
	st.verifier = u.Verifier
	st.done |= stepNewPassword
	return e.next(ctx, a.signInContext, st)
}

package emulator

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
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
	required := []string{}
	for _, name := range missingRequired(sc.pool, u) {
		required = append(required, "userAttributes."+name)
	}
	return e.challenge(sc, st, "NEW_PASSWORD_REQUIRED", nil, "", map[string]string{
		"USER_ID_FOR_SRP": u.Username, "requiredAttributes": jsonList(required), "userAttributes": string(ab)}), nil
}

// missingRequired lists the attributes the pool requires that u lacks.
func missingRequired(p *poolRecord, u *userRecord) []string {
	var out []string
	for _, name := range p.requiredAttributes() {
		if u.attr(name) == "" {
			out = append(out, name)
		}
	}
	return out
}

// answeredAttributes reads the userAttributes.<name> responses.
func answeredAttributes(responses map[string]string) []attributeJSON {
	var out []attributeJSON
	for _, k := range sortedKeys(responses) {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok {
			out = append(out, attributeJSON{Name: name, Value: responses[k]})
		}
	}
	return out
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
	attrs := answeredAttributes(a.responses)
	if err := a.pool.validateAttributes(attrs); err != nil {
		return nil, retry(err)
	}
	st := a.session.authState
	var u *userRecord
	err := e.updateSessionUser(a.pool.ID, st, func(t *txn, p *poolRecord, cur *userRecord) error {
		old := *cur
		old.Attributes = slices.Clone(cur.Attributes)
		for _, at := range attrs {
			cur.setAttr(at.Name, at.Value)
		}
		if missing := missingRequired(p, cur); len(missing) > 0 {
			return retry(errInvalidParam("Invalid attributes given, %s is missing", missing[0]))
		}
		if err := setVerifier(p, cur, pw); err != nil {
			return err
		}
		cur.Status, cur.Modified = statusConfirmed, e.now().UTC()
		u = cur
		if err := t.putUser(p, &old, cur); err != nil {
			if taken, ok := err.(errIndexTaken); ok {
				return retry(errf("AliasExistsException", "An account with the given %s already exists.", taken.attr))
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	st.verifier = u.Verifier
	st.done |= stepNewPassword
	a.signInContext.tokenSource = "NewPasswordChallenge"
	return e.next(ctx, a.signInContext, st)
}

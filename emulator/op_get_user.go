package emulator

import (
	"context"
	"time"
)

// GetUser: the signed-in user's own attributes, by access token.

// accessToken is the check of every request's AccessToken member.
func (v *validation) accessToken(tok string) {
	v.required("accessToken", tok != "")
}

type getUserRequest struct{ AccessToken string }

func (r getUserRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	return v.err()
}

type getUserResponse struct {
	Username            string
	UserAttributes      []attributeJSON
	PreferredMfaSetting string   `json:",omitempty"`
	UserMFASettingList  []string `json:",omitempty"`
}

func (e *Emulator) getUser(_ context.Context, req *getUserRequest) (*getUserResponse, error) {
	var out *getUserResponse
	err := e.withAccessTokenUser(req.AccessToken, false, func(_ *txn, p *poolRecord, u *userRecord) error {
		out = &getUserResponse{Username: u.Username, UserAttributes: attributesView(u, nil)}
		out.PreferredMfaSetting, out.UserMFASettingList = mfaSettings(u)
		return nil
	})
	return out, err
}

// withAccessTokenUser finds the user an access token was issued to, inside
// one transaction, refusing tokens that were revoked (RevokeToken, a global
// sign-out), whose app client was deleted, or whose user is gone or
// disabled. Every operation that takes
// an access token goes through here.
func (e *Emulator) withAccessTokenUser(token string, write bool, fn func(t *txn, p *poolRecord, u *userRecord) error) error {
	claims, poolID, err := e.verifyAccessToken(token)
	if err != nil {
		return err
	}
	run := e.store.view
	if write {
		run = e.store.update
	}
	return run(func(t *txn) error {
		p, err := t.pool(poolID)
		if err != nil {
			return err
		}
		if p == nil {
			return errNotAuthorized("Invalid Access Token")
		}
		// An app client deleted since takes its tokens with it.
		if c, err := t.client(claims.ClientID); err != nil {
			return err
		} else if c == nil || c.PoolID != p.ID {
			return errNotAuthorized("Invalid Access Token")
		}
		revoked, err := t.sessionRevoked(p.ID, claims.Sub, claims.Origin, time.Unix(claims.AuthTime, 0))
		if err != nil {
			return err
		}
		if revoked {
			return errNotAuthorized("Access Token has been revoked")
		}
		u, err := t.user(p.ID, p.fold(claims.Username))
		if err != nil {
			return err
		}
		if u == nil || u.Sub != claims.Sub {
			return errUserNotFound()
		}
		if !u.Enabled {
			return errNotAuthorized("User is disabled.")
		}
		return fn(t, p, u)
	})
}

// mfaSettings is GetUser's and AdminGetUser's view of a user's MFA.
func mfaSettings(u *userRecord) (preferred string, list []string) {
	for _, f := range []string{mfaSMS, mfaTOTP, mfaEmail} {
		if (f == mfaSMS && u.MFA.SMS) || (f == mfaTOTP && u.MFA.TOTP) || (f == mfaEmail && u.MFA.Email) {
			list = append(list, f)
		}
	}
	return u.MFA.Preferred, list
}

package emulator

import "context"

// GetUser: the signed-in user's own attributes, by access token.

type getUserRequest struct{ AccessToken string }

func (r getUserRequest) validate() error {
	var v validation
	v.required("accessToken", r.AccessToken != "")
	return v.err()
}

type getUserResponse struct {
	Username       string
	UserAttributes []attributeJSON
}

func (e *Emulator) getUser(_ context.Context, req *getUserRequest) (*getUserResponse, error) {
	claims, poolID, err := e.verifyAccessToken(req.AccessToken)
	if err != nil {
		return nil, err
	}
	var out *getUserResponse
	err = e.store.view(func(t *txn) error {
		p, err := t.pool(poolID)
		if err != nil {
			return err
		}
		if p == nil {
			return errNotAuthorized("Invalid Access Token")
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
		out = &getUserResponse{Username: u.Username, UserAttributes: attributesView(u, nil)}
		return nil
	})
	return out, err
}

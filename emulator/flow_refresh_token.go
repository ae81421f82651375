package emulator

import "context"

// REFRESH_TOKEN_AUTH (and its alias REFRESH_TOKEN): new id and access
// tokens for a refresh token, keeping the sign-in's origin_jti, event_id
// and auth_time.

func startRefreshToken(e *Emulator, _ context.Context, sc *signInContext, params map[string]string) (*authResponse, error) {
	tok := params["REFRESH_TOKEN"]
	if tok == "" {
		return nil, errMissingParam("REFRESH_TOKEN")
	}
	invalid := errNotAuthorized("Invalid Refresh Token")
	rec, found, err := e.refreshRecordFor(tok)
	if err != nil {
		return nil, err
	}
	if !found || rec.ClientID != sc.client.ID || rec.PoolID != sc.pool.ID {
		return nil, invalid
	}
	if !e.now().Before(rec.Expires) {
		return nil, errNotAuthorized("Refresh Token has expired")
	}
	// SECRET_HASH for a refresh is over the real username, or the sub.
	if err := checkSecretHash(sc.client, rec.Username, params["SECRET_HASH"]); err != nil &&
		checkSecretHash(sc.client, rec.Sub, params["SECRET_HASH"]) != nil {
		return nil, err
	}
	var u *userRecord
	if err := e.store.view(func(t *txn) (err error) {
		u, err = t.user(sc.pool.ID, sc.pool.fold(rec.Username))
		return err
	}); err != nil {
		return nil, err
	}
	if u == nil || u.Sub != rec.Sub {
		return nil, invalid
	}
	if !u.Enabled {
		return nil, errNotAuthorized("User is disabled.")
	}
	res, err := e.issueTokens(sc.pool, sc.client, u, authEvent{originJTI: rec.OriginJTI, eventID: rec.EventID, authTime: rec.AuthTime}, false)
	if err != nil {
		return nil, err
	}
	return &authResponse{ChallengeParameters: map[string]string{}, AuthenticationResult: res}, nil
}

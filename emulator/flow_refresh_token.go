package emulator

import (
	"cmp"
	"context"
	"crypto/hmac"
	"time"
)

// Refreshing a session: REFRESH_TOKEN_AUTH (and its alias REFRESH_TOKEN)
// in InitiateAuth / AdminInitiateAuth, and GetTokensFromRefreshToken, share
// refreshSession. New id and access tokens keep the sign-in's origin_jti,
// event_id and auth_time. With refresh-token rotation on the client, only
// GetTokensFromRefreshToken refreshes (as Cognito has it), and it also
// returns a new refresh token; the one it replaces keeps working for the
// client's RetryGracePeriodSeconds after its first use, then is refused.

func startRefreshToken(e *Emulator, ctx context.Context, sc *signInContext, params map[string]string) (*authResponse, error) {
	tok := params["REFRESH_TOKEN"]
	if tok == "" {
		return nil, errMissingParam("REFRESH_TOKEN")
	}
	if sc.client.rotates() {
		return nil, errNotAuthorized("Refresh token rotation is enabled for client " + sc.client.ID +
			": refresh with GetTokensFromRefreshToken, not REFRESH_TOKEN_AUTH.")
	}
	// SECRET_HASH for a refresh is over the real username, or the sub.
	checkSecret := func(rec refreshRecord) error {
		err := checkSecretHash(sc.client, rec.Username, params["SECRET_HASH"])
		if err != nil && checkSecretHash(sc.client, rec.Sub, params["SECRET_HASH"]) == nil {
			return nil
		}
		return err
	}
	res, err := e.refreshSession(ctx, sc, tok, checkSecret)
	if err != nil {
		return nil, err
	}
	return &authResponse{ChallengeParameters: map[string]string{}, AuthenticationResult: res}, nil
}

// checkClientSecret compares a ClientSecret member (GetTokensFromRefreshToken,
// RevokeToken) with the client's, in constant time.
func checkClientSecret(c *clientRecord, got string) error {
	if c.Secret == "" {
		return nil
	}
	if got == "" {
		return errNotAuthorized("Client " + c.ID + " is configured for secret but secret was not received")
	}
	if !hmac.Equal([]byte(got), []byte(c.Secret)) {
		return errNotAuthorized("Unable to verify secret for client " + c.ID)
	}
	return nil
}

// refreshSession checks a refresh token for sc's client and issues new
// tokens for it: a new refresh token too when the client rotates them.
func (e *Emulator) refreshSession(ctx context.Context, sc *signInContext, tok string, checkSecret func(refreshRecord) error) (*authenticationResult, error) {
	invalid := errNotAuthorized("Invalid Refresh Token")
	rec, found, err := e.refreshRecordFor(tok)
	if err != nil {
		return nil, err
	}
	if !found || rec.ClientID != sc.client.ID || rec.PoolID != sc.pool.ID {
		return nil, invalid
	}
	now := e.now()
	if !now.Before(rec.Expires) {
		return nil, errNotAuthorized("Refresh Token has expired")
	}
	if err := checkSecret(rec); err != nil {
		return nil, err
	}
	rotate := sc.client.rotates()
	var u *userRecord
	check := func(t *txn) error {
		revoked, err := t.sessionRevoked(sc.pool.ID, rec.Sub, rec.OriginJTI, rec.AuthTime)
		if err != nil {
			return err
		}
		if revoked {
			return errNotAuthorized("Refresh Token has been revoked")
		}
		if rec.JTI != "" {
			used, err := t.revocation(revokedRotated, rec.JTI)
			if err != nil {
				return err
			}
			if used != nil && !now.Before(used.At.Add(sc.client.gracePeriod())) {
				return errf("RefreshTokenReuseException", "%s", "Refresh token has already been used and rotated out.")
			}
		}
		if u, err = t.user(sc.pool.ID, sc.pool.fold(rec.Username)); err != nil {
			return err
		}
		if u == nil || u.Sub != rec.Sub {
			return invalid
		}
		if !u.Enabled {
			return errNotAuthorized("User is disabled.")
		}
		if ok, err := t.refreshDeviceOK(sc.pool.ID, rec, sc.deviceKey); err != nil || !ok {
			return cmp.Or(err, error(invalid))
		}
		return nil
	}
	// The trigger runs outside any transaction, on the user as checked
	// here; with rotation the write below checks again before it issues.
	if err := e.store.view(check); err != nil {
		return nil, err
	}
	override, err := e.preTokenGeneration(ctx, sc, u, "RefreshTokens")
	if err != nil {
		return nil, err
	}
	if !rotate {
		return e.issueTokens(sc.pool, sc.client, u, authEvent{originJTI: rec.OriginJTI, eventID: rec.EventID, authTime: rec.AuthTime, deviceKey: rec.DeviceKey}, false, override)
	}
	// Made (if need be) before the write below: making them writes too.
	if _, err := e.keys.forPool(sc.pool.ID); err != nil {
		return nil, err
	}
	var res *authenticationResult
	err = e.store.update(func(t *txn) error {
		if err := check(t); err != nil {
			return err
		}
		if rec.JTI != "" {
			used, err := t.revocation(revokedRotated, rec.JTI)
			if err != nil {
				return err
			}
			if used == nil { // the first use starts the grace period; retries keep it
				if err := t.revoke(revokedRotated, rec.JTI, revocation{At: now, Until: rec.Expires}); err != nil {
					return err
				}
				if err := e.maybePurgeRevocations(t); err != nil {
					return err
				}
			}
		}
		res, err = e.issueTokens(sc.pool, sc.client, u, authEvent{originJTI: rec.OriginJTI, eventID: rec.EventID, authTime: rec.AuthTime, deviceKey: rec.DeviceKey}, true, override)
		return err
	})
	return res, err
}

// rotates reports whether the client has refresh-token rotation on.
func (c *clientRecord) rotates() bool {
	return c.RefreshTokenRotation != nil && c.RefreshTokenRotation.Feature == "ENABLED"
}

func (c *clientRecord) gracePeriod() time.Duration {
	if c.RefreshTokenRotation == nil {
		return 0
	}
	return time.Duration(c.RefreshTokenRotation.RetryGracePeriodSeconds) * time.Second
}

package emulator

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// RevokeToken, GlobalSignOut, AdminUserGlobalSignOut: ending sessions
// before their tokens expire, through the deny-list in revocation.go.

type revokeTokenRequest struct {
	Token        string
	ClientId     string
	ClientSecret string
}

func (r revokeTokenRequest) validate() error {
	var v validation
	v.required("token", r.Token != "")
	v.clientID("clientId", r.ClientId)
	v.length("clientSecret", r.ClientSecret, 1, 64)
	return v.err()
}

// RevokeToken revokes a refresh token and every access and id token issued
// from it (the sign-in's origin_jti): they are refused from then on.
func (e *Emulator) revokeToken(_ context.Context, req *revokeTokenRequest) (*struct{}, error) {
	sc, err := e.loadClient(req.ClientId)
	if err != nil {
		return nil, err
	}
	if err := checkClientSecret(sc.client, req.ClientSecret); err != nil {
		return nil, err
	}
	if !sc.client.EnableTokenRevocation {
		return nil, errf("UnsupportedOperationException", "%s", "Token revocation is not enabled for client "+sc.client.ID+".")
	}
	rec, found, err := e.refreshRecordFor(req.Token)
	if err != nil {
		return nil, err
	}
	if !found {
		if strings.Count(req.Token, ".") == 2 { // an access or id token (JWS)
			return nil, errf("UnsupportedTokenTypeException", "%s", "Only refresh tokens can be revoked.")
		}
		return nil, errNotAuthorized("Invalid Refresh Token")
	}
	if rec.ClientID != sc.client.ID || rec.PoolID != sc.pool.ID {
		return nil, errf("UnauthorizedException", "%s", "The token was not issued to client "+sc.client.ID+".")
	}
	if rec.OriginJTI == "" {
		return &struct{}{}, nil // nothing links its tokens: nothing to list
	}
	// Kept until the last token of the sign-in can have expired: a rotated
	// refresh token may outlive the one presented.
	until := e.now().Add(sc.client.refreshTTL())
	if rec.Expires.After(until) {
		until = rec.Expires
	}
	err = e.store.update(func(t *txn) error {
		if err := t.revoke(revokedOrigin, rec.OriginJTI, revocation{At: e.now(), Until: until}); err != nil {
			return err
		}
		return e.maybePurgeRevocations(t)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

type globalSignOutRequest struct{ AccessToken string }

func (r globalSignOutRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	return v.err()
}

// GlobalSignOut signs the access token's user out everywhere: every token
// from a sign-in before now is refused.
func (e *Emulator) globalSignOut(_ context.Context, req *globalSignOutRequest) (*struct{}, error) {
	err := e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		return e.signOutEverywhere(t, p, u)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// AdminUserGlobalSignOut is GlobalSignOut by user name, for an administrator.
func (e *Emulator) adminUserGlobalSignOut(_ context.Context, req *adminUserRequest) (*struct{}, error) {
	if err := e.withAdminUser(*req, true, func(t *txn, p *poolRecord, u *userRecord) error {
		return e.signOutEverywhere(t, p, u)
	}); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// signOutEverywhere records the user's sign-out time, kept until every
// token issued before it has expired: the longest refresh-token validity
// among the pool's clients.
func (e *Emulator) signOutEverywhere(t *txn, p *poolRecord, u *userRecord) error {
	longest := 30 * 24 * time.Hour
	err := t.scan(bucketClients, "", func(_, v []byte) (bool, error) {
		var c clientRecord
		if json.Unmarshal(v, &c) == nil && c.PoolID == p.ID && c.refreshTTL() > longest {
			longest = c.refreshTTL()
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	now := e.now()
	if err := t.put(bucketRevoked, revokedKey(revokedSignOut, p.ID+"\x00"+u.Sub), revocation{At: now, Until: now.Add(longest)}); err != nil {
		return err
	}
	return e.maybePurgeRevocations(t)
}

package emulator

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Revocation. Tokens are self-contained (access and id tokens are signed
// JWTs, refresh tokens sealed JWEs), so refusing one later takes a small
// deny-list, as Cognito keeps one: every token of one sign-in carries the
// sign-in's origin_jti, and
//   - RevokeToken lists that origin_jti, refusing the refresh token and the
//     access tokens issued from it;
//   - GlobalSignOut and AdminUserGlobalSignOut record when the user signed
//     out, refusing every token of a sign-in made before then;
//   - refresh-token rotation lists the jti of a rotated-out refresh token,
//     which is honoured only for the client's grace period after its use.
// Each entry is kept only until the last token it can refuse has expired,
// then purged, so the list stays as small as the live sessions it affects.

var bucketRevoked = []byte("revoked") // kind \x00 key -> revocation

const (
	revokedOrigin  = "origin"  // origin_jti revoked by RevokeToken
	revokedSignOut = "signout" // poolID \x00 sub: the user's last global sign-out
	revokedRotated = "rotated" // a refresh token's jti, used for rotation
)

// purgeEvery is how often, at most, a write that adds an entry also purges
// the expired ones (the store purges on open too).
const purgeEvery = 10 * time.Minute

// revocation is one deny-list entry.
type revocation struct {
	At    time.Time // when it was revoked, signed out or rotated out
	Until time.Time // when every token it refuses has expired
}

func revokedKey(kind, key string) string { return kind + "\x00" + key }

func (t *txn) revocation(kind, key string) (*revocation, error) {
	var r revocation
	found, err := t.get(bucketRevoked, revokedKey(kind, key), &r)
	if err != nil || !found {
		return nil, err
	}
	return &r, nil
}

// revoke adds an entry, keeping the later Until when one exists.
func (t *txn) revoke(kind, key string, r revocation) error {
	old, err := t.revocation(kind, key)
	if err != nil {
		return err
	}
	if old != nil && old.Until.After(r.Until) {
		r.Until = old.Until
	}
	return t.put(bucketRevoked, revokedKey(kind, key), r)
}

// sessionRevoked reports whether the sign-in a token belongs to (its pool,
// user and origin_jti, with authTime as the fallback when origin_jti does
// not carry the sign-in's time) was revoked or signed out since.
func (t *txn) sessionRevoked(poolID, sub, originJTI string, authTime time.Time) (bool, error) {
	if originJTI != "" {
		if r, err := t.revocation(revokedOrigin, originJTI); err != nil || r != nil {
			return r != nil, err
		}
	}
	r, err := t.revocation(revokedSignOut, poolID+"\x00"+sub)
	if err != nil || r == nil {
		return false, err
	}
	return !signInTime(originJTI, authTime).After(r.At), nil
}

// signInTime is when a sign-in happened, to a quarter of a microsecond,
// read from its origin_jti (a version 7 UUID, see newOriginJTI); for an
// origin_jti from an older emulator, its auth_time (to the second).
func signInTime(originJTI string, authTime time.Time) time.Time {
	if t, ok := uuidV7Time(originJTI); ok {
		return t
	}
	return authTime
}

// newOriginJTI is a version 7 UUID for a sign-in at t: random like any
// other, and carrying the sign-in's time (RFC 9562: milliseconds, then the
// fraction of the millisecond in the 12 bits after the version), so a
// global sign-out refuses exactly the sign-ins made before it, and none
// made after it, even within the same second.
func newOriginJTI(t time.Time) string {
	b := randomBytes(16)
	ms := uint64(t.UnixMilli())
	for i := 0; i < 6; i++ {
		b[i] = byte(ms >> (40 - 8*i))
	}
	frac := uint64(t.Nanosecond()%1e6) * 4096 / 1e6
	b[6] = 0x70 | byte(frac>>8)
	b[7] = byte(frac)
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

// uuidV7Time reads newOriginJTI's time back, rounded down to its
// resolution (1/4096 ms).
func uuidV7Time(s string) (time.Time, bool) {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[14] != '7' || s[18] != '-' {
		return time.Time{}, false
	}
	ms, err1 := strconv.ParseUint(s[0:8]+s[9:13], 16, 48)
	frac, err2 := strconv.ParseUint(s[15:18], 16, 12)
	if err1 != nil || err2 != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(ms)).Add(time.Duration(frac * 1e6 / 4096)), true
}

// purgeExpiredRevocations removes the entries whose tokens have all
// expired, and reports how many it removed.
func (s *store) purgeExpiredRevocations(now time.Time) (int, error) {
	n := 0
	err := s.update(func(t *txn) error {
		var err error
		n, err = t.purgeRevocations(now)
		return err
	})
	return n, err
}

func (t *txn) purgeRevocations(now time.Time) (int, error) {
	return t.deleteMatching(bucketRevoked, "", func(v []byte) bool {
		var r revocation
		return json.Unmarshal(v, &r) == nil && !now.Before(r.Until)
	})
}

// maybePurgeRevocations purges inside a write that adds an entry, at most
// once per purgeEvery.
func (e *Emulator) maybePurgeRevocations(t *txn) error {
	now := e.now()
	e.purgeMu.Lock()
	due := now.Sub(e.lastPurge) >= purgeEvery
	if due {
		e.lastPurge = now
	}
	e.purgeMu.Unlock()
	if !due {
		return nil
	}
	_, err := t.purgeRevocations(now)
	return err
}

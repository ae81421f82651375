package emulator

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Refresh tokens carry their own record, sealed (encrypted and
// authenticated) as a JWE with a key only the store knows, as Cognito's
// refresh tokens are JWEs: a sign-in writes nothing, so the store does not
// grow by a record per sign-in, and no disk write (with its fsync) sits on
// the sign-in path. What a token stands for cannot be changed or read by
// its holder. Refusing a token later (user deleted or recreated, pool or
// client gone) is checked at use against the live records; revocation,
// when it comes, is a list of revoked origin_jti values kept until their
// tokens expire, as Cognito revokes by origin_jti.
//
// Tokens from stores written before this (96 random bytes, base64url, with
// the record in the refresh bucket under the token's SHA-256) still work;
// their expired records are purged when the store is opened.

const (
	metaRefreshKey = "refresh-key"
	refreshKeySize = 32 // AES-256-GCM
	// maxRefreshTokenLen bounds what is parsed; a sealed token is about 600
	// characters (Cognito's are about 1,800).
	maxRefreshTokenLen = 4 << 10
)

// refreshSealer seals and opens refresh-token records.
type refreshSealer struct {
	key []byte
	enc jose.Encrypter
}

func loadRefreshSealer(st *store) (*refreshSealer, error) {
	var key []byte
	err := st.update(func(t *txn) error {
		if key = t.meta(metaRefreshKey); len(key) == refreshKeySize {
			return nil
		}
		key = randomBytes(refreshKeySize)
		return t.setMeta(metaRefreshKey, key)
	})
	if err != nil {
		return nil, fmt.Errorf("emulator: refresh-token key: %w", err)
	}
	enc, err := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.DIRECT, Key: key},
		(&jose.EncrypterOptions{}).WithContentType("JWT"))
	if err != nil {
		return nil, fmt.Errorf("emulator: refresh-token sealer: %w", err)
	}
	return &refreshSealer{key: key, enc: enc}, nil
}

// sealedRefresh is a refresh token's plaintext.
type sealedRefresh struct {
	PoolID    string `json:"pool"`
	ClientID  string `json:"client_id"`
	Username  string `json:"username"`
	Sub       string `json:"sub"`
	OriginJTI string `json:"origin_jti"`
	EventID   string `json:"event_id"`
	AuthTime  int64  `json:"auth_time"`
	Expires   int64  `json:"exp"`
	JTI       string `json:"jti"` // makes every token unique, even two in one second
	DeviceKey string `json:"device_key,omitempty"`
}

func (s *refreshSealer) seal(rec refreshRecord) (string, error) {
	b, err := json.Marshal(sealedRefresh{PoolID: rec.PoolID, ClientID: rec.ClientID, Username: rec.Username, Sub: rec.Sub,
		OriginJTI: rec.OriginJTI, EventID: rec.EventID, AuthTime: rec.AuthTime.Unix(), Expires: rec.Expires.Unix(), JTI: newUUID(),
		DeviceKey: rec.DeviceKey})
	if err != nil {
		return "", err
	}
	obj, err := s.enc.Encrypt(b)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

// open returns the record a sealed token stands for, or false when tok is
// not a token this store sealed (whatever else it is).
func (s *refreshSealer) open(tok string) (refreshRecord, bool) {
	if len(tok) > maxRefreshTokenLen || strings.Count(tok, ".") != 4 {
		return refreshRecord{}, false
	}
	obj, err := jose.ParseEncryptedCompact(tok, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{jose.A256GCM})
	if err != nil {
		return refreshRecord{}, false
	}
	b, err := obj.Decrypt(s.key)
	if err != nil {
		return refreshRecord{}, false
	}
	var p sealedRefresh
	if err := json.Unmarshal(b, &p); err != nil {
		return refreshRecord{}, false
	}
	return refreshRecord{PoolID: p.PoolID, ClientID: p.ClientID, Username: p.Username, Sub: p.Sub, OriginJTI: p.OriginJTI,
		EventID: p.EventID, AuthTime: time.Unix(p.AuthTime, 0), Expires: time.Unix(p.Expires, 0), JTI: p.JTI, DeviceKey: p.DeviceKey}, true
}

// refreshRecordFor finds what tok stands for: a sealed token, or a token
// stored by an earlier version of the emulator.
func (e *Emulator) refreshRecordFor(tok string) (refreshRecord, bool, error) {
	if rec, ok := e.refresh.open(tok); ok {
		return rec, true, nil
	}
	if len(tok) > maxRefreshTokenLen {
		return refreshRecord{}, false, nil
	}
	var rec refreshRecord
	var found bool
	err := e.store.view(func(t *txn) (err error) {
		found, err = t.get(bucketRefresh, refreshKey(tok), &rec)
		return err
	})
	rec.JTI = refreshKey(tok)
	return rec, found, err
}

// purgeExpiredRefresh removes the stored (pre-sealing) refresh-token
// records that have expired, and reports how many it removed.
func (s *store) purgeExpiredRefresh(now time.Time) (int, error) {
	n := 0
	err := s.update(func(t *txn) error {
		var err error
		n, err = t.deleteMatching(bucketRefresh, "", func(v []byte) bool {
			var rec struct{ Expires time.Time }
			return json.Unmarshal(v, &rec) == nil && !now.Before(rec.Expires)
		})
		return err
	})
	return n, err
}

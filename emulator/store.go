package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// The store keeps everything in one bbolt file. bbolt fsyncs every committed
// transaction, so a write the emulator has acknowledged survives kill -9.
var (
	bucketMeta    = []byte("meta")
	bucketPools   = []byte("pools")
	bucketClients = []byte("clients")
	bucketUsers   = []byte("users")   // poolID \x00 userKey -> userRecord
	bucketIndex   = []byte("index")   // poolID \x00 kind \x00 value -> userKey
	bucketRefresh = []byte("refresh") // sha256(token) hex -> refreshRecord, tokens from before sealing (refresh_tokens.go)
	bucketGroups  = []byte("groups")  // poolID \x00 group name -> groupRecord
)

const storeFile = "cognito-emulator.db"

// StoreInUseError says that another process holds the data folder's store.
// bbolt locks its file for one process; a second emulator on the same folder
// would otherwise only see bbolt's bare "timeout".
type StoreInUseError struct{ Dir string }

func (e *StoreInUseError) Error() string {
	return fmt.Sprintf("emulator: the data folder %s is in use by another emulator: stop that one, or give this one another data folder", e.Dir)
}

type store struct {
	db      *bolt.DB
	tempDir string // removed on close when the store is not durable
}

func openStore(dir string) (*store, error) {
	s := &store{}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "cognito-emulator-")
		if err != nil {
			return nil, fmt.Errorf("emulator: temp store: %w", err)
		}
		dir, s.tempDir = tmp, tmp
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("emulator: data dir: %w", err)
	}
	db, err := bolt.Open(filepath.Join(dir, storeFile), 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		s.removeTemp()
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, &StoreInUseError{Dir: dir}
		}
		return nil, fmt.Errorf("emulator: open store in %s: %w", dir, err)
	}
	s.db = db
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketPools, bucketClients, bucketUsers, bucketIndex, bucketRefresh, bucketRevoked, bucketGroups, bucketDevices} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		s.removeTemp()
		return nil, fmt.Errorf("emulator: init store: %w", err)
	}
	return s, nil
}

func (s *store) removeTemp() {
	if s.tempDir != "" {
		_ = os.RemoveAll(s.tempDir)
	}
}

func (s *store) close() error {
	err := s.db.Close()
	s.removeTemp()
	return err
}

func (s *store) view(fn func(t *txn) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return fn(&txn{tx}) })
}

func (s *store) update(fn func(t *txn) error) error {
	return s.db.Update(func(tx *bolt.Tx) error { return fn(&txn{tx}) })
}

// txn gives typed access to the buckets inside one bbolt transaction.
type txn struct{ tx *bolt.Tx }

func (t *txn) get(bucket []byte, key string, dst any) (bool, error) {
	v := t.tx.Bucket(bucket).Get([]byte(key))
	if v == nil {
		return false, nil
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return false, fmt.Errorf("emulator: corrupt %s record: %w", bucket, err)
	}
	return true, nil
}

func (t *txn) put(bucket []byte, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucket).Put([]byte(key), b)
}

func (t *txn) del(bucket []byte, key string) error {
	return t.tx.Bucket(bucket).Delete([]byte(key))
}

// scan calls fn for every key under prefix, in key order, until fn returns false.
func (t *txn) scan(bucket []byte, prefix string, fn func(k, v []byte) (bool, error)) error {
	c := t.tx.Bucket(bucket).Cursor()
	p := []byte(prefix)
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		more, err := fn(k, v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// deleteMatching removes every key under prefix whose value match accepts
// (all of them when match is nil), and reports how many it removed.
func (t *txn) deleteMatching(bucket []byte, prefix string, match func(v []byte) bool) (int, error) {
	var keys [][]byte
	if err := t.scan(bucket, prefix, func(k, v []byte) (bool, error) {
		if match == nil || match(v) {
			keys = append(keys, append([]byte(nil), k...))
		}
		return true, nil
	}); err != nil {
		return 0, err
	}
	b := t.tx.Bucket(bucket)
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

func (t *txn) meta(key string) []byte {
	v := t.tx.Bucket(bucketMeta).Get([]byte(key))
	return append([]byte(nil), v...)
}

func (t *txn) setMeta(key string, v []byte) error {
	return t.tx.Bucket(bucketMeta).Put([]byte(key), v)
}

func (t *txn) pool(id string) (*poolRecord, error) {
	var p poolRecord
	ok, err := t.get(bucketPools, id, &p)
	if err != nil || !ok {
		return nil, err
	}
	return &p, nil
}

func (t *txn) client(id string) (*clientRecord, error) {
	var c clientRecord
	ok, err := t.get(bucketClients, id, &c)
	if err != nil || !ok {
		return nil, err
	}
	return &c, nil
}

func userKey(poolID, key string) string { return poolID + "\x00" + key }

// user reads a user by its folded username key.
func (t *txn) user(poolID, key string) (*userRecord, error) {
	var u userRecord
	ok, err := t.get(bucketUsers, userKey(poolID, key), &u)
	if err != nil || !ok {
		return nil, err
	}
	return &u, nil
}

func indexKey(poolID, kind, value string) string {
	return poolID + "\x00" + kind + "\x00" + value
}

func (t *txn) lookupIndex(poolID, kind, value string) string {
	return string(t.tx.Bucket(bucketIndex).Get([]byte(indexKey(poolID, kind, value))))
}

// errIndexTaken reports that another user already owns a sign-in alias.
type errIndexTaken struct{ attr string }

func (e errIndexTaken) Error() string { return "emulator: " + e.attr + " already in use" }

// putUser writes u and keeps the sub and alias index in step. old is the
// previous record (nil for a new user).
func (t *txn) putUser(p *poolRecord, old, u *userRecord) error {
	key := p.fold(u.Username)
	if old != nil {
		for k := range p.indexEntries(old) {
			if t.lookupIndex(p.ID, k[0], k[1]) == key {
				if err := t.del(bucketIndex, indexKey(p.ID, k[0], k[1])); err != nil {
					return err
				}
			}
		}
	}
	for k := range p.indexEntries(u) {
		if owner := t.lookupIndex(p.ID, k[0], k[1]); owner != "" && owner != key {
			return errIndexTaken{attr: k[0]}
		}
		if err := t.tx.Bucket(bucketIndex).Put([]byte(indexKey(p.ID, k[0], k[1])), []byte(key)); err != nil {
			return err
		}
	}
	return t.put(bucketUsers, userKey(p.ID, key), u)
}

func (t *txn) deleteUser(p *poolRecord, u *userRecord) error {
	key := p.fold(u.Username)
	for k := range p.indexEntries(u) {
		if t.lookupIndex(p.ID, k[0], k[1]) == key {
			if err := t.del(bucketIndex, indexKey(p.ID, k[0], k[1])); err != nil {
				return err
			}
		}
	}
	if err := t.deleteDevices(p.ID, u.Sub); err != nil {
		return err
	}
	return t.del(bucketUsers, userKey(p.ID, key))
}

// deletePool removes a pool with its clients, users, index and refresh tokens.
func (t *txn) deletePool(id string) error {
	prefix := id + "\x00"
	for _, b := range [][]byte{bucketUsers, bucketIndex, bucketGroups, bucketDevices} {
		if _, err := t.deleteMatching(b, prefix, nil); err != nil {
			return err
		}
	}
	for _, b := range [][]byte{bucketClients, bucketRefresh} {
		if _, err := t.deleteMatching(b, "", func(v []byte) bool {
			var rec struct{ PoolID string }
			return json.Unmarshal(v, &rec) == nil && rec.PoolID == id
		}); err != nil {
			return err
		}
	}
	for _, use := range []string{"id", "access"} {
		if err := t.del(bucketMeta, poolKeyName(id, use)); err != nil {
			return err
		}
	}
	return t.del(bucketPools, id)
}

// countUsers reports EstimatedNumberOfUsers.
func (t *txn) countUsers(poolID string) (int, error) {
	n := 0
	err := t.scan(bucketUsers, poolID+"\x00", func(_, _ []byte) (bool, error) { n++; return true, nil })
	return n, err
}

// resolveUser finds the user a caller means by name: the username itself,
// then a sign-in alias (email, phone_number, preferred_username), then the
// sub, as Cognito resolves USERNAME and the Admin operations' Username.
func (t *txn) resolveUser(p *poolRecord, name string) (*userRecord, error) {
	if name == "" {
		return nil, nil
	}
	if u, err := t.user(p.ID, p.fold(name)); u != nil || err != nil {
		return u, err
	}
	for _, attr := range append(append([]string(nil), p.UsernameAttributes...), p.AliasAttributes...) {
		if key := t.lookupIndex(p.ID, attr, p.foldAlias(attr, name)); key != "" {
			return t.user(p.ID, key)
		}
	}
	if key := t.lookupIndex(p.ID, "sub", strings.ToLower(name)); key != "" {
		return t.user(p.ID, key)
	}
	return nil, nil
}

package emulator

import (
	"crypto/sha256"
	"math"
	"sync"
	"time"
)

// session is a pending challenge: bound to one client, one user and one
// challenge, used at most once, and forgotten after it expires.
type session struct {
	id          string
	poolID      string
	clientID    string
	username    string // the real username (USER_ID_FOR_SRP)
	challenge   string
	secretBlock string // PASSWORD_VERIFIER only
	key         []byte // SRP session key, PASSWORD_VERIFIER only
	verifier    string // the verifier the key was derived from
	simulated   bool   // an unknown user under PreventUserExistenceErrors
	expires     time.Time
}

// sessionStore keeps sessions in memory under a size cap. A
// PASSWORD_VERIFIER session is found by its Session string or, since many
// clients send none for that step, by its SECRET_BLOCK.
type sessionStore struct {
	mu      sync.Mutex
	max     int
	byID    map[string]*session
	byBlock map[[32]byte]*session
}

func newSessionStore(max int) *sessionStore {
	return &sessionStore{max: max, byID: map[string]*session{}, byBlock: map[[32]byte]*session{}}
}

func blockKey(b string) [32]byte { return sha256.Sum256([]byte(b)) }

func (s *sessionStore) put(ss *session, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.byID) >= s.max {
		for _, old := range s.byID {
			if !now.Before(old.expires) {
				s.removeLocked(old)
			}
		}
	}
	for len(s.byID) >= s.max {
		// Still full of live sessions: drop the one closest to expiry.
		var oldest *session
		for _, old := range s.byID {
			if oldest == nil || old.expires.Before(oldest.expires) {
				oldest = old
			}
		}
		s.removeLocked(oldest)
	}
	s.byID[ss.id] = ss
	if ss.secretBlock != "" {
		s.byBlock[blockKey(ss.secretBlock)] = ss
	}
}

func (s *sessionStore) removeLocked(ss *session) {
	delete(s.byID, ss.id)
	if ss.secretBlock != "" {
		delete(s.byBlock, blockKey(ss.secretBlock))
	}
}

// take removes and returns the live session named by id (or, when id is
// empty, by secret block). Every session is single-use: it is gone after
// this call whatever the caller decides.
func (s *sessionStore) take(id, secretBlock string, now time.Time) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ss *session
	if id != "" {
		ss = s.byID[id]
	} else if secretBlock != "" {
		ss = s.byBlock[blockKey(secretBlock)]
	}
	if ss == nil {
		return nil
	}
	s.removeLocked(ss)
	if !now.Before(ss.expires) {
		return nil
	}
	return ss
}

func (s *sessionStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byID)
}

// lockout counts failed password attempts per user. From the fifth failure
// on, the user is locked for 2^(n-5) seconds, capped at 15 minutes, as the
// Cognito documentation describes.
type lockout struct {
	mu    sync.Mutex
	users map[string]*lockState
}

type lockState struct {
	failures int
	until    time.Time
}

const (
	lockoutFree = 5
	lockoutMax  = 15 * time.Minute
	maxLockouts = 100000
)

func newLockout() *lockout { return &lockout{users: map[string]*lockState{}} }

func lockKey(poolID, username string) string { return poolID + "\x00" + username }

func (l *lockout) locked(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.users[key]
	return st != nil && now.Before(st.until)
}

func (l *lockout) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.users[key]
	if st == nil {
		if len(l.users) >= maxLockouts {
			for k, v := range l.users { // forget users no longer locked
				if !now.Before(v.until) && v.failures < lockoutFree {
					delete(l.users, k)
				}
			}
		}
		st = &lockState{}
		l.users[key] = st
	}
	st.failures++
	if st.failures >= lockoutFree {
		d := time.Duration(math.Pow(2, float64(min(st.failures-lockoutFree, 20)))) * time.Second
		st.until = now.Add(min(d, lockoutMax))
	}
}

func (l *lockout) succeed(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.users, key)
}

package emulator

import (
	"crypto/sha256"
	"math"
	"sync"
	"time"
)

// maxWrongCodes is how many wrong codes one session takes before it is gone.
const maxWrongCodes = 3

// session is a pending challenge: bound to one client, one user and one
// challenge, answered successfully at most once, and forgotten after it
// expires. It carries the sign-in's common authState and the challenge's
// own state (for PASSWORD_VERIFIER, *srpState).
type session struct {
	authState
	id        string
	challenge string
	altKey    string // a second key that finds it (PASSWORD_VERIFIER's SECRET_BLOCK), or ""
	state     any
	wrong     int // wrong codes so far
	expires   time.Time
}

// sessionStore keeps sessions in memory under a size cap. A session is
// found by its Session string or, when the challenge has one, by its
// altKey (clients send no Session with PASSWORD_VERIFIER).
type sessionStore struct {
	mu    sync.Mutex
	max   int
	byID  map[string]*session
	byAlt map[[32]byte]*session
}

func newSessionStore(max int) *sessionStore {
	return &sessionStore{max: max, byID: map[string]*session{}, byAlt: map[[32]byte]*session{}}
}

func altHash(b string) [32]byte { return sha256.Sum256([]byte(b)) }

func (s *sessionStore) put(ss *session, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putLocked(ss, now)
}

func (s *sessionStore) putLocked(ss *session, now time.Time) {
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
	if ss.altKey != "" {
		s.byAlt[altHash(ss.altKey)] = ss
	}
}

func (s *sessionStore) removeLocked(ss *session) {
	delete(s.byID, ss.id)
	if ss.altKey != "" {
		delete(s.byAlt, altHash(ss.altKey))
	}
}

// claim removes and returns the live session named by id (or, when id is
// empty, by its altKey). While claimed, no concurrent answer can find it;
// the caller either lets it go (consumed) or calls release.
func (s *sessionStore) claim(id, altKey string, now time.Time) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ss *session
	if id != "" {
		ss = s.byID[id]
	} else if altKey != "" {
		ss = s.byAlt[altHash(altKey)]
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

// claimFor is claim for an operation that takes sessions of one challenge
// only: any other session is put back untouched, not used up by a request
// that could not use it.
func (s *sessionStore) claimFor(id, challenge string, now time.Time) *session {
	ss := s.claim(id, "", now)
	if ss != nil && ss.challenge != challenge {
		s.release(ss, false, now)
		return nil
	}
	return ss
}

// release puts a claimed session back for another answer. A wrong code
// counts against it; after maxWrongCodes, or once expired, it stays gone.
func (s *sessionStore) release(ss *session, wrongCode bool, now time.Time) {
	if wrongCode {
		ss.wrong++
	}
	if ss.wrong >= maxWrongCodes || !now.Before(ss.expires) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putLocked(ss, now)
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
	max   int // entries kept at most
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

func newLockout() *lockout { return &lockout{users: map[string]*lockState{}, max: maxLockouts} }

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
		if len(l.users) >= l.max {
			// Forget names with few failures first; if that is not enough
			// (unknown names are counted too, so anyone can add entries),
			// forget every name not locked at this moment.
			for k, v := range l.users {
				if !now.Before(v.until) && v.failures < lockoutFree {
					delete(l.users, k)
				}
			}
			if len(l.users) >= l.max {
				for k, v := range l.users {
					if !now.Before(v.until) {
						delete(l.users, k)
					}
				}
			}
			if len(l.users) >= l.max {
				return // every entry is a live lock: keep them, count no more
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

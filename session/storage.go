package session

import (
	"context"
	"sync"
)

// Storage keeps the session's values by key, as the Web Storage API and
// Amplify's KeyValueStorageInterface do. Any call may fail (a full quota, an
// app's own store that rejects). Get reports ok=false for a missing key.
type Storage interface {
	Get(ctx context.Context, key string) (value string, ok bool, err error)
	Set(ctx context.Context, key, value string) error
	Remove(ctx context.Context, key string) error
}

// KeyPrefix starts every key, as in both AWS libraries.
const KeyPrefix = "CognitoIdentityServiceProvider"

// Names of a user's values under UserKey.
const (
	KeyIDToken       = "idToken"
	KeyAccessToken   = "accessToken"
	KeyRefreshToken  = "refreshToken"
	KeyClockDrift    = "clockDrift"
	KeySignInDetails = "signInDetails" // Amplify's; identity-js has none
	KeyDeviceKey     = "deviceKey"     // read for refresh; written by device tracking (not here)
	keyUserData      = "userData"      // identity-js's cached GetUser answer, removed on sign-out
)

// LastAuthUserKey names the key holding the signed-in username.
func LastAuthUserKey(clientID string) string {
	return KeyPrefix + "." + clientID + ".LastAuthUser"
}

// UserKey names one of username's values (KeyIDToken ...).
func UserKey(clientID, username, name string) string {
	return KeyPrefix + "." + clientID + "." + username + "." + name
}

// MemoryStorage is a Storage in process memory: the default, gone with the page.
type MemoryStorage struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMemoryStorage returns an empty MemoryStorage.
func NewMemoryStorage() *MemoryStorage { return &MemoryStorage{m: map[string]string{}} }

func (s *MemoryStorage) Get(_ context.Context, key string) (string, bool, error) {
	s.mu.Lock()
	v, ok := s.m[key]
	s.mu.Unlock()
	return v, ok, nil
}

func (s *MemoryStorage) Set(_ context.Context, key, value string) error {
	s.mu.Lock()
	s.m[key] = value
	s.mu.Unlock()
	return nil
}

func (s *MemoryStorage) Remove(_ context.Context, key string) error {
	s.mu.Lock()
	delete(s.m, key)
	s.mu.Unlock()
	return nil
}

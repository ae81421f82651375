package srp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// MaxSecretBlockLen bounds the base64 SECRET_BLOCK accepted from the wire.
// Cognito's blocks are under 2 KiB.
const MaxSecretBlockLen = 16 << 10

// timestampLayout is Java's "EEE MMM d HH:mm:ss 'UTC' yyyy": English names,
// 24-hour clock, day of month not zero-padded.
const timestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

// Timestamp formats t as the TIMESTAMP challenge response Cognito signs.
func Timestamp(t time.Time) string { return t.UTC().Format(timestampLayout) }

// ParseTimestamp reads a TIMESTAMP back, strictly: a zero-padded day or a
// weekday that does not match the date is an error, as Cognito refuses both.
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(timestampLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("srp: TIMESTAMP %q: %w", s, err)
	}
	if Timestamp(t) != s {
		return time.Time{}, fmt.Errorf("srp: TIMESTAMP %q is not in canonical form %q", s, Timestamp(t))
	}
	return t, nil
}

// PoolName returns the part of a user pool ID after the underscore
// ("us-east-1_AbC123" -> "AbC123"), which Cognito mixes into x and the claim.
func PoolName(userPoolID string) (string, error) {
	_, name, ok := strings.Cut(userPoolID, "_")
	if !ok || name == "" {
		return "", fmt.Errorf("srp: user pool ID %q has no '_' followed by a name", userPoolID)
	}
	return name, nil
}

// SecretHash computes SECRET_HASH = base64(HMAC-SHA256(clientSecret, username || clientID)).
// Which username to pass is the caller's business: see the protocol notes.
func SecretHash(username, clientID, clientSecret string) string {
	m := hmac.New(sha256.New, []byte(clientSecret))
	m.Write([]byte(username))
	m.Write([]byte(clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// deriveKey is HKDF-SHA256 (RFC 5869) with salt pad(u), input pad(S) and info
// "Caldera Derived Key", truncated to the 16 bytes Cognito uses.
func deriveKey(u, S *big.Int) []byte {
	ext := hmac.New(sha256.New, Pad(u))
	ext.Write(Pad(S))
	prk := ext.Sum(nil)
	exp := hmac.New(sha256.New, prk)
	exp.Write([]byte("Caldera Derived Key"))
	exp.Write([]byte{1})
	return exp.Sum(nil)[:16]
}

// DecodeSecretBlock decodes the base64 SECRET_BLOCK with a size bound.
func DecodeSecretBlock(secretBlock string) ([]byte, error) {
	if secretBlock == "" {
		return nil, fmt.Errorf("srp: SECRET_BLOCK is empty")
	}
	if len(secretBlock) > MaxSecretBlockLen {
		return nil, fmt.Errorf("srp: SECRET_BLOCK is %d bytes, more than the %d allowed", len(secretBlock), MaxSecretBlockLen)
	}
	b, err := base64.StdEncoding.DecodeString(secretBlock)
	if err != nil {
		return nil, fmt.Errorf("srp: SECRET_BLOCK is not base64: %w", err)
	}
	return b, nil
}

// ClaimSignature computes PASSWORD_CLAIM_SIGNATURE from the session key.
func ClaimSignature(key []byte, poolName, userID, secretBlock, timestamp string) (string, error) {
	block, err := DecodeSecretBlock(secretBlock)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(claimMAC(key, poolName, userID, block, timestamp)), nil
}

func claimMAC(key []byte, poolName, userID string, block []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName))
	m.Write([]byte(userID))
	m.Write(block)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}

// VerifyClaim checks a PASSWORD_CLAIM_SIGNATURE in constant time. Any
// malformed input is simply a mismatch: Cognito answers them all alike.
func VerifyClaim(key []byte, poolName, userID, secretBlock, timestamp, signature string) bool {
	block, err := DecodeSecretBlock(secretBlock)
	if err != nil {
		return false
	}
	if len(signature) > 128 {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return false
	}
	return hmac.Equal(got, claimMAC(key, poolName, userID, block, timestamp))
}

package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// randomBytes draws n bytes from crypto/rand, which does not fail on any
// supported platform (and panics rather than return short data).
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// newUUID returns a random (version 4) UUID, the form of sub, jti and event_id.
func newUUID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

// randomString draws n characters from alphabet without modulo bias.
func randomString(n int, alphabet string) string {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet)
	for len(out) < n {
		for _, c := range randomBytes(n) {
			if int(c) < limit && len(out) < n {
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
	}
	return string(out)
}

const (
	alnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
)

// newPoolID makes a pool ID in Cognito's shape: region_XXXXXXXXX.
func newPoolID(region string) string { return region + "_" + randomString(9, alnum) }

// newClientID makes a 26-character client ID like Cognito's.
func newClientID() string { return randomString(26, lowerAlnum) }

// newClientSecret makes a 51-character client secret like Cognito's.
func newClientSecret() string { return randomString(51, lowerAlnum) }

// newOpaque makes an opaque token (sessions, refresh tokens, secret blocks).
func newOpaque(n int) string { return base64.RawURLEncoding.EncodeToString(randomBytes(n)) }

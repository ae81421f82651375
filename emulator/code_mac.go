package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
)

const (
	metaCodeKey = "code-key"
	codeKeySize = 32 // HMAC-SHA256
	// maxCodeLen bounds what is hashed; Cognito's codes are six digits and
	// ConfirmationCode is at most 2,048 characters.
	maxCodeLen = 2048
)

// codeHasher keys the hashes of pending account codes with a random key
// kept in the store, drawn when the store is first opened.
type codeHasher struct{ key []byte }

func loadCodeHasher(st *store) (*codeHasher, error) {
	var key []byte
	err := st.update(func(t *txn) error {
		if key = t.meta(metaCodeKey); len(key) == codeKeySize {
			return nil
		}
		key = randomBytes(codeKeySize)
		return t.setMeta(metaCodeKey, key)
	})
	if err != nil {
		return nil, fmt.Errorf("emulator: account-code key: %w", err)
	}
	return &codeHasher{key: key}, nil
}

// mac is HMAC-SHA256 over the purpose, the user and the code, so that a
// hash copied to another user or purpose matches nothing.
func (h *codeHasher) mac(purpose, username, code string) []byte {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(purpose + "\x00" + username + "\x00" + code))
	return m.Sum(nil)
}

// matches says in constant time whether got is the code want was made of.
func (h *codeHasher) matches(want []byte, purpose, username, got string) bool {
	if len(want) != sha256.Size || got == "" || len(got) > maxCodeLen {
		return false
	}
	return hmac.Equal(want, h.mac(purpose, username, got))
}

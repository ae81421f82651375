package signin

import "unicode/utf8"

// Bounds on what a caller may pass. Cognito's own limits are smaller, so
// nothing legitimate is refused, and a runaway caller is stopped early. This
// file is the one place arguments are checked; the wasm and JS layers only
// convert types and name the field.
const (
	MaxMapEntries  = 64       // entries in AuthParameters, ChallengeResponses, ClientMetadata, UserAttributes
	MaxKeyLen      = 256      // bytes in a map key
	MaxValueLen    = 16 << 10 // bytes in a map value (refresh tokens run to a few KiB)
	MaxSessionLen  = 64 << 10 // bytes in a Session
	MaxUsernameLen = 512      // bytes (Cognito: 128 characters, up to 4 bytes each)
	MaxPasswordLen = 1024     // bytes (Cognito: 256 characters)
	maxNameLen     = 128      // AuthFlow, ChallengeName, client ID, option names
	maxSecretLen   = 512      // client secret
	maxEndpoint    = 2048     // endpoint URL
)

// checkString bounds a string and refuses text that is not UTF-8 (JSON
// could not carry it faithfully).
func checkString(field, v string, max int, required bool) error {
	if v == "" {
		if required {
			return paramErr(field, "is required")
		}
		return nil
	}
	if len(v) > max {
		return paramErr(field, "is longer than %d bytes", max)
	}
	if !utf8.ValidString(v) {
		return paramErr(field, "is not valid UTF-8")
	}
	return nil
}

// checkName checks an upper-case identifier such as AuthFlow or ChallengeName.
func checkName(field, v string, required bool) error {
	if err := checkString(field, v, maxNameLen, required); err != nil {
		return err
	}
	for _, c := range []byte(v) {
		if !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_' {
			return paramErr(field, "may hold only A-Z, 0-9 and '_' (got an invalid name)")
		}
	}
	return nil
}

// checkMap bounds a caller's map and refuses keys and values that are not UTF-8.
func checkMap(field string, m map[string]string) error {
	if len(m) > MaxMapEntries {
		return paramErr(field, "has %d entries, more than the %d allowed", len(m), MaxMapEntries)
	}
	for k, v := range m {
		if k == "" || len(k) > MaxKeyLen || !utf8.ValidString(k) {
			return paramErr(field, "has a key that is empty, longer than %d bytes or not UTF-8", MaxKeyLen)
		}
		if err := checkString(field+"."+k, v, MaxValueLen, false); err != nil {
			return err
		}
	}
	return nil
}

func require(m map[string]string, field string, keys ...string) error {
	for _, k := range keys {
		if m[k] == "" {
			return paramErr(field+"."+k, "is required")
		}
	}
	return nil
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+3)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func oneOf(field, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return paramErr(field, "must be one of %v, not %q", allowed, v)
}

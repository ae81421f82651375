package emulator

import (
	"crypto/subtle"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Codes: the six digits sent by SMS or email, and TOTP.

// newCode draws a six-digit code from crypto/rand.
func newCode() string { return randomString(6, "0123456789") }

// codesEqual compares a code in constant time.
func codesEqual(want, got string) bool {
	return len(want) > 0 && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// totpOpts is RFC 6238 as Cognito uses it: SHA-1, six digits, 30 s.
var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// checkTOTP accepts a code for the current 30-second step or one step
// either side, and only for a step later than lastStep (a used code is
// refused). It returns the step the code was for.
func checkTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	step := now.Unix() / 30
	for _, s := range []int64{step - 1, step, step + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*30, 0), totpOpts)
		if err != nil {
			return 0, false
		}
		if codesEqual(want, code) && s > lastStep {
			return s, true
		}
	}
	return 0, false
}

// newTOTPSecret makes a 32-character base32 secret (160 bits), the size
// Cognito's AssociateSoftwareToken returns.
func newTOTPSecret() string {
	return strings.ToUpper(randomString(32, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"))
}

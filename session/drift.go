package session

import (
	"strconv"
	"strings"
	"time"
)

// maxDrift bounds the clock drift a stored value may claim. Neither library
// writes one near it; a larger value is corrupt and counts as no drift,
// rather than overflowing time.Duration or pinning every token as fresh or
// expired.
const maxDrift = 10 * 365 * 24 * time.Hour

// driftFromIat is the drift to store for tokens issued at iat (seconds)
// that arrived at local time now: server clock minus local clock, to the
// millisecond, as Amplify v6's cacheCognitoTokens computes it; zero when
// the token carries no iat, as there.
func driftFromIat(iat int64, now time.Time) time.Duration {
	if iat <= 0 {
		return 0
	}
	d := time.Unix(iat, 0).Sub(now).Truncate(time.Millisecond)
	if d > maxDrift || d < -maxDrift {
		return 0
	}
	return d
}

// parseDrift reads a stored clockDrift as Amplify v6's TokenStore does
// (Number.parseInt, then milliseconds): leading spaces, an optional sign and
// the leading decimal digits, so "-350", "12.7" and "5 " all read as
// amazon-cognito-identity-js and Amplify read them. What holds no digits, or
// claims more than maxDrift, is no drift (Amplify would carry NaN on, and
// then never count a token as expired).
//
// A value amazon-cognito-identity-js wrote (seconds, local minus server) is
// read as milliseconds too: the two forms share the key, are both plain
// integers and overlap in range (Amplify's usual values are -1000..0, the
// 1-second truncation of iat plus latency; identity-js's are a few seconds
// either way), so no rule tells them apart without misreading ordinary
// values of the other. Read so, identity-js's value is a drift of a few
// milliseconds, i.e. none, until the next sign-in or refresh writes
// Amplify's form.
func parseDrift(s string) time.Duration {
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	digits := end
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == digits {
		return 0
	}
	ms, err := strconv.ParseInt(s[:end], 10, 64)
	if err != nil || ms > maxDrift.Milliseconds() || ms < -maxDrift.Milliseconds() {
		return 0
	}
	return time.Duration(ms) * time.Millisecond
}

package emulator

import (
	"crypto/subtle"
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// passwordPolicy is a pool's password policy (Policies.PasswordPolicy).
type passwordPolicy struct {
	MinimumLength                 int
	RequireUppercase              bool
	RequireLowercase              bool
	RequireNumbers                bool
	RequireSymbols                bool
	TemporaryPasswordValidityDays int
}

// defaultPolicy is Cognito's default password policy.
var defaultPolicy = passwordPolicy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true,
	RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7}

// passwordPolicyType is the policy as DescribeUserPool shows it.
type passwordPolicyType passwordPolicy

// passwordPolicyJSON is the policy as CreateUserPool and the seed take it:
// members left out keep the API's defaults (length 8, 7 days, no rules).
type passwordPolicyJSON struct {
	MinimumLength                 *int  `json:"MinimumLength,omitempty"`
	RequireUppercase              *bool `json:"RequireUppercase,omitempty"`
	RequireLowercase              *bool `json:"RequireLowercase,omitempty"`
	RequireNumbers                *bool `json:"RequireNumbers,omitempty"`
	RequireSymbols                *bool `json:"RequireSymbols,omitempty"`
	TemporaryPasswordValidityDays *int  `json:"TemporaryPasswordValidityDays,omitempty"`
}

func (pp *passwordPolicyJSON) policy() passwordPolicy {
	pol := passwordPolicy{MinimumLength: 8, TemporaryPasswordValidityDays: 7}
	setInt(&pol.MinimumLength, pp.MinimumLength)
	setInt(&pol.TemporaryPasswordValidityDays, pp.TemporaryPasswordValidityDays)
	setBool(&pol.RequireUppercase, pp.RequireUppercase)
	setBool(&pol.RequireLowercase, pp.RequireLowercase)
	setBool(&pol.RequireNumbers, pp.RequireNumbers)
	setBool(&pol.RequireSymbols, pp.RequireSymbols)
	return pol
}

// passwordSymbols are the characters Cognito counts as symbols.
const passwordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// checkPassword applies the pool's policy, one rule per message as Cognito words them.
func checkPassword(p *poolRecord, pw string) error {
	pol := p.Policy
	fail := func(rule string) error {
		return errf("InvalidPasswordException", "Password did not conform with policy: %s", rule)
	}
	if utf8.RuneCountInString(pw) < pol.MinimumLength {
		return fail("Password not long enough")
	}
	has := func(f func(rune) bool) bool { return strings.IndexFunc(pw, f) >= 0 }
	if pol.RequireLowercase && !has(unicode.IsLower) {
		return fail("Password must have lowercase characters")
	}
	if pol.RequireUppercase && !has(unicode.IsUpper) {
		return fail("Password must have uppercase characters")
	}
	if pol.RequireNumbers && !has(func(r rune) bool { return r >= '0' && r <= '9' }) {
		return fail("Password must have numeric characters")
	}
	if pol.RequireSymbols && !has(func(r rune) bool { return strings.ContainsRune(passwordSymbols, r) }) {
		return fail("Password must have symbol characters")
	}
	return nil
}

func (v *validation) password(field, pw string, required bool) {
	if required {
		v.required(field, pw != "")
	}
	if pw == "" {
		return
	}
	v.length(field, pw, 0, maxPasswordLen)
	if !passwordPattern.MatchString(pw) {
		*v = append(*v, "Value at '"+field+"' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$")
	}
}

// setVerifier replaces the user's salt and verifier for a new password.
func setVerifier(p *poolRecord, u *userRecord, password string) error {
	poolName, err := srp.PoolName(p.ID)
	if err != nil {
		return err
	}
	salt := new(big.Int).SetBytes(randomBytes(srp.SaltBytes))
	ver := srp.VerifierWithSaltTabled(salt, poolName, u.Username, password)
	u.Salt, u.Verifier = srp.Hex(ver.Salt), srp.Hex(ver.V)
	u.NoPassword = false
	return nil
}

// passwordMatches recomputes the verifier with the stored salt and compares
// in constant time; the password itself is never stored.
func passwordMatches(p *poolRecord, u *userRecord, password string) bool {
	poolName, err := srp.PoolName(p.ID)
	if err != nil || u.Salt == "" || u.Verifier == "" {
		return false
	}
	salt, err := srp.ParseHex("SALT", u.Salt)
	if err != nil {
		return false
	}
	want, err := srp.ParseHex("verifier", u.Verifier)
	if err != nil {
		return false
	}
	got := srp.VerifierWithSaltTabled(salt, poolName, u.Username, password)
	return subtle.ConstantTimeCompare(srp.Pad(got.V), srp.Pad(want)) == 1
}

// temporaryPassword makes a password that satisfies any policy Cognito allows.
func temporaryPassword() string {
	return randomString(4, "ABCDEFGHJKLMNPQRSTUVWXYZ") + randomString(4, "abcdefghijkmnopqrstuvwxyz") +
		randomString(4, "23456789") + randomString(2, "!#%&*+-=?@^_") + randomString(86, alnum)
}

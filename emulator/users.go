package emulator

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

const (
	maxAttributes      = 50
	maxAttrNameLen     = 32
	maxAttrValueLen    = 2048
	maxUsernameLen     = 128
	maxPasswordLen     = 256
	maxListUsersResult = 60
)

var (
	usernamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)
	// passwordPattern is Cognito's: no leading or trailing whitespace.
	passwordPattern = regexp.MustCompile(`^[\S]+.*[\S]+$`)
	attrNamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)
)

// standardAttributes are the attributes every pool has; custom attributes
// are written custom:name.
var standardAttributes = []string{"address", "birthdate", "email", "email_verified", "family_name", "gender",
	"given_name", "locale", "middle_name", "name", "nickname", "phone_number", "phone_number_verified",
	"picture", "preferred_username", "profile", "updated_at", "website", "zoneinfo"}

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

func (v *validation) username(field, name string) {
	v.required(field, name != "")
	v.length(field, name, 1, maxUsernameLen)
	if name != "" && len(name) <= 4*maxUsernameLen && !usernamePattern.MatchString(name) {
		*v = append(*v, "Value at '"+field+"' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+")
	}
}

// setVerifier replaces the user's salt and verifier for a new password.
func setVerifier(p *poolRecord, u *userRecord, password string) error {
	poolName, err := srp.PoolName(p.ID)
	if err != nil {
		return err
	}
	ver, err := srp.NewVerifier(poolName, u.Username, password)
	if err != nil {
		return err
	}
	u.Salt, u.Verifier = srp.Hex(ver.Salt), srp.Hex(ver.V)
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
	got := srp.VerifierWithSalt(salt, poolName, u.Username, password)
	return subtle.ConstantTimeCompare(srp.Pad(got.V), srp.Pad(want)) == 1
}

type attributeJSON struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

func attributesView(u *userRecord, only []string) []attributeJSON {
	out := []attributeJSON{}
	for _, a := range u.Attributes {
		if len(only) > 0 && !slices.Contains(only, a.Name) {
			continue
		}
		out = append(out, attributeJSON(a))
	}
	return out
}

// validateAttributes checks names, values and counts of UserAttributes.
func validateAttributes(attrs []attributeJSON) error {
	if len(attrs) > maxAttributes {
		return errInvalidParam("1 validation error detected: Value at 'userAttributes' failed to satisfy constraint: Member must have length less than or equal to %d", maxAttributes)
	}
	seen := map[string]bool{}
	for i, a := range attrs {
		field := "userAttributes." + strconv.Itoa(i+1) + ".member"
		var v validation
		v.required(field+".name", a.Name != "")
		v.length(field+".name", a.Name, 1, maxAttrNameLen)
		v.length(field+".value", a.Value, 0, maxAttrValueLen)
		if a.Name != "" && len(a.Name) <= 4*maxAttrNameLen && !attrNamePattern.MatchString(a.Name) {
			v = append(v, "Value at '"+field+".name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+")
		}
		if err := v.err(); err != nil {
			return err
		}
		switch {
		case a.Name == "sub":
			return errInvalidParam("Cannot modify the non-mutable attribute sub")
		case strings.HasPrefix(a.Name, "custom:"):
			if len(a.Name) == len("custom:") {
				return errInvalidParam("Attribute does not exist in the schema.")
			}
		case !slices.Contains(standardAttributes, a.Name):
			return errInvalidParam("Attributes did not conform to the schema: %s: Attribute does not exist in the schema.", a.Name)
		}
		if seen[a.Name] {
			return errInvalidParam("Duplicate attribute %s.", a.Name)
		}
		seen[a.Name] = true
		switch a.Name {
		case "email":
			if !validEmail(a.Value) {
				return errInvalidParam("Invalid email address format.")
			}
		case "phone_number":
			if !validPhone(a.Value) {
				return errInvalidParam("Invalid phone number format.")
			}
		case "email_verified", "phone_number_verified":
			if a.Value != "true" && a.Value != "false" {
				return errInvalidParam("Invalid value for %s: must be true or false.", a.Name)
			}
		}
	}
	return nil
}

func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n") && strings.Count(s, "@") == 1
}

func validPhone(s string) bool {
	if len(s) < 3 || len(s) > 16 || s[0] != '+' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// newUserSpec describes a user to create (AdminCreateUser or a seed).
type newUserSpec struct {
	Username   string
	Password   string
	Attributes []attributeJSON
	Status     string
}

// createUser stores a new user. In a pool with UsernameAttributes the name
// given must be an email or phone number: it becomes that attribute and the
// username is a generated UUID (which is then also USER_ID_FOR_SRP).
func (e *Emulator) createUser(t *txn, p *poolRecord, spec newUserSpec) (*userRecord, error) {
	if err := validateAttributes(spec.Attributes); err != nil {
		return nil, err
	}
	if err := checkPassword(p, spec.Password); err != nil {
		return nil, err
	}
	now := e.now().UTC()
	sub := newUUID()
	u := &userRecord{Username: spec.Username, Sub: sub, Status: spec.Status, Enabled: true, Created: now, Modified: now}
	u.Attributes = []attribute{{"sub", sub}}
	for _, a := range spec.Attributes {
		u.setAttr(a.Name, a.Value)
	}
	if len(p.UsernameAttributes) > 0 {
		switch {
		case p.isUsernameAttribute("email") && validEmail(spec.Username):
			if v := u.attr("email"); v != "" && p.foldAlias("email", v) != p.foldAlias("email", spec.Username) {
				return nil, errInvalidParam("The email attribute must match the username.")
			}
			u.setAttr("email", spec.Username)
		case p.isUsernameAttribute("phone_number") && validPhone(spec.Username):
			if v := u.attr("phone_number"); v != "" && v != spec.Username {
				return nil, errInvalidParam("The phone_number attribute must match the username.")
			}
			u.setAttr("phone_number", spec.Username)
		default:
			return nil, errInvalidParam("Username should be either an email or a phone number.")
		}
		if existing, err := t.resolveUser(p, spec.Username); err != nil {
			return nil, err
		} else if existing != nil {
			attr := "email"
			if !validEmail(spec.Username) {
				attr = "phone_number"
			}
			return nil, errf("UsernameExistsException", "An account with the given %s already exists.", attr)
		}
		u.Username = sub
	} else if slices.Contains(p.AliasAttributes, "email") && validEmail(spec.Username) {
		return nil, errInvalidParam("Username cannot be of email format, since user pool is configured for email alias.")
	} else if slices.Contains(p.AliasAttributes, "phone_number") && validPhone(spec.Username) {
		return nil, errInvalidParam("Username cannot be of phone number format, since user pool is configured for phone_number alias.")
	} else if existing, err := t.user(p.ID, p.fold(spec.Username)); err != nil {
		return nil, err
	} else if existing != nil {
		return nil, errf("UsernameExistsException", "User account already exists")
	}
	if err := setVerifier(p, u, spec.Password); err != nil {
		return nil, err
	}
	if err := t.putUser(p, nil, u); err != nil {
		var taken errIndexTaken
		if errors.As(err, &taken) {
			if p.isUsernameAttribute(taken.attr) {
				return nil, errf("UsernameExistsException", "An account with the given %s already exists.", taken.attr)
			}
			return nil, errf("AliasExistsException", "An account with the given %s already exists.", taken.attr)
		}
		return nil, err
	}
	return u, nil
}

// temporaryPassword makes a password that satisfies any policy Cognito allows.
func temporaryPassword() string {
	return randomString(4, "ABCDEFGHJKLMNPQRSTUVWXYZ") + randomString(4, "abcdefghijkmnopqrstuvwxyz") +
		randomString(4, "23456789") + randomString(2, "!#%&*+-=?@^_") + randomString(86, alnum)
}

type adminCreateUserRequest struct {
	UserPoolId             string
	Username               string
	UserAttributes         []attributeJSON
	TemporaryPassword      string
	MessageAction          string
	DesiredDeliveryMediums []string
	ForceAliasCreation     bool
}

func (e *Emulator) adminCreateUser(r *http.Request) (any, error) {
	var req adminCreateUserRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var v validation
	v.poolID(req.UserPoolId)
	v.username("username", req.Username)
	v.password("temporaryPassword", req.TemporaryPassword, false)
	v.enum("messageAction", req.MessageAction, "RESEND", "SUPPRESS")
	for i, m := range req.DesiredDeliveryMediums {
		v.enum("desiredDeliveryMediums."+strconv.Itoa(i+1)+".member", m, "SMS", "EMAIL")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if req.MessageAction == "RESEND" {
		return nil, errf("UnsupportedOperationException", "Resending the invitation is not supported by this emulator.")
	}
	pw := req.TemporaryPassword
	if pw == "" {
		pw = temporaryPassword() // would be sent by message; the emulator sends none
	}
	var u *userRecord
	err := e.store.update(func(t *txn) error {
		p, err := mustPool(t, req.UserPoolId)
		if err != nil {
			return err
		}
		u, err = e.createUser(t, p, newUserSpec{Username: req.Username, Password: pw,
			Attributes: req.UserAttributes, Status: statusForceChangePassword})
		return err
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"User": userView(u, nil)}, nil
}

func userView(u *userRecord, only []string) map[string]any {
	return map[string]any{
		"Username":             u.Username,
		"Attributes":           attributesView(u, only),
		"UserCreateDate":       epoch(u.Created),
		"UserLastModifiedDate": epoch(u.Modified),
		"Enabled":              u.Enabled,
		"UserStatus":           u.Status,
	}
}

type adminUserRequest struct {
	UserPoolId string
	Username   string
	Password   string
	Permanent  bool
}

// withAdminUser validates the pool and username and finds the user (by
// username, alias or sub, as the Admin operations do).
func (e *Emulator) withAdminUser(req adminUserRequest, write bool, fn func(t *txn, p *poolRecord, u *userRecord) error) error {
	var v validation
	v.poolID(req.UserPoolId)
	v.username("username", req.Username)
	if err := v.err(); err != nil {
		return err
	}
	run := e.store.view
	if write {
		run = e.store.update
	}
	return run(func(t *txn) error {
		p, err := mustPool(t, req.UserPoolId)
		if err != nil {
			return err
		}
		u, err := t.resolveUser(p, req.Username)
		if err != nil {
			return err
		}
		if u == nil {
			return errUserNotFound()
		}
		return fn(t, p, u)
	})
}

func (e *Emulator) adminGetUser(r *http.Request) (any, error) {
	var req adminUserRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var out map[string]any
	err := e.withAdminUser(req, false, func(_ *txn, _ *poolRecord, u *userRecord) error {
		out = map[string]any{
			"Username":             u.Username,
			"UserAttributes":       attributesView(u, nil),
			"UserCreateDate":       epoch(u.Created),
			"UserLastModifiedDate": epoch(u.Modified),
			"Enabled":              u.Enabled,
			"UserStatus":           u.Status,
		}
		return nil
	})
	return out, err
}

func (e *Emulator) adminDeleteUser(r *http.Request) (any, error) {
	var req adminUserRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	err := e.withAdminUser(req, true, func(t *txn, p *poolRecord, u *userRecord) error {
		return t.deleteUser(p, u)
	})
	return struct{}{}, err
}

func (e *Emulator) adminSetUserPassword(r *http.Request) (any, error) {
	var req adminUserRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var v validation
	v.password("password", req.Password, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	err := e.withAdminUser(req, true, func(t *txn, p *poolRecord, u *userRecord) error {
		if err := checkPassword(p, req.Password); err != nil {
			return err
		}
		old := *u
		if err := setVerifier(p, u, req.Password); err != nil {
			return err
		}
		u.Status = statusForceChangePassword
		if req.Permanent {
			u.Status = statusConfirmed
		}
		u.Modified = e.now().UTC()
		return t.putUser(p, &old, u)
	})
	if err == nil {
		e.lockout.succeed(lockKey(req.UserPoolId, req.Username))
	}
	return struct{}{}, err
}

// listFilter is ListUsers' filter: attr = "value" or attr ^= "value".
type listFilter struct {
	attr, value string
	prefix      bool
}

var filterPattern = regexp.MustCompile(`^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$`)

var filterableAttributes = []string{"username", "email", "phone_number", "name", "given_name", "family_name",
	"preferred_username", "cognito:user_status", "status", "sub"}

func parseFilter(s string) (*listFilter, error) {
	if s == "" {
		return nil, nil
	}
	m := filterPattern.FindStringSubmatch(s)
	if m == nil {
		return nil, errInvalidParam("Error while parsing filter.")
	}
	if !slices.Contains(filterableAttributes, m[1]) {
		return nil, errInvalidParam("Invalid search attribute: %s", m[1])
	}
	val := strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(m[3])
	return &listFilter{attr: m[1], value: val, prefix: m[2] == "^="}, nil
}

func (f *listFilter) match(u *userRecord) bool {
	var got string
	switch f.attr {
	case "username":
		got = u.Username
	case "cognito:user_status":
		got = u.Status
	case "status":
		got = "Disabled"
		if u.Enabled {
			got = "Enabled"
		}
	default:
		got = u.attr(f.attr)
	}
	if f.prefix {
		return strings.HasPrefix(got, f.value)
	}
	return got == f.value
}

func (e *Emulator) listUsers(r *http.Request) (any, error) {
	var req struct {
		UserPoolId      string
		AttributesToGet []string
		Filter          string
		Limit           *int
		PaginationToken string
	}
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var v validation
	v.poolID(req.UserPoolId)
	v.length("filter", req.Filter, 0, 256)
	limit := maxListUsersResult
	if req.Limit != nil {
		v.rangeInt("limit", *req.Limit, 0, maxListUsersResult)
		limit = *req.Limit
	}
	if len(req.AttributesToGet) > maxAttributes {
		v = append(v, "Value at 'attributesToGet' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = maxListUsersResult
	}
	filter, err := parseFilter(req.Filter)
	if err != nil {
		return nil, err
	}
	after, err := decodePageToken(req.PaginationToken, "PaginationToken")
	if err != nil {
		return nil, err
	}
	users := []map[string]any{}
	next := ""
	err = e.store.view(func(t *txn) error {
		if _, err := mustPool(t, req.UserPoolId); err != nil {
			return err
		}
		prefix := req.UserPoolId + "\x00"
		last := ""
		return t.scan(bucketUsers, prefix, func(k, val []byte) (bool, error) {
			key := string(k[len(prefix):])
			if after != "" && key <= after {
				return true, nil
			}
			var u userRecord
			if err := json.Unmarshal(val, &u); err != nil {
				return false, err
			}
			if filter != nil && !filter.match(&u) {
				return true, nil
			}
			if len(users) == limit {
				next = encodePageToken(last)
				return false, nil
			}
			users = append(users, userView(&u, req.AttributesToGet))
			last = key
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"Users": users}
	if next != "" {
		out["PaginationToken"] = next
	}
	return out, nil
}

func (e *Emulator) getUser(r *http.Request) (any, error) {
	var req struct{ AccessToken string }
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var v validation
	v.required("accessToken", req.AccessToken != "")
	if err := v.err(); err != nil {
		return nil, err
	}
	claims, poolID, err := e.verifyAccessToken(req.AccessToken)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	err = e.store.view(func(t *txn) error {
		p, err := t.pool(poolID)
		if err != nil {
			return err
		}
		if p == nil {
			return errNotAuthorized("Invalid Access Token")
		}
		u, err := t.user(p.ID, p.fold(claims.Username))
		if err != nil {
			return err
		}
		if u == nil || u.Sub != claims.Sub {
			return errUserNotFound()
		}
		if !u.Enabled {
			return errNotAuthorized("User is disabled.")
		}
		out = map[string]any{"Username": u.Username, "UserAttributes": attributesView(u, nil)}
		return nil
	})
	return out, err
}

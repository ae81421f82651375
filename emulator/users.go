package emulator

import (
	"encoding/base64"
	"errors"
	"regexp"
	"slices"
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

func (v *validation) username(field, name string) {
	v.required(field, name != "")
	v.length(field, name, 1, maxUsernameLen)
	if name != "" && len(name) <= 4*maxUsernameLen && !usernamePattern.MatchString(name) {
		*v = append(*v, "Value at '"+field+"' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+")
	}
}

// newUserSpec describes a user to create (AdminCreateUser or a seed).
type newUserSpec struct {
	Username   string
	Password   string
	Attributes []attributeJSON
	Status     string
	// NoPassword creates a passwordless user (Password is ignored).
	NoPassword bool
}

// createUser stores a new user. In a pool with UsernameAttributes the name
// given must be an email or phone number: it becomes that attribute and the
// username is a generated UUID (which is then also USER_ID_FOR_SRP).
func (e *Emulator) createUser(t *txn, p *poolRecord, spec newUserSpec) (*userRecord, error) {
	if err := p.validateAttributes(spec.Attributes); err != nil {
		return nil, err
	}
	if spec.NoPassword {
		spec.Password = base64.StdEncoding.EncodeToString(randomBytes(40))
	} else if err := checkPassword(p, spec.Password); err != nil {
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
	u.NoPassword = spec.NoPassword
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

package emulator

import (
	"regexp"
	"slices"
	"strings"
)

// listFilter is ListUsers' filter, as Cognito documents it: one
// searchable attribute, = (exact) or ^= (prefix), and the value in double
// quotes, a quote inside it escaped with a backslash.
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

// match applies the filter as Cognito documents it: username and status
// are case-sensitive, cognito:user_status is not, and a user without the
// attribute matches nothing (not even "" or a prefix "").
func (f *listFilter) match(u *userRecord) bool {
	var got string
	switch f.attr {
	case "username":
		got = u.Username
	case "cognito:user_status":
		got, want := strings.ToUpper(u.Status), strings.ToUpper(f.value)
		if f.prefix {
			return strings.HasPrefix(got, want)
		}
		return got == want
	case "status":
		got = "Disabled"
		if u.Enabled {
			got = "Enabled"
		}
	default:
		if !u.hasAttr(f.attr) {
			return false
		}
		got = u.attr(f.attr)
	}
	if f.prefix {
		return strings.HasPrefix(got, f.value)
	}
	return got == f.value
}

func (u *userRecord) hasAttr(name string) bool {
	return slices.ContainsFunc(u.Attributes, func(a attribute) bool { return a.Name == name })
}

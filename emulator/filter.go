package emulator

import (
	"regexp"
	"slices"
	"strings"
)

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

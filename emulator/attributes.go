package emulator

import (
	"slices"
	"strconv"
	"strings"
)

// schemaAttribute is one attribute of a pool's schema.
type schemaAttribute struct {
	Name                       string         `json:"Name"`
	AttributeDataType          string         `json:"AttributeDataType"`
	DeveloperOnlyAttribute     bool           `json:"DeveloperOnlyAttribute"`
	Mutable                    bool           `json:"Mutable"`
	Required                   bool           `json:"Required"`
	StringAttributeConstraints map[string]any `json:"StringAttributeConstraints,omitempty"`
}

// standardSchema lists the standard attributes as DescribeUserPool shows them.
func standardSchema() []schemaAttribute {
	str := func(name string, mutable bool, min, max string) schemaAttribute {
		return schemaAttribute{Name: name, AttributeDataType: "String", Mutable: mutable,
			StringAttributeConstraints: map[string]any{"MinLength": min, "MaxLength": max}}
	}
	out := []schemaAttribute{str("sub", false, "1", "2048")}
	for _, n := range []string{"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
		"profile", "picture", "website", "email"} {
		out = append(out, str(n, true, "0", "2048"))
	}
	out = append(out, schemaAttribute{Name: "email_verified", AttributeDataType: "Boolean", Mutable: true})
	for _, n := range []string{"gender", "birthdate", "zoneinfo", "locale", "phone_number"} {
		out = append(out, str(n, true, "0", "2048"))
	}
	out = append(out, schemaAttribute{Name: "phone_number_verified", AttributeDataType: "Boolean", Mutable: true})
	out = append(out, str("address", true, "0", "2048"))
	out = append(out, schemaAttribute{Name: "updated_at", AttributeDataType: "Number", Mutable: true})
	return out
}

// maxSchemaAttributes bounds CreateUserPool's Schema, as Cognito does.
const maxSchemaAttributes = 50

// checkSchema validates CreateUserPool's Schema: standard attributes may be
// made required, custom ones (named without the custom: prefix) added.
func checkSchema(in []schemaAttribute) ([]schemaAttribute, error) {
	if len(in) > maxSchemaAttributes {
		return nil, errInvalidParam("1 validation error detected: Value at 'schema' failed to satisfy constraint: Member must have length less than or equal to %d", maxSchemaAttributes)
	}
	var out []schemaAttribute
	seen := map[string]bool{}
	for i, a := range in {
		field := "schema." + strconv.Itoa(i+1) + ".member"
		var v validation
		v.required(field+".name", a.Name != "")
		v.length(field+".name", a.Name, 1, 20)
		v.enum(field+".attributeDataType", a.AttributeDataType, "String", "Number", "DateTime", "Boolean")
		if err := v.err(); err != nil {
			return nil, err
		}
		name := strings.TrimPrefix(a.Name, "custom:")
		if seen[name] {
			return nil, errInvalidParam("Duplicate attribute in schema: %s", name)
		}
		seen[name] = true
		if slices.Contains(standardAttributes, name) || name == "sub" {
			a.Name = name
		} else {
			if a.Required {
				return nil, errInvalidParam("Required custom attributes are not supported currently.")
			}
			a.Name = "custom:" + name
			a.Mutable = true
		}
		if a.AttributeDataType == "" {
			a.AttributeDataType = "String"
		}
		out = append(out, a)
	}
	return out, nil
}

// schema is the pool's schema as DescribeUserPool shows it: the standard
// attributes (with any made required) and the custom ones.
func (p *poolRecord) schema() []schemaAttribute {
	out := standardSchema()
	for _, a := range p.Schema {
		if i := slices.IndexFunc(out, func(s schemaAttribute) bool { return s.Name == a.Name }); i >= 0 {
			out[i].Required = a.Required
			continue
		}
		out = append(out, a)
	}
	return out
}

// requiredAttributes lists the attributes the pool's schema requires.
func (p *poolRecord) requiredAttributes() []string {
	var out []string
	for _, a := range p.Schema {
		if a.Required {
			out = append(out, a.Name)
		}
	}
	return out
}

// standardAttributes are the attributes every pool has; custom attributes
// are written custom:name.
var standardAttributes = []string{"address", "birthdate", "email", "email_verified", "family_name", "gender",
	"given_name", "locale", "middle_name", "name", "nickname", "phone_number", "phone_number_verified",
	"picture", "preferred_username", "profile", "updated_at", "website", "zoneinfo"}

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

// validateAttributes checks attrs as the package's validateAttributes does,
// then against the pool's custom attributes.
func (p *poolRecord) validateAttributes(attrs []attributeJSON) error {
	if err := validateAttributes(attrs); err != nil {
		return err
	}
	return p.checkCustomAttributes(attrs)
}

// checkCustomAttributes refuses a custom attribute the pool's schema does
// not have, as Cognito does (validateAttributes, which knows no pool, has
// already refused unknown standard names).
func (p *poolRecord) checkCustomAttributes(attrs []attributeJSON) error {
	for _, a := range attrs {
		if !strings.HasPrefix(a.Name, "custom:") {
			continue
		}
		if !slices.ContainsFunc(p.Schema, func(s schemaAttribute) bool { return s.Name == a.Name }) {
			return errInvalidParam("Attributes did not conform to the schema: %s: Attribute does not exist in the schema.", a.Name)
		}
	}
	return nil
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

package emulator

import (
	"encoding/base64"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// epoch marshals a time as awsJson1.1 does: seconds since 1970 as a number.
type epoch time.Time

func (t epoch) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)), nil
}

var (
	poolIDPattern   = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)
	clientIDPattern = regexp.MustCompile(`^[\w+]+$`)
	poolNamePattern = regexp.MustCompile(`^[\w\s+=,.@-]+$`)
)

func validPoolID(s string) bool   { return len(s) <= 55 && poolIDPattern.MatchString(s) }
func validClientID(s string) bool { return len(s) <= 128 && clientIDPattern.MatchString(s) }

// checkPoolID validates a UserPoolId field as Cognito's model does.
func (v *validation) poolID(id string) {
	v.required("userPoolId", id != "")
	v.length("userPoolId", id, 1, 55)
	if id != "" && len(id) <= 55 && !poolIDPattern.MatchString(id) {
		*v = append(*v, "Value at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+")
	}
}

func (v *validation) clientID(field, id string) {
	v.required(field, id != "")
	v.length(field, id, 1, 128)
	if id != "" && len(id) <= 128 && !clientIDPattern.MatchString(id) {
		*v = append(*v, "Value at '"+field+"' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+")
	}
}

type passwordPolicyJSON struct {
	MinimumLength                 *int  `json:"MinimumLength,omitempty"`
	RequireUppercase              *bool `json:"RequireUppercase,omitempty"`
	RequireLowercase              *bool `json:"RequireLowercase,omitempty"`
	RequireNumbers                *bool `json:"RequireNumbers,omitempty"`
	RequireSymbols                *bool `json:"RequireSymbols,omitempty"`
	TemporaryPasswordValidityDays *int  `json:"TemporaryPasswordValidityDays,omitempty"`
}

type createUserPoolRequest struct {
	PoolName string
	Policies *struct {
		PasswordPolicy *passwordPolicyJSON
	}
	UsernameAttributes     []string
	AliasAttributes        []string
	AutoVerifiedAttributes []string
	UsernameConfiguration  *struct{ CaseSensitive *bool }
	MfaConfiguration       string
}

// poolSpec is what CreateUserPool and the seed file both describe.
type poolSpec struct {
	ID                     string // empty: generate
	Name                   string
	UsernameAttributes     []string
	AliasAttributes        []string
	AutoVerifiedAttributes []string
	CaseSensitive          *bool
	Policy                 *passwordPolicy
}

func (e *Emulator) createUserPool(r *http.Request) (any, error) {
	var req createUserPoolRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var v validation
	v.required("poolName", req.PoolName != "")
	v.length("poolName", req.PoolName, 1, 128)
	v.enum("mfaConfiguration", req.MfaConfiguration, "OFF", "ON", "OPTIONAL")
	if err := v.err(); err != nil {
		return nil, err
	}
	spec := poolSpec{Name: req.PoolName, UsernameAttributes: req.UsernameAttributes,
		AliasAttributes: req.AliasAttributes, AutoVerifiedAttributes: req.AutoVerifiedAttributes}
	if req.UsernameConfiguration != nil {
		spec.CaseSensitive = req.UsernameConfiguration.CaseSensitive
	}
	if req.Policies != nil && req.Policies.PasswordPolicy != nil {
		pp := req.Policies.PasswordPolicy
		pol := passwordPolicy{MinimumLength: 8, TemporaryPasswordValidityDays: 7}
		setInt(&pol.MinimumLength, pp.MinimumLength)
		setInt(&pol.TemporaryPasswordValidityDays, pp.TemporaryPasswordValidityDays)
		setBool(&pol.RequireUppercase, pp.RequireUppercase)
		setBool(&pol.RequireLowercase, pp.RequireLowercase)
		setBool(&pol.RequireNumbers, pp.RequireNumbers)
		setBool(&pol.RequireSymbols, pp.RequireSymbols)
		spec.Policy = &pol
	}
	var p *poolRecord
	err := e.store.update(func(t *txn) (err error) {
		p, err = e.createPool(t, spec)
		return err
	})
	if err != nil {
		return nil, err
	}
	if req.MfaConfiguration != "" && req.MfaConfiguration != "OFF" {
		e.log.Warn("MFA is not emulated yet; pool created with MfaConfiguration OFF", "pool", p.ID)
	}
	return map[string]any{"UserPool": e.poolView(p, 0)}, nil
}

func setInt(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

var signInAttributes = []string{"email", "phone_number", "preferred_username"}

// createPool validates spec and stores a new pool.
func (e *Emulator) createPool(t *txn, spec poolSpec) (*poolRecord, error) {
	var v validation
	if spec.ID != "" {
		v.poolID(spec.ID)
	}
	v.required("poolName", spec.Name != "")
	v.length("poolName", spec.Name, 1, 128)
	if spec.Name != "" && !poolNamePattern.MatchString(spec.Name) {
		v = append(v, "Value at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+")
	}
	for i, a := range spec.UsernameAttributes {
		v.enum("usernameAttributes."+strconv.Itoa(i+1)+".member", a, "phone_number", "email")
	}
	for i, a := range spec.AliasAttributes {
		v.enum("aliasAttributes."+strconv.Itoa(i+1)+".member", a, signInAttributes...)
	}
	for i, a := range spec.AutoVerifiedAttributes {
		v.enum("autoVerifiedAttributes."+strconv.Itoa(i+1)+".member", a, "phone_number", "email")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if len(spec.UsernameAttributes) > 0 && len(spec.AliasAttributes) > 0 {
		return nil, errInvalidParam("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.")
	}
	pol := defaultPolicy
	if spec.Policy != nil {
		pol = *spec.Policy
		if pol.MinimumLength < 6 || pol.MinimumLength > 99 {
			return nil, errInvalidParam("1 validation error detected: Value '%d' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value between 6 and 99", pol.MinimumLength)
		}
		if pol.TemporaryPasswordValidityDays < 0 || pol.TemporaryPasswordValidityDays > 365 {
			return nil, errInvalidParam("1 validation error detected: Value '%d' at 'policies.passwordPolicy.temporaryPasswordValidityDays' failed to satisfy constraint: Member must have value between 0 and 365", pol.TemporaryPasswordValidityDays)
		}
	}
	now := e.now().UTC()
	p := &poolRecord{ID: spec.ID, Name: spec.Name, Created: now, Modified: now,
		UsernameAttributes: dedupe(spec.UsernameAttributes), AliasAttributes: dedupe(spec.AliasAttributes),
		AutoVerifiedAttributes: dedupe(spec.AutoVerifiedAttributes), CaseSensitive: true, Policy: pol,
		MfaConfiguration: "OFF", Secret: randomBytes(32)}
	if spec.CaseSensitive != nil {
		p.CaseSensitive = *spec.CaseSensitive
	}
	for p.ID == "" {
		id := newPoolID(e.cfg.Region)
		if existing, err := t.pool(id); err != nil {
			return nil, err
		} else if existing == nil {
			p.ID = id
		}
	}
	if existing, err := t.pool(p.ID); err != nil {
		return nil, err
	} else if existing != nil {
		return nil, errInvalidParam("User pool %s already exists.", p.ID)
	}
	return p, t.put(bucketPools, p.ID, p)
}

func dedupe(s []string) []string {
	var out []string
	for _, x := range s {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

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

func (e *Emulator) poolView(p *poolRecord, users int) map[string]any {
	pol := p.Policy
	view := map[string]any{
		"Id":   p.ID,
		"Name": p.Name,
		"Arn":  "arn:aws:cognito-idp:" + e.cfg.Region + ":000000000000:userpool/" + p.ID,
		"Policies": map[string]any{"PasswordPolicy": map[string]any{
			"MinimumLength": pol.MinimumLength, "RequireUppercase": pol.RequireUppercase,
			"RequireLowercase": pol.RequireLowercase, "RequireNumbers": pol.RequireNumbers,
			"RequireSymbols": pol.RequireSymbols, "TemporaryPasswordValidityDays": pol.TemporaryPasswordValidityDays,
		}},
		"DeletionProtection":     "INACTIVE",
		"LambdaConfig":           map[string]any{},
		"LastModifiedDate":       epoch(p.Modified),
		"CreationDate":           epoch(p.Created),
		"SchemaAttributes":       standardSchema(),
		"UsernameConfiguration":  map[string]any{"CaseSensitive": p.CaseSensitive},
		"MfaConfiguration":       p.MfaConfiguration,
		"EstimatedNumberOfUsers": users,
		"AdminCreateUserConfig":  map[string]any{"AllowAdminCreateUserOnly": false, "UnusedAccountValidityDays": pol.TemporaryPasswordValidityDays},
		"UserPoolTier":           "ESSENTIALS",
	}
	if len(p.UsernameAttributes) > 0 {
		view["UsernameAttributes"] = p.UsernameAttributes
	}
	if len(p.AliasAttributes) > 0 {
		view["AliasAttributes"] = p.AliasAttributes
	}
	if len(p.AutoVerifiedAttributes) > 0 {
		view["AutoVerifiedAttributes"] = p.AutoVerifiedAttributes
	}
	return view
}

type poolIDRequest struct{ UserPoolId string }

// mustPool reads a pool or answers ResourceNotFoundException.
func mustPool(t *txn, id string) (*poolRecord, error) {
	p, err := t.pool(id)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errPoolNotFound(id)
	}
	return p, nil
}

// decodePoolID reads and validates a request whose only field is UserPoolId.
func decodePoolID(r *http.Request) (string, error) {
	var req poolIDRequest
	if err := decodeBody(r, &req); err != nil {
		return "", err
	}
	var v validation
	v.poolID(req.UserPoolId)
	return req.UserPoolId, v.err()
}

func (e *Emulator) describeUserPool(r *http.Request) (any, error) {
	poolID, err := decodePoolID(r)
	if err != nil {
		return nil, err
	}
	var out any
	err = e.store.view(func(t *txn) error {
		p, err := mustPool(t, poolID)
		if err != nil {
			return err
		}
		n, err := t.countUsers(p.ID)
		out = map[string]any{"UserPool": e.poolView(p, n)}
		return err
	})
	return out, err
}

func (e *Emulator) deleteUserPool(r *http.Request) (any, error) {
	poolID, err := decodePoolID(r)
	if err != nil {
		return nil, err
	}
	err = e.store.update(func(t *txn) error {
		if _, err := mustPool(t, poolID); err != nil {
			return err
		}
		return t.deletePool(poolID)
	})
	return struct{}{}, err
}

func (e *Emulator) listUserPools(r *http.Request) (any, error) {
	var req struct {
		MaxResults *int
		NextToken  string
	}
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var v validation
	v.required("maxResults", req.MaxResults != nil)
	if req.MaxResults != nil {
		v.rangeInt("maxResults", *req.MaxResults, 1, 60)
	}
	v.length("nextToken", req.NextToken, 1, 131072)
	if err := v.err(); err != nil {
		return nil, err
	}
	after, err := decodePageToken(req.NextToken, "NextToken")
	if err != nil {
		return nil, err
	}
	pools := []map[string]any{}
	next := ""
	err = e.store.view(func(t *txn) error {
		return t.scan(bucketPools, "", func(k, val []byte) (bool, error) {
			if after != "" && string(k) <= after {
				return true, nil
			}
			if len(pools) == *req.MaxResults {
				next = encodePageToken(pools[len(pools)-1]["Id"].(string))
				return false, nil
			}
			p, err := t.pool(string(k))
			if err != nil || p == nil {
				return false, err
			}
			pools = append(pools, map[string]any{"Id": p.ID, "Name": p.Name, "LambdaConfig": map[string]any{},
				"LastModifiedDate": epoch(p.Modified), "CreationDate": epoch(p.Created)})
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"UserPools": pools}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}

// Page tokens are the last key returned, opaque to callers.
func encodePageToken(lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(lastKey))
}

func decodePageToken(tok, field string) (string, error) {
	if tok == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) == 0 {
		return "", errInvalidParam("Invalid %s.", field)
	}
	return string(b), nil
}

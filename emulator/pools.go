package emulator

import (
	"encoding/base64"
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

func validPoolID(s string) bool { return len(s) <= 55 && poolIDPattern.MatchString(s) }

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

type userPoolType struct {
	Id       string
	Name     string
	Arn      string
	Policies struct {
		PasswordPolicy passwordPolicyType
		SignInPolicy   *signInPolicy `json:",omitempty"`
	}
	DeletionProtection     string
	LambdaConfig           lambdaConfigType
	LastModifiedDate       epoch
	CreationDate           epoch
	SchemaAttributes       []schemaAttribute
	UsernameConfiguration  struct{ CaseSensitive bool }
	MfaConfiguration       string
	EstimatedNumberOfUsers int
	AdminCreateUserConfig  struct {
		AllowAdminCreateUserOnly  bool
		UnusedAccountValidityDays int
		InviteMessageTemplate     *messageTemplateType `json:",omitempty"`
	}
	VerificationMessageTemplate *verificationMessageTemplateType `json:",omitempty"`
	SmsVerificationMessage      string                           `json:",omitempty"`
	EmailVerificationMessage    string                           `json:",omitempty"`
	EmailVerificationSubject    string                           `json:",omitempty"`
	UserPoolTier                string
	UsernameAttributes          []string                     `json:",omitempty"`
	AliasAttributes             []string                     `json:",omitempty"`
	AutoVerifiedAttributes      []string                     `json:",omitempty"`
	SmsConfiguration            *smsConfigurationType        `json:",omitempty"`
	SmsAuthenticationMessage    string                       `json:",omitempty"`
	UserAttributeUpdateSettings *userAttributeUpdateSettings `json:",omitempty"`
	DeviceConfiguration         *deviceConfiguration         `json:",omitempty"`
	UserPoolAddOns              userPoolAddOns
}

// userAttributeUpdateSettings is UserAttributeUpdateSettings as CreateUserPool
// and UpdateUserPool take it and DescribeUserPool shows it.
type userAttributeUpdateSettings struct {
	AttributesRequireVerificationBeforeUpdate []string
}

func checkUpdateSettings(v *validation, attrs []string) {
	for i, a := range attrs {
		v.enum("userAttributeUpdateSettings.attributesRequireVerificationBeforeUpdate."+strconv.Itoa(i+1)+".member", a, "phone_number", "email")
	}
}

func (e *Emulator) poolView(p *poolRecord, users int) userPoolType {
	v := userPoolType{Id: p.ID, Name: p.Name, Arn: "arn:aws:cognito-idp:" + e.cfg.Region + ":000000000000:userpool/" + p.ID,
		DeletionProtection: "INACTIVE", LastModifiedDate: epoch(p.Modified), CreationDate: epoch(p.Created),
		SchemaAttributes: p.schema(), MfaConfiguration: p.MfaConfiguration, EstimatedNumberOfUsers: users,
		UserPoolTier: "ESSENTIALS", UsernameAttributes: p.UsernameAttributes, AliasAttributes: p.AliasAttributes,
		AutoVerifiedAttributes: p.AutoVerifiedAttributes, LambdaConfig: p.LambdaConfig}
	v.Policies.PasswordPolicy = passwordPolicyType(p.Policy)
	if len(p.RequireVerificationBeforeUpdate) > 0 {
		v.UserAttributeUpdateSettings = &userAttributeUpdateSettings{p.RequireVerificationBeforeUpdate}
	}
	v.Policies.SignInPolicy = p.SignInPolicy
	v.DeviceConfiguration = p.Devices
	v.UserPoolAddOns.AdvancedSecurityMode = "OFF"
	if p.AdvancedSecurityMode != "" {
		v.UserPoolAddOns.AdvancedSecurityMode = p.AdvancedSecurityMode
	}
	v.SmsConfiguration, v.SmsAuthenticationMessage = p.Mfa.SmsConfiguration, p.Mfa.SmsAuthenticationMessage
	v.UsernameConfiguration.CaseSensitive = p.CaseSensitive
	v.AdminCreateUserConfig.UnusedAccountValidityDays = p.Policy.TemporaryPasswordValidityDays
	v.viewTemplates(p)
	return v
}

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

// mustPoolClient returns pool poolID's app client clientID, or the
// error Cognito gives when the pool or the client (in that pool) is missing.
func mustPoolClient(t *txn, poolID, clientID string) (*clientRecord, error) {
	if _, err := mustPool(t, poolID); err != nil {
		return nil, err
	}
	c, err := t.client(clientID)
	if err != nil {
		return nil, err
	}
	if c == nil || c.PoolID != poolID {
		return nil, errClientNotFound(clientID)
	}
	return c, nil
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

// poolSpec is what CreateUserPool and the seed file both describe.
type poolSpec struct {
	ID                     string // empty: generate
	Name                   string
	UsernameAttributes     []string
	AliasAttributes        []string
	AutoVerifiedAttributes []string
	// RequireVerificationBeforeUpdate is UserAttributeUpdateSettings'
	// AttributesRequireVerificationBeforeUpdate.
	RequireVerificationBeforeUpdate []string
	CaseSensitive                   *bool
	Policy                          *passwordPolicy
	MfaConfiguration                string // empty: OFF
	Mfa                             poolMFA
	Schema                          []schemaAttribute
	LambdaConfig                    lambdaConfigType
	SignInPolicy                    *signInPolicy
	Devices                         *deviceConfiguration
	AdvancedSecurityMode            string // UserPoolAddOns'; empty: OFF
	Messages                        messageTemplates
	AdminCreateUserOnly             bool
	WebAuthn                        *webAuthnConfig // seeds only; the API sets it with SetUserPoolMfaConfig
}

// userPoolAddOns is UserPoolAddOns (threat protection) as CreateUserPool
// and UpdateUserPool take it and DescribeUserPool shows it.
type userPoolAddOns struct {
	AdvancedSecurityMode string
}

func (a *userPoolAddOns) check(v *validation) {
	if a == nil {
		return
	}
	v.required("userPoolAddOns.advancedSecurityMode", a.AdvancedSecurityMode != "")
	v.enum("userPoolAddOns.advancedSecurityMode", a.AdvancedSecurityMode, "OFF", "AUDIT", "ENFORCED")
}

func (a *userPoolAddOns) mode() string {
	if a == nil || a.AdvancedSecurityMode == "OFF" {
		return ""
	}
	return a.AdvancedSecurityMode
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
	spec.LambdaConfig.validate(&v)
	checkUpdateSettings(&v, spec.RequireVerificationBeforeUpdate)
	if err := v.err(); err != nil {
		return nil, err
	}
	if len(spec.UsernameAttributes) > 0 && len(spec.AliasAttributes) > 0 {
		return nil, errInvalidParam("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.")
	}
	pol := defaultPolicy
	if spec.Policy != nil {
		pol = *spec.Policy
		if err := checkPasswordPolicy(pol); err != nil {
			return nil, err
		}
	}
	mode := spec.MfaConfiguration
	if mode == "" {
		mode = "OFF"
	}
	if err := checkMFAConfig(mode, spec.Mfa); err != nil {
		return nil, err
	}
	schema, err := checkSchema(spec.Schema)
	if err != nil {
		return nil, err
	}
	if spec.SignInPolicy != nil {
		var v validation
		for i, f := range spec.SignInPolicy.AllowedFirstAuthFactors {
			v.enum("policies.signInPolicy.allowedFirstAuthFactors."+strconv.Itoa(i+1)+".member", f, "PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
		}
		if err := v.err(); err != nil {
			return nil, err
		}
	}
	now := e.now().UTC()
	p := &poolRecord{ID: spec.ID, Name: spec.Name, Created: now, Modified: now,
		UsernameAttributes: dedupe(spec.UsernameAttributes), AliasAttributes: dedupe(spec.AliasAttributes),
		AutoVerifiedAttributes: dedupe(spec.AutoVerifiedAttributes), CaseSensitive: true, Policy: pol,
		MfaConfiguration: mode, Mfa: spec.Mfa, Schema: schema, LambdaConfig: spec.LambdaConfig,
		SignInPolicy: spec.SignInPolicy, Devices: spec.Devices, WebAuthn: spec.WebAuthn, Secret: randomBytes(32),
		RequireVerificationBeforeUpdate: dedupe(spec.RequireVerificationBeforeUpdate),
		AdvancedSecurityMode:            spec.AdvancedSecurityMode,
		Messages:                        spec.Messages, AdminCreateUserOnly: spec.AdminCreateUserOnly}
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

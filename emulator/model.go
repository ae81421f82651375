package emulator

import (
	"slices"
	"strings"
	"time"
)

// poolRecord is a user pool as stored.
type poolRecord struct {
	ID                     string
	Name                   string
	Created                time.Time
	Modified               time.Time
	UsernameAttributes     []string
	AliasAttributes        []string
	AutoVerifiedAttributes []string
	// RequireVerificationBeforeUpdate is UserAttributeUpdateSettings'
	// AttributesRequireVerificationBeforeUpdate: a new email or phone number
	// waits, the verified one kept, until its code comes back.
	RequireVerificationBeforeUpdate []string `json:",omitempty"`
	CaseSensitive                   bool
	Policy                          passwordPolicy
	MfaConfiguration                string // OFF | ON | OPTIONAL
	Mfa                             poolMFA
	// Schema holds the attributes CreateUserPool's Schema added or made
	// required (custom attributes, required standard ones).
	Schema []schemaAttribute `json:",omitempty"`
	// LambdaConfig and SignInPolicy are kept as given, for the flows that
	// read them (triggers, USER_AUTH).
	LambdaConfig lambdaConfigType
	SignInPolicy *signInPolicy `json:",omitempty"`
	// Devices is DeviceConfiguration: device tracking is on when set (devices.go).
	Devices *deviceConfiguration `json:",omitempty"`
	// WebAuthn is WebAuthnConfiguration (passkeys, webauthn.go).
	WebAuthn *webAuthnConfig `json:",omitempty"`
	// AdvancedSecurityMode is UserPoolAddOns' (threat protection): OFF
	// (empty), AUDIT or ENFORCED. Sign-ins are recorded for
	// AdminListUserAuthEvents unless OFF; no risk is scored.
	AdvancedSecurityMode string `json:",omitempty"`
	// Messages are the pool's own verification and invitation words, and
	// AdminCreateUserOnly refuses SignUp (message_templates.go).
	Messages            messageTemplates
	AdminCreateUserOnly bool `json:",omitempty"`
	// Secret keys the simulated challenges for unknown users, so that an
	// unknown name always gets the same salt (PreventUserExistenceErrors).
	Secret []byte
}

// fold gives the key a username is stored under: itself in a case-sensitive
// pool (the API default), lower case otherwise.
func (p *poolRecord) fold(username string) string {
	if p.CaseSensitive {
		return username
	}
	return strings.ToLower(username)
}

// foldAlias folds an alias value. Email addresses are matched without regard
// to case in case-insensitive pools only, as Cognito does.
func (p *poolRecord) foldAlias(attr, value string) string {
	if attr == "phone_number" {
		return value
	}
	return p.fold(value)
}

func (p *poolRecord) isUsernameAttribute(attr string) bool {
	return slices.Contains(p.UsernameAttributes, attr)
}

// indexEntries lists the (kind, value) pairs by which u can be found: its sub,
// and each sign-in attribute it may use. An alias counts only once verified
// (preferred_username needs no verification); a username attribute always.
func (p *poolRecord) indexEntries(u *userRecord) map[[2]string]bool {
	out := map[[2]string]bool{{"sub", strings.ToLower(u.Sub)}: true}
	for _, attr := range p.UsernameAttributes {
		if v := u.attr(attr); v != "" {
			out[[2]string{attr, p.foldAlias(attr, v)}] = true
		}
	}
	for _, attr := range p.AliasAttributes {
		v := u.attr(attr)
		if v == "" {
			continue
		}
		if attr == "preferred_username" || u.attr(attr+"_verified") == "true" {
			out[[2]string{attr, p.foldAlias(attr, v)}] = true
		}
	}
	for _, c := range u.WebAuthn { // a passkey belongs to one user of the pool
		out[[2]string{"webauthn", c.ID}] = true
	}
	return out
}

// clientRecord is an app client as stored.
type clientRecord struct {
	ID                         string
	PoolID                     string
	Name                       string
	Secret                     string
	ExplicitAuthFlows          []string
	PreventUserExistenceErrors string
	Created                    time.Time
	Modified                   time.Time
	AccessTokenValidity        int
	IDTokenValidity            int
	RefreshTokenValidity       int
	Units                      tokenValidityUnits
	AuthSessionValidity        int
	EnableTokenRevocation      bool
	RefreshTokenRotation       *refreshTokenRotation `json:",omitempty"`
}

// refreshTokenRotation is a client's RefreshTokenRotation setting.
type refreshTokenRotation struct {
	Feature                 string // ENABLED | DISABLED
	RetryGracePeriodSeconds int
}

type tokenValidityUnits struct {
	AccessToken  string `json:"AccessToken,omitempty"`
	IdToken      string `json:"IdToken,omitempty"`
	RefreshToken string `json:"RefreshToken,omitempty"`
}

func unitDuration(unit string, def time.Duration) time.Duration {
	switch unit {
	case "seconds":
		return time.Second
	case "minutes":
		return time.Minute
	case "hours":
		return time.Hour
	case "days":
		return 24 * time.Hour
	}
	return def
}

func (c *clientRecord) accessTTL() time.Duration {
	return time.Duration(c.AccessTokenValidity) * unitDuration(c.Units.AccessToken, time.Hour)
}

func (c *clientRecord) idTTL() time.Duration {
	return time.Duration(c.IDTokenValidity) * unitDuration(c.Units.IdToken, time.Hour)
}

func (c *clientRecord) refreshTTL() time.Duration {
	return time.Duration(c.RefreshTokenValidity) * unitDuration(c.Units.RefreshToken, 24*time.Hour)
}

// allows reports whether the client's ExplicitAuthFlows permit an auth
// flow. A client created without any allows SRP, custom and refresh auth
// (the API default). With only legacy values (ADMIN_NO_SRP_AUTH,
// CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH), SRP and refresh are allowed
// implicitly, except that CUSTOM_AUTH_FLOW_ONLY allows custom auth alone.
func (c *clientRecord) allows(flow string) bool {
	flows := c.ExplicitAuthFlows
	if len(flows) == 0 {
		flows = []string{"ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	}
	legacy := true
	for _, f := range flows {
		if strings.HasPrefix(f, "ALLOW_") {
			legacy = false
		}
	}
	has := func(f string) bool { return slices.Contains(flows, f) }
	customOnly := legacy && has("CUSTOM_AUTH_FLOW_ONLY")
	switch flow {
	case "USER_SRP_AUTH":
		return legacy && !customOnly || has("ALLOW_USER_SRP_AUTH")
	case "USER_PASSWORD_AUTH":
		return has("ALLOW_USER_PASSWORD_AUTH") || has("USER_PASSWORD_AUTH")
	case "REFRESH_TOKEN_AUTH":
		return legacy || has("ALLOW_REFRESH_TOKEN_AUTH")
	case "CUSTOM_AUTH":
		return has("ALLOW_CUSTOM_AUTH") || has("CUSTOM_AUTH_FLOW_ONLY")
	case "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		return has("ALLOW_ADMIN_USER_PASSWORD_AUTH") || has("ADMIN_NO_SRP_AUTH")
	case "USER_AUTH":
		return has("ALLOW_USER_AUTH")
	}
	return false
}

// User statuses, as Cognito names them.
const (
	statusConfirmed           = "CONFIRMED"
	statusForceChangePassword = "FORCE_CHANGE_PASSWORD"
	statusUnconfirmed         = "UNCONFIRMED"
	statusResetRequired       = "RESET_REQUIRED"
)

// userRecord is a user as stored: the SRP salt and verifier, never the password.
type userRecord struct {
	Username   string
	Sub        string
	Attributes []attribute
	Status     string
	Enabled    bool
	Created    time.Time
	Modified   time.Time
	Salt       string // hex
	Verifier   string // hex, v = g^x
	// NoPassword marks a user who signed up without a password (passwordless
	// sign-in): the verifier is of a random secret no one knows, and
	// USER_AUTH offers no PASSWORD factor until a password is set.
	NoPassword bool `json:",omitempty"`
	MFA        userMFA
	// Groups names the pool's groups the user is in, sorted.
	Groups []string `json:",omitempty"`
	// Pending holds new values of attributes that wait for verification
	// (RequireVerificationBeforeUpdate), by attribute name.
	Pending map[string]string `json:",omitempty"`
	// Codes are the confirmation and verification codes sent and not yet
	// used, by purpose (account_codes.go).
	Codes map[string]pendingCode `json:",omitempty"`
	// WebAuthn are the user's passkeys; WebAuthnPending a registration
	// begun and not yet completed (webauthn.go).
	WebAuthn        []webAuthnCredential `json:",omitempty"`
	WebAuthnPending *webAuthnPending     `json:",omitempty"`
}

// clone copies u deeply enough that changing the copy's attributes or
// codes leaves u as it was (putUser needs the old record's index entries).
func (u *userRecord) clone() *userRecord {
	c := *u
	c.Attributes = slices.Clone(u.Attributes)
	c.Groups = slices.Clone(u.Groups)
	c.WebAuthn = slices.Clone(u.WebAuthn)
	if u.Codes != nil {
		c.Codes = make(map[string]pendingCode, len(u.Codes))
		for k, v := range u.Codes {
			c.Codes[k] = v
		}
	}
	if u.Pending != nil {
		c.Pending = make(map[string]string, len(u.Pending))
		for k, v := range u.Pending {
			c.Pending[k] = v
		}
	}
	return &c
}

// userMFA is a user's MFA settings, as SetUserMFAPreference and
// AssociateSoftwareToken / VerifySoftwareToken leave them.
type userMFA struct {
	SMS       bool   `json:",omitempty"` // SMS_MFA enabled
	Email     bool   `json:",omitempty"` // EMAIL_OTP enabled
	TOTP      bool   `json:",omitempty"` // SOFTWARE_TOKEN_MFA enabled
	Preferred string `json:",omitempty"` // SMS_MFA | SOFTWARE_TOKEN_MFA | EMAIL_OTP
	// TOTPSecret is the verified authenticator secret (base32);
	// PendingTOTPSecret one associated but not yet verified.
	TOTPSecret        string `json:",omitempty"`
	PendingTOTPSecret string `json:",omitempty"`
	// TOTPName is VerifySoftwareToken's FriendlyDeviceName, shown as
	// SOFTWARE_TOKEN_MFA's FRIENDLY_DEVICE_NAME.
	TOTPName string `json:",omitempty"`
	// LastTOTPStep is the 30-second step of the last code accepted: a code
	// is never accepted twice.
	LastTOTPStep int64 `json:",omitempty"`
}

type attribute struct {
	Name  string
	Value string
}

func (u *userRecord) attr(name string) string {
	for _, a := range u.Attributes {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// setAttr sets or replaces one attribute, keeping sub first as Cognito lists it.
func (u *userRecord) setAttr(name, value string) {
	for i := range u.Attributes {
		if u.Attributes[i].Name == name {
			u.Attributes[i].Value = value
			return
		}
	}
	u.Attributes = append(u.Attributes, attribute{name, value})
}

// refreshRecord is what a refresh token stands for: sealed inside the
// token (refresh_tokens.go), or, for tokens from earlier versions, stored
// under the token's SHA-256.
type refreshRecord struct {
	PoolID    string
	ClientID  string
	Username  string
	Sub       string
	OriginJTI string
	EventID   string
	AuthTime  time.Time
	Expires   time.Time
	// JTI names one refresh token (rotation lists the ones rotated out).
	JTI string `json:",omitempty"`
	// DeviceKey binds the token to the sign-in's device (devices.go).
	DeviceKey string `json:",omitempty"`
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// The flows table's allowed checks (signin.go).
func allowsSRP(c *clientRecord) bool          { return c.allows("USER_SRP_AUTH") }
func allowsUserPassword(c *clientRecord) bool { return c.allows("USER_PASSWORD_AUTH") }
func allowsRefresh(c *clientRecord) bool      { return c.allows("REFRESH_TOKEN_AUTH") }

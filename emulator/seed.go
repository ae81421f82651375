package emulator

import (
	"bytes"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// Seed describes pools, clients and users to create at start, for demos and
// tests. Applying it is idempotent: what already exists is left as it is.
//
// Member names are lowerCamel. A pool:
//
//	{"id": "us-east-1_demo", "name": "demo",
//	 "aliasAttributes": ["email"] | "usernameAttributes": ["email"], "caseSensitive": false,
//	 "passwordPolicy": {"minimumLength": 8, "requireUppercase": true, "requireLowercase": true,
//	                    "requireNumbers": true, "requireSymbols": true, "temporaryPasswordValidityDays": 7},
//	 "mfaConfiguration": "OFF" | "ON" | "OPTIONAL",
//	 "enabledMfas": ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],   // default with ON/OPTIONAL: all three
//	 "schema": [{"name": "name", "required": true}, {"name": "team"}], // custom attributes without "custom:"
//	 "lambdaConfig": {"defineAuthChallenge": "arn:aws:lambda:...:function:define", "createAuthChallenge": "...",
//	                  "verifyAuthChallengeResponse": "...", "preAuthentication": "...", "postAuthentication": "..."},
//	 "signInPolicy": {"allowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]},
//	 "deviceConfiguration": {"challengeRequiredOnNewDevice": true, "deviceOnlyRememberedOnUserPrompt": true},
//	 "webAuthnConfiguration": {"relyingPartyId": "localhost", "userVerification": "required" | "preferred"},
//	                          // passkeys; also needs "WEB_AUTHN" in signInPolicy's allowedFirstAuthFactors
//	 "clients": [...], "users": [...]}
//
// A client takes CreateUserPoolClient's members (id, name, secret,
// explicitAuthFlows, preventUserExistenceErrors, authSessionValidity,
// accessTokenValidity, idTokenValidity, refreshTokenValidity,
// enableTokenRevocation). A user:
//
//	{"username": "alice", "password": "...", "attributes": {"email": "...", "email_verified": "true"},
//	 "status": "CONFIRMED" | "FORCE_CHANGE_PASSWORD" | "UNCONFIRMED",    // default CONFIRMED;
//	                                          // with FORCE_CHANGE_PASSWORD the password is the temporary one
//	 "enabled": true,
//	 "mfa": {"sms": true, "email": true, "totpSecret": "BASE32SECRET", "preferred": "SOFTWARE_TOKEN_MFA"},
//	 "note": "shown by the demo", "flow": "CUSTOM_WITH_SRP"}            // note, flow: for the demo, ignored here
//
// Unlike CreateUserPool, a seed may turn MFA on without SmsConfiguration:
// codes go to the outbox either way.
type Seed struct {
	UserPools []SeedPool `json:"userPools"`
}

// SeedPool is one pool of a Seed. ID is used as given.
type SeedPool struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	AliasAttributes    []string `json:"aliasAttributes,omitempty"`
	UsernameAttributes []string `json:"usernameAttributes,omitempty"`
	// AutoVerifiedAttributes ("email", "phone_number") are where SignUp
	// sends its confirmation code (to the outbox).
	AutoVerifiedAttributes []string            `json:"autoVerifiedAttributes,omitempty"`
	CaseSensitive          *bool               `json:"caseSensitive,omitempty"`
	PasswordPolicy         *SeedPasswordPolicy `json:"passwordPolicy,omitempty"`
	MfaConfiguration       string              `json:"mfaConfiguration,omitempty"`
	EnabledMfas            []string            `json:"enabledMfas,omitempty"`
	Schema                 []SeedAttribute     `json:"schema,omitempty"`
	LambdaConfig           *SeedLambdaConfig   `json:"lambdaConfig,omitempty"`
	SignInPolicy           *SeedSignInPolicy   `json:"signInPolicy,omitempty"`
	Clients                []SeedClient        `json:"clients,omitempty"`
	Users                  []SeedUser          `json:"users,omitempty"`
	// DeviceConfiguration turns device tracking on (devices.go).
	DeviceConfiguration *SeedDeviceConfiguration `json:"deviceConfiguration,omitempty"`
	// WebAuthnConfiguration is SetUserPoolMfaConfig's (passkeys, webauthn.go).
	WebAuthnConfiguration *SeedWebAuthnConfiguration `json:"webAuthnConfiguration,omitempty"`
}

// SeedPasswordPolicy is a pool's password policy; members left out keep
// Cognito's defaults (8 characters, every class required, 7 days).
type SeedPasswordPolicy struct {
	MinimumLength                 *int  `json:"minimumLength,omitempty"`
	RequireUppercase              *bool `json:"requireUppercase,omitempty"`
	RequireLowercase              *bool `json:"requireLowercase,omitempty"`
	RequireNumbers                *bool `json:"requireNumbers,omitempty"`
	RequireSymbols                *bool `json:"requireSymbols,omitempty"`
	TemporaryPasswordValidityDays *int  `json:"temporaryPasswordValidityDays,omitempty"`
}

// SeedAttribute is one schema attribute: a standard one made required, or
// a custom one (named without "custom:").
type SeedAttribute struct {
	Name              string `json:"name"`
	Required          bool   `json:"required,omitempty"`
	AttributeDataType string `json:"attributeDataType,omitempty"` // default String
	Mutable           *bool  `json:"mutable,omitempty"`
}

// SeedLambdaConfig holds the pool's trigger ARNs.
type SeedLambdaConfig struct {
	PreAuthentication           string `json:"preAuthentication,omitempty"`
	PostAuthentication          string `json:"postAuthentication,omitempty"`
	DefineAuthChallenge         string `json:"defineAuthChallenge,omitempty"`
	CreateAuthChallenge         string `json:"createAuthChallenge,omitempty"`
	VerifyAuthChallengeResponse string `json:"verifyAuthChallengeResponse,omitempty"`
	PreTokenGeneration          string `json:"preTokenGeneration,omitempty"`
}

// SeedWebAuthnConfiguration is the pool's passkey relying party ID and
// user verification ("preferred" when empty).
type SeedWebAuthnConfiguration struct {
	RelyingPartyID   string `json:"relyingPartyId"`
	UserVerification string `json:"userVerification,omitempty"`
}

// SeedSignInPolicy is the pool's choice-based sign-in (USER_AUTH) policy.
type SeedSignInPolicy struct {
	AllowedFirstAuthFactors []string `json:"allowedFirstAuthFactors"`
}

// SeedClient is one app client. A non-empty Secret gives it that fixed secret.
type SeedClient struct {
	ID                         string   `json:"id"`
	Name                       string   `json:"name"`
	Secret                     string   `json:"secret,omitempty"`
	ExplicitAuthFlows          []string `json:"explicitAuthFlows,omitempty"`
	PreventUserExistenceErrors string   `json:"preventUserExistenceErrors,omitempty"`
	AuthSessionValidity        *int     `json:"authSessionValidity,omitempty"`
	AccessTokenValidity        *int     `json:"accessTokenValidity,omitempty"`
	IdTokenValidity            *int     `json:"idTokenValidity,omitempty"`
	RefreshTokenValidity       *int     `json:"refreshTokenValidity,omitempty"`
	EnableTokenRevocation      *bool    `json:"enableTokenRevocation,omitempty"`
	// RefreshTokenRotation is {"feature": "ENABLED", "retryGracePeriodSeconds": 0-60}.
	RefreshTokenRotation *SeedRefreshTokenRotation `json:"refreshTokenRotation,omitempty"`
	// TokenValidityUnits holds "seconds", "minutes", "hours" or "days" for
	// accessToken, idToken and refreshToken (default minutes, minutes, days).
	TokenValidityUnits *SeedTokenValidityUnits `json:"tokenValidityUnits,omitempty"`
}

// SeedRefreshTokenRotation is a client's RefreshTokenRotation.
type SeedRefreshTokenRotation struct {
	Feature                 string `json:"feature"`
	RetryGracePeriodSeconds int    `json:"retryGracePeriodSeconds,omitempty"`
}

// SeedTokenValidityUnits is a client's TokenValidityUnits.
type SeedTokenValidityUnits struct {
	AccessToken  string `json:"accessToken,omitempty"`
	IdToken      string `json:"idToken,omitempty"`
	RefreshToken string `json:"refreshToken,omitempty"`
}

// SeedUser is one user, CONFIRMED with a permanent password unless Status
// says otherwise.
type SeedUser struct {
	Username   string            `json:"username"`
	Password   string            `json:"password"`
	Attributes map[string]string `json:"attributes,omitempty"`
	Status     string            `json:"status,omitempty"`
	Enabled    *bool             `json:"enabled,omitempty"`
	MFA        *SeedUserMFA      `json:"mfa,omitempty"`
	Note       string            `json:"note,omitempty"` // for the demo; ignored
	Flow       string            `json:"flow,omitempty"` // for the demo; ignored
}

// SeedUserMFA is a user's MFA settings. TOTPSecret is a base32
// authenticator secret, already verified.
type SeedUserMFA struct {
	SMS        bool   `json:"sms,omitempty"`
	Email      bool   `json:"email,omitempty"`
	TOTPSecret string `json:"totpSecret,omitempty"`
	Preferred  string `json:"preferred,omitempty"`
}

// maxSeedBytes bounds a seed file; a demo seed is a few hundred bytes.
const maxSeedBytes = 4 << 20

// LoadSeed reads a seed file. Unknown fields are an error, so a typo in a
// demo seed is reported rather than silently ignored.
func LoadSeed(path string) (Seed, error) {
	f, err := os.Open(path)
	if err != nil {
		return Seed{}, fmt.Errorf("emulator: seed: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSeedBytes+1))
	if err != nil {
		return Seed{}, fmt.Errorf("emulator: seed %s: %w", path, err)
	}
	if len(b) > maxSeedBytes {
		return Seed{}, fmt.Errorf("emulator: seed %s is larger than %d bytes", path, maxSeedBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		return Seed{}, fmt.Errorf("emulator: seed %s: %w", path, err)
	}
	return s, nil
}

// Seed creates what s describes and does not yet exist, in one transaction:
// a seed that fails part-way changes nothing.
func (e *Emulator) Seed(s Seed) error {
	return e.store.update(func(t *txn) error {
		for i, sp := range s.UserPools {
			if sp.ID == "" {
				return fmt.Errorf("emulator: seed: userPools[%d]: id is required", i)
			}
			p, err := t.pool(sp.ID)
			if err != nil {
				return err
			}
			if p == nil {
				spec, err := sp.spec()
				if err != nil {
					return fmt.Errorf("emulator: seed: pool %s: %w", sp.ID, err)
				}
				p, err = e.createPool(t, spec)
				if err != nil {
					return fmt.Errorf("emulator: seed: pool %s: %w", sp.ID, err)
				}
			}
			for j, sc := range sp.Clients {
				if sc.ID == "" {
					return fmt.Errorf("emulator: seed: pool %s: clients[%d]: id is required", sp.ID, j)
				}
				if c, err := t.client(sc.ID); err != nil {
					return err
				} else if c != nil {
					if c.PoolID != sp.ID {
						// Client IDs are unique across pools: a clash is a
						// mistake, not a client that already exists.
						return fmt.Errorf("emulator: seed: pool %s: client %s already exists in pool %s", sp.ID, sc.ID, c.PoolID)
					}
					continue
				}
				spec := clientSpec{ID: sc.ID, Secret: sc.Secret, createClientRequest: createClientRequest{
					UserPoolId: sp.ID, ClientName: sc.Name, ExplicitAuthFlows: sc.ExplicitAuthFlows,
					PreventUserExistenceErrors: sc.PreventUserExistenceErrors, AuthSessionValidity: sc.AuthSessionValidity,
					AccessTokenValidity: sc.AccessTokenValidity, IdTokenValidity: sc.IdTokenValidity,
					RefreshTokenValidity: sc.RefreshTokenValidity, EnableTokenRevocation: sc.EnableTokenRevocation}}
				if r := sc.RefreshTokenRotation; r != nil {
					spec.RefreshTokenRotation = &refreshTokenRotation{Feature: r.Feature, RetryGracePeriodSeconds: r.RetryGracePeriodSeconds}
				}
				if u := sc.TokenValidityUnits; u != nil {
					spec.TokenValidityUnits = &tokenValidityUnits{AccessToken: u.AccessToken, IdToken: u.IdToken, RefreshToken: u.RefreshToken}
				}
				if _, err := e.createClient(t, spec); err != nil {
					return fmt.Errorf("emulator: seed: client %s: %w", sc.ID, err)
				}
			}
			for j, su := range sp.Users {
				var v validation
				v.username("username", su.Username)
				if err := v.err(); err != nil {
					return fmt.Errorf("emulator: seed: pool %s: users[%d]: %w", sp.ID, j, err)
				}
				if u, err := t.resolveUser(p, su.Username); err != nil {
					return err
				} else if u != nil {
					continue
				}
				var attrs []attributeJSON
				for _, name := range sortedKeys(su.Attributes) {
					attrs = append(attrs, attributeJSON{Name: name, Value: su.Attributes[name]})
				}
				status := su.Status
				if status == "" {
					status = statusConfirmed
				}
				if status != statusConfirmed && status != statusForceChangePassword && status != statusUnconfirmed && status != statusResetRequired {
					return fmt.Errorf("emulator: seed: pool %s: user %q: status %q is not CONFIRMED, FORCE_CHANGE_PASSWORD, UNCONFIRMED or RESET_REQUIRED", sp.ID, su.Username, su.Status)
				}
				u, err := e.createUser(t, p, newUserSpec{Username: su.Username, Password: su.Password,
					Attributes: attrs, Status: status})
				if err != nil {
					return fmt.Errorf("emulator: seed: pool %s: user %q: %w", sp.ID, su.Username, err)
				}
				if su.Enabled != nil || su.MFA != nil {
					old := *u
					if su.Enabled != nil {
						u.Enabled = *su.Enabled
					}
					if su.MFA != nil {
						if u.MFA, err = su.MFA.settings(u); err != nil {
							return fmt.Errorf("emulator: seed: pool %s: user %q: %w", sp.ID, su.Username, err)
						}
					}
					if err := t.putUser(p, &old, u); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// spec turns a seed pool into what createPool takes.
func (sp SeedPool) spec() (poolSpec, error) {
	spec := poolSpec{ID: sp.ID, Name: sp.Name, UsernameAttributes: sp.UsernameAttributes,
		AliasAttributes: sp.AliasAttributes, CaseSensitive: sp.CaseSensitive, MfaConfiguration: sp.MfaConfiguration,
		AutoVerifiedAttributes: sp.AutoVerifiedAttributes, Devices: sp.DeviceConfiguration.config()}
	if pp := sp.PasswordPolicy; pp != nil {
		pol := (&passwordPolicyJSON{MinimumLength: pp.MinimumLength, RequireUppercase: pp.RequireUppercase,
			RequireLowercase: pp.RequireLowercase, RequireNumbers: pp.RequireNumbers, RequireSymbols: pp.RequireSymbols,
			TemporaryPasswordValidityDays: pp.TemporaryPasswordValidityDays}).policy()
		spec.Policy = &pol
	}
	switch sp.MfaConfiguration {
	case "", "OFF":
		if len(sp.EnabledMfas) > 0 {
			return spec, fmt.Errorf("enabledMfas needs mfaConfiguration ON or OPTIONAL")
		}
	case "ON", "OPTIONAL":
		factors := sp.EnabledMfas
		if len(factors) == 0 {
			factors = []string{mfaSMS, mfaTOTP, mfaEmail}
		}
		for _, f := range factors {
			switch f {
			case mfaSMS:
				spec.Mfa.SMS = true
			case mfaTOTP:
				spec.Mfa.TOTP = true
			case mfaEmail:
				spec.Mfa.Email = true
			default:
				return spec, fmt.Errorf("enabledMfas: %q is not SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP", f)
			}
		}
	default:
		return spec, fmt.Errorf("mfaConfiguration %q is not OFF, ON or OPTIONAL", sp.MfaConfiguration)
	}
	for _, a := range sp.Schema {
		mutable := true
		if a.Mutable != nil {
			mutable = *a.Mutable
		}
		spec.Schema = append(spec.Schema, schemaAttribute{Name: a.Name, Required: a.Required,
			AttributeDataType: a.AttributeDataType, Mutable: mutable})
	}
	if lc := sp.LambdaConfig; lc != nil {
		spec.LambdaConfig = lambdaConfigType{PreAuthentication: lc.PreAuthentication, PostAuthentication: lc.PostAuthentication,
			DefineAuthChallenge: lc.DefineAuthChallenge, CreateAuthChallenge: lc.CreateAuthChallenge,
			VerifyAuthChallengeResponse: lc.VerifyAuthChallengeResponse, PreTokenGeneration: lc.PreTokenGeneration}
	}
	if sp.SignInPolicy != nil {
		spec.SignInPolicy = &signInPolicy{AllowedFirstAuthFactors: sp.SignInPolicy.AllowedFirstAuthFactors}
	}
	if w := sp.WebAuthnConfiguration; w != nil {
		if w.RelyingPartyID == "" || len(w.RelyingPartyID) > 127 {
			return spec, fmt.Errorf("webAuthnConfiguration.relyingPartyId must have 1 to 127 characters")
		}
		if w.UserVerification != "" && w.UserVerification != "required" && w.UserVerification != "preferred" {
			return spec, fmt.Errorf("webAuthnConfiguration.userVerification %q is not required or preferred", w.UserVerification)
		}
		spec.WebAuthn = &webAuthnConfig{RelyingPartyId: w.RelyingPartyID, UserVerification: w.UserVerification}
	}
	return spec, nil
}

// settings checks a seed user's MFA against what the user can receive.
func (m SeedUserMFA) settings(u *userRecord) (userMFA, error) {
	out := userMFA{SMS: m.SMS, Email: m.Email, Preferred: m.Preferred}
	if m.TOTPSecret != "" {
		secret := strings.ToUpper(strings.TrimRight(m.TOTPSecret, "="))
		if _, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret); err != nil || len(secret) < 16 {
			return out, fmt.Errorf("mfa.totpSecret is not a base32 secret of at least 16 characters")
		}
		out.TOTP, out.TOTPSecret = true, secret
	}
	if m.SMS && u.attr("phone_number") == "" {
		return out, fmt.Errorf("mfa.sms needs a phone_number attribute")
	}
	if m.Email && u.attr("email") == "" {
		return out, fmt.Errorf("mfa.email needs an email attribute")
	}
	switch m.Preferred {
	case "":
	case mfaSMS, mfaTOTP, mfaEmail:
		if (m.Preferred == mfaSMS && !out.SMS) || (m.Preferred == mfaTOTP && !out.TOTP) || (m.Preferred == mfaEmail && !out.Email) {
			return out, fmt.Errorf("mfa.preferred %s is not enabled for the user", m.Preferred)
		}
	default:
		return out, fmt.Errorf("mfa.preferred %q is not SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP", m.Preferred)
	}
	return out, nil
}

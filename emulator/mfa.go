package emulator

import (
	"encoding/json"
	"slices"
)

// MFA factor names as Cognito writes them in challenges and settings.
const (
	mfaSMS   = "SMS_MFA"
	mfaTOTP  = "SOFTWARE_TOKEN_MFA"
	mfaEmail = "EMAIL_OTP"
)

// poolMFA is which second factors a pool offers (SetUserPoolMfaConfig's
// SmsMfaConfiguration, SoftwareTokenMfaConfiguration, EmailMfaConfiguration).
type poolMFA struct {
	SMS                      bool                  `json:",omitempty"`
	TOTP                     bool                  `json:",omitempty"`
	Email                    bool                  `json:",omitempty"`
	SmsAuthenticationMessage string                `json:",omitempty"`
	SmsConfiguration         *smsConfigurationType `json:",omitempty"`
	EmailMessage             string                `json:",omitempty"`
	EmailSubject             string                `json:",omitempty"`
}

type smsConfigurationType struct {
	SnsCallerArn string
	ExternalId   string `json:",omitempty"`
	SnsRegion    string `json:",omitempty"`
}

// signInPolicy is a pool's Policies.SignInPolicy (USER_AUTH's first factors).
type signInPolicy struct {
	AllowedFirstAuthFactors []string
}

func (m poolMFA) offers(factor string) bool {
	switch factor {
	case mfaSMS:
		return m.SMS
	case mfaTOTP:
		return m.TOTP
	case mfaEmail:
		return m.Email
	}
	return false
}

func (m poolMFA) factors() []string {
	var out []string
	for _, f := range []string{mfaSMS, mfaTOTP, mfaEmail} {
		if m.offers(f) {
			out = append(out, f)
		}
	}
	return out
}

// enabledMFA lists the factors a user has enabled that the pool offers,
// in Cognito's order. In a pool where MFA is ON, SMS counts as enabled for a
// user with a phone number, as Cognito has always sent SMS codes there.
func enabledMFA(p *poolRecord, u *userRecord) []string {
	var out []string
	if p.Mfa.SMS && u.attr("phone_number") != "" && (u.MFA.SMS || p.MfaConfiguration == "ON") {
		out = append(out, mfaSMS)
	}
	if p.Mfa.TOTP && u.MFA.TOTP && u.MFA.TOTPSecret != "" {
		out = append(out, mfaTOTP)
	}
	if p.Mfa.Email && u.MFA.Email && u.attr("email") != "" {
		out = append(out, mfaEmail)
	}
	return out
}

// mfaChoice is what a sign-in owes for MFA.
type mfaChoice struct {
	factor string   // the factor to challenge with, or ""
	choose []string // SELECT_MFA_TYPE's MFAS_CAN_CHOOSE
	setup  []string // MFA_SETUP's MFAS_CAN_SETUP
}

// chooseMFA applies Cognito's rules: MFA OFF asks nothing; the preferred
// factor if enabled; the only enabled factor; a choice among several; in
// an ON pool a user with none must set one up; in an OPTIONAL pool a user
// with none signs in without.
func chooseMFA(p *poolRecord, u *userRecord) mfaChoice {
	if p.MfaConfiguration != "ON" && p.MfaConfiguration != "OPTIONAL" {
		return mfaChoice{}
	}
	enabled := enabledMFA(p, u)
	switch {
	case u.MFA.Preferred != "" && slices.Contains(enabled, u.MFA.Preferred):
		return mfaChoice{factor: u.MFA.Preferred}
	case len(enabled) == 1:
		return mfaChoice{factor: enabled[0]}
	case len(enabled) > 1:
		return mfaChoice{choose: enabled}
	case p.MfaConfiguration == "ON":
		return mfaChoice{setup: p.Mfa.factors()}
	}
	return mfaChoice{}
}

func jsonList(s []string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

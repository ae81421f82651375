package emulator

import (
	"context"
	"strings"
)

// SetUserPoolMfaConfig, GetUserPoolMfaConfig: whether a pool asks for MFA
// (OFF, ON, OPTIONAL) and which factors it offers. Like Cognito, Set
// replaces the whole configuration: a factor left out is turned off.
//
// The emulator sends no SMS or email, so it accepts SmsConfiguration's
// SnsCallerArn without checking it and EmailMfaConfiguration without the
// SES EmailConfiguration Cognito requires; codes go to the outbox.

type smsMfaConfigType struct {
	SmsAuthenticationMessage string                `json:",omitempty"`
	SmsConfiguration         *smsConfigurationType `json:",omitempty"`
}

type softwareTokenMfaConfigType struct{ Enabled bool }

type emailMfaConfigType struct {
	Message string `json:",omitempty"`
	Subject string `json:",omitempty"`
}

type userPoolMfaConfig struct {
	SmsMfaConfiguration           *smsMfaConfigType           `json:",omitempty"`
	SoftwareTokenMfaConfiguration *softwareTokenMfaConfigType `json:",omitempty"`
	EmailMfaConfiguration         *emailMfaConfigType         `json:",omitempty"`
	MfaConfiguration              string                      `json:",omitempty"`
	WebAuthnConfiguration         *webAuthnConfig             `json:",omitempty"`
}

type setUserPoolMfaConfigRequest struct {
	userPoolMfaConfig
	UserPoolId string
}

func (r setUserPoolMfaConfigRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.enum("mfaConfiguration", r.MfaConfiguration, "OFF", "ON", "OPTIONAL")
	if s := r.SmsMfaConfiguration; s != nil {
		v.length("smsMfaConfiguration.smsAuthenticationMessage", s.SmsAuthenticationMessage, 6, 140)
		v.codePlaceholder("smsMfaConfiguration.smsAuthenticationMessage", s.SmsAuthenticationMessage)
		if s.SmsConfiguration != nil {
			v.required("smsMfaConfiguration.smsConfiguration.snsCallerArn", s.SmsConfiguration.SnsCallerArn != "")
			v.length("smsMfaConfiguration.smsConfiguration.snsCallerArn", s.SmsConfiguration.SnsCallerArn, 20, 2048)
		}
	}
	if m := r.EmailMfaConfiguration; m != nil {
		v.length("emailMfaConfiguration.message", m.Message, 6, 20000)
		v.codePlaceholder("emailMfaConfiguration.message", m.Message)
		v.length("emailMfaConfiguration.subject", m.Subject, 1, 140)
	}
	if w := r.WebAuthnConfiguration; w != nil {
		v.length("webAuthnConfiguration.relyingPartyId", w.RelyingPartyId, 1, 127)
		v.enum("webAuthnConfiguration.userVerification", w.UserVerification, "required", "preferred")
		v.enum("webAuthnConfiguration.factorConfiguration", w.FactorConfiguration, "SINGLE_FACTOR", "MULTI_FACTOR_WITH_USER_VERIFICATION")
	}
	return v.err()
}

// codePlaceholder checks that a message template has room for the code,
// as Cognito's model requires of SMS and email MFA messages.
func (v *validation) codePlaceholder(field, template string) {
	if template != "" && !strings.Contains(template, "{####}") {
		*v = append(*v, "Value at '"+field+"' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\{####\\}.*")
	}
}

// mfaConfigView shows a pool's MFA as GetUserPoolMfaConfig does.
func mfaConfigView(p *poolRecord) *userPoolMfaConfig {
	out := &userPoolMfaConfig{MfaConfiguration: p.MfaConfiguration,
		SoftwareTokenMfaConfiguration: &softwareTokenMfaConfigType{Enabled: p.Mfa.TOTP}}
	if p.Mfa.SMS {
		out.SmsMfaConfiguration = &smsMfaConfigType{SmsAuthenticationMessage: p.Mfa.SmsAuthenticationMessage,
			SmsConfiguration: p.Mfa.SmsConfiguration}
	}
	if p.Mfa.Email {
		out.EmailMfaConfiguration = &emailMfaConfigType{Message: p.Mfa.EmailMessage, Subject: p.Mfa.EmailSubject}
	}
	out.WebAuthnConfiguration = webAuthnConfigView(p.WebAuthn)
	return out
}

func (e *Emulator) setUserPoolMfaConfig(_ context.Context, req *setUserPoolMfaConfigRequest) (*userPoolMfaConfig, error) {
	var out *userPoolMfaConfig
	err := e.store.update(func(t *txn) error {
		p, err := mustPool(t, req.UserPoolId)
		if err != nil {
			return err
		}
		m := poolMFA{}
		if s := req.SmsMfaConfiguration; s != nil {
			m.SMS, m.SmsAuthenticationMessage, m.SmsConfiguration = true, s.SmsAuthenticationMessage, s.SmsConfiguration
			if m.SmsConfiguration == nil {
				m.SmsConfiguration = p.Mfa.SmsConfiguration
			}
		}
		m.TOTP = req.SoftwareTokenMfaConfiguration != nil && req.SoftwareTokenMfaConfiguration.Enabled
		if em := req.EmailMfaConfiguration; em != nil {
			m.Email, m.EmailMessage, m.EmailSubject = true, em.Message, em.Subject
		}
		mode := req.MfaConfiguration
		if mode == "" {
			mode = p.MfaConfiguration
		}
		if err := checkMFAConfig(mode, m); err != nil {
			return err
		}
		if req.WebAuthnConfiguration != nil { // left out, it stays as it was
			p.WebAuthn = req.WebAuthnConfiguration
		}
		p.MfaConfiguration, p.Mfa, p.Modified = mode, m, e.now().UTC()
		out = mfaConfigView(p)
		return t.put(bucketPools, p.ID, p)
	})
	return out, err
}

// checkMFAConfig refuses what Cognito refuses: factors with MFA OFF, and
// ON or OPTIONAL with no factor.
func checkMFAConfig(mode string, m poolMFA) error {
	n := len(m.factors())
	if mode == "OFF" && n > 0 {
		return errInvalidParam("Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")
	}
	if mode != "OFF" && n == 0 {
		return errInvalidParam("Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
	}
	return nil
}

func (e *Emulator) getUserPoolMfaConfig(_ context.Context, req *userPoolIDRequest) (*userPoolMfaConfig, error) {
	var out *userPoolMfaConfig
	err := e.store.view(func(t *txn) error {
		p, err := mustPool(t, req.UserPoolId)
		if err != nil {
			return err
		}
		out = mfaConfigView(p)
		return nil
	})
	return out, err
}

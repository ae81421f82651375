package emulator

import (
	"context"
	"slices"
	"strconv"
)

// UpdateUserPool: as in Cognito, every setting the request can carry is
// replaced, and one left out goes back to its default (no triggers, the
// default password policy, MFA OFF, no auto-verified attributes, PASSWORD
// as the only first factor, threat protection OFF, Cognito's own message
// words, self sign-up allowed). The pool's name is kept when not given. Sign-in
// attributes, case sensitivity and the schema cannot be changed here, as
// in Cognito.

type updateUserPoolRequest struct {
	UserPoolId string
	PoolName   string
	Policies   *struct {
		PasswordPolicy *passwordPolicyJSON
		SignInPolicy   *signInPolicy
	}
	LambdaConfig                *lambdaConfigType
	AutoVerifiedAttributes      []string
	MfaConfiguration            string
	SmsConfiguration            *smsConfigurationType
	SmsAuthenticationMessage    string
	UserAttributeUpdateSettings *userAttributeUpdateSettings
	DeviceConfiguration         *deviceConfiguration
	UserPoolAddOns              *userPoolAddOns
	messageSettings
}

func (r updateUserPoolRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	r.UserPoolAddOns.check(&v)
	r.messageSettings.check(&v)
	v.length("poolName", r.PoolName, 0, 128)
	if r.PoolName != "" && len([]rune(r.PoolName)) <= 128 && !poolNamePattern.MatchString(r.PoolName) {
		v = append(v, "Value at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+")
	}
	v.enum("mfaConfiguration", r.MfaConfiguration, "OFF", "ON", "OPTIONAL")
	for i, a := range r.AutoVerifiedAttributes {
		v.enum("autoVerifiedAttributes."+strconv.Itoa(i+1)+".member", a, "phone_number", "email")
	}
	if r.SmsConfiguration != nil {
		v.required("smsConfiguration.snsCallerArn", r.SmsConfiguration.SnsCallerArn != "")
		v.length("smsConfiguration.snsCallerArn", r.SmsConfiguration.SnsCallerArn, 20, 2048)
	}
	if r.LambdaConfig != nil {
		r.LambdaConfig.validate(&v)
	}
	if r.UserAttributeUpdateSettings != nil {
		checkUpdateSettings(&v, r.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate)
	}
	if r.Policies != nil && r.Policies.SignInPolicy != nil {
		for i, f := range r.Policies.SignInPolicy.AllowedFirstAuthFactors {
			v.enum("policies.signInPolicy.allowedFirstAuthFactors."+strconv.Itoa(i+1)+".member", f, "PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
		}
	}
	return v.err()
}

type updateUserPoolResponse struct{}

func (e *Emulator) updateUserPool(_ context.Context, req *updateUserPoolRequest) (*updateUserPoolResponse, error) {
	pol := defaultPolicy
	var signIn *signInPolicy
	if req.Policies != nil {
		if req.Policies.PasswordPolicy != nil {
			pol = req.Policies.PasswordPolicy.policy()
			if err := checkPasswordPolicy(pol); err != nil {
				return nil, err
			}
		}
		signIn = req.Policies.SignInPolicy
	}
	var lc lambdaConfigType
	if req.LambdaConfig != nil {
		lc = *req.LambdaConfig
	}
	mode := req.MfaConfiguration
	if mode == "" {
		mode = "OFF"
	}
	err := e.store.update(func(t *txn) error {
		p, err := mustPool(t, req.UserPoolId)
		if err != nil {
			return err
		}
		// MFA: OFF clears the factors SetUserPoolMfaConfig turned on; ON or
		// OPTIONAL keeps them, and SmsConfiguration turns on SMS.
		m := poolMFA{}
		if mode != "OFF" {
			m = p.Mfa
			if req.SmsConfiguration != nil {
				if !slices.Contains(req.AutoVerifiedAttributes, "phone_number") {
					return errInvalidParam("SMS configuration and Auto verification for phone_number are required when MFA is required/optional")
				}
				m.SMS, m.SmsConfiguration, m.SmsAuthenticationMessage = true, req.SmsConfiguration, req.SmsAuthenticationMessage
			}
		}
		if err := checkMFAConfig(mode, m); err != nil {
			return err
		}
		if req.PoolName != "" {
			p.Name = req.PoolName
		}
		p.Policy, p.SignInPolicy, p.LambdaConfig = pol, signIn, lc
		p.AutoVerifiedAttributes = dedupe(req.AutoVerifiedAttributes)
		p.RequireVerificationBeforeUpdate = nil
		if s := req.UserAttributeUpdateSettings; s != nil {
			p.RequireVerificationBeforeUpdate = dedupe(s.AttributesRequireVerificationBeforeUpdate)
		}
		p.MfaConfiguration, p.Mfa = mode, m
		p.Devices = req.DeviceConfiguration
		p.AdvancedSecurityMode = req.UserPoolAddOns.mode()
		p.Messages, p.AdminCreateUserOnly = req.templates()
		p.Modified = e.now().UTC()
		return t.put(bucketPools, p.ID, p)
	})
	if err != nil {
		return nil, err
	}
	return &updateUserPoolResponse{}, nil
}

// checkPasswordPolicy applies Cognito's bounds on a password policy.
func checkPasswordPolicy(pol passwordPolicy) error {
	if pol.MinimumLength < 6 || pol.MinimumLength > 99 {
		return errInvalidParam("1 validation error detected: Value '%d' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value between 6 and 99", pol.MinimumLength)
	}
	if pol.TemporaryPasswordValidityDays < 0 || pol.TemporaryPasswordValidityDays > 365 {
		return errInvalidParam("1 validation error detected: Value '%d' at 'policies.passwordPolicy.temporaryPasswordValidityDays' failed to satisfy constraint: Member must have value between 0 and 365", pol.TemporaryPasswordValidityDays)
	}
	return nil
}

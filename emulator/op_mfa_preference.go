package emulator

import "context"

// SetUserMFAPreference (by access token), AdminSetUserMFAPreference (by
// pool and username): which factors a user has enabled, and which one is
// preferred when several are.

// mfaSettingsType is SMSMfaSettings, SoftwareTokenMfaSettings and
// EmailMfaSettings.
type mfaSettingsType struct {
	Enabled      bool
	PreferredMfa bool
}

type mfaPreferences struct {
	SMSMfaSettings           *mfaSettingsType
	SoftwareTokenMfaSettings *mfaSettingsType
	EmailMfaSettings         *mfaSettingsType
}

// apply sets the preferences on u, refusing a factor the user cannot
// receive codes for, in Cognito's words.
func (m mfaPreferences) apply(u *userRecord) error {
	set := func(factor string, s *mfaSettingsType, enabled *bool, deliverable bool) error {
		if s == nil {
			return nil
		}
		if (s.Enabled || s.PreferredMfa) && !deliverable {
			return errInvalidParam("User does not have delivery config set to turn on %s", factor)
		}
		*enabled = s.Enabled || s.PreferredMfa
		switch {
		case s.PreferredMfa:
			u.MFA.Preferred = factor
		case u.MFA.Preferred == factor:
			u.MFA.Preferred = ""
		}
		return nil
	}
	if err := set(mfaSMS, m.SMSMfaSettings, &u.MFA.SMS, u.attr("phone_number") != ""); err != nil {
		return err
	}
	if err := set(mfaTOTP, m.SoftwareTokenMfaSettings, &u.MFA.TOTP, u.MFA.TOTPSecret != ""); err != nil {
		return err
	}
	return set(mfaEmail, m.EmailMfaSettings, &u.MFA.Email, u.attr("email") != "")
}

// check refuses more than one preferred factor.
func (m mfaPreferences) check() error {
	n := 0
	for _, s := range []*mfaSettingsType{m.SMSMfaSettings, m.SoftwareTokenMfaSettings, m.EmailMfaSettings} {
		if s != nil && s.PreferredMfa {
			n++
		}
	}
	if n > 1 {
		return errInvalidParam("Only one MFA method can be preferred.")
	}
	return nil
}

// saveMFAPreferences applies m to the user and stores it, inside either operation's
// transaction.
func (e *Emulator) saveMFAPreferences(m mfaPreferences) func(t *txn, p *poolRecord, u *userRecord) error {
	return func(t *txn, p *poolRecord, u *userRecord) error {
		old := *u
		if err := m.apply(u); err != nil {
			return err
		}
		u.Modified = e.now().UTC()
		return t.putUser(p, &old, u)
	}
}

type setUserMFAPreferenceRequest struct {
	mfaPreferences
	AccessToken string
}

func (r setUserMFAPreferenceRequest) validate() error {
	var v validation
	v.accessToken(r.AccessToken)
	if err := v.err(); err != nil {
		return err
	}
	return r.check()
}

func (e *Emulator) setUserMFAPreference(_ context.Context, req *setUserMFAPreferenceRequest) (*struct{}, error) {
	if err := e.withAccessTokenUser(req.AccessToken, true, e.saveMFAPreferences(req.mfaPreferences)); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

type adminSetUserMFAPreferenceRequest struct {
	mfaPreferences
	UserPoolId string
	Username   string
}

func (r adminSetUserMFAPreferenceRequest) validate() error {
	if err := (adminUserRequest{UserPoolId: r.UserPoolId, Username: r.Username}).validate(); err != nil {
		return err
	}
	return r.check()
}

func (e *Emulator) adminSetUserMFAPreference(_ context.Context, req *adminSetUserMFAPreferenceRequest) (*struct{}, error) {
	who := adminUserRequest{UserPoolId: req.UserPoolId, Username: req.Username}
	if err := e.withAdminUser(who, true, e.saveMFAPreferences(req.mfaPreferences)); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

package emulator

import "context"

// AssociateSoftwareToken, VerifySoftwareToken: an authenticator app (TOTP)
// for a signed-in user (AccessToken) or during MFA_SETUP (Session, each
// call answering with a new Session).

type associateSoftwareTokenRequest struct {
	AccessToken string
	Session     string
}

func (r associateSoftwareTokenRequest) validate() error {
	var v validation
	v.length("session", r.Session, 20, 2048)
	if err := v.err(); err != nil {
		return err
	}
	if (r.AccessToken == "") == (r.Session == "") {
		return errInvalidParam("Exactly one of AccessToken or Session must be given.")
	}
	return nil
}

type associateSoftwareTokenResponse struct {
	SecretCode string
	Session    string `json:",omitempty"`
}

func (e *Emulator) associateSoftwareToken(_ context.Context, req *associateSoftwareTokenRequest) (*associateSoftwareTokenResponse, error) {
	secret := newTOTPSecret()
	if req.Session != "" {
		ss := e.sessions.claimFor(req.Session, "MFA_SETUP", e.now())
		if ss == nil {
			return nil, errInvalidSession()
		}
		if _, ok := ss.state.(*mfaSetupState); !ok {
			return nil, errInvalidSession()
		}
		var p *poolRecord
		if err := e.store.view(func(t *txn) (err error) { p, err = t.pool(ss.poolID); return err }); err != nil {
			return nil, err
		}
		if p == nil {
			return nil, errInvalidSession()
		}
		if !p.Mfa.TOTP {
			e.sessions.release(ss, false, e.now())
			return nil, errInvalidParam("Software token MFA is not enabled for this user pool.")
		}
		next := &session{id: newOpaque(sessionBytes), challenge: "MFA_SETUP", authState: ss.authState,
			state: &mfaSetupState{secret: secret}, expires: ss.expires}
		e.sessions.put(next, e.now())
		return &associateSoftwareTokenResponse{SecretCode: secret, Session: next.id}, nil
	}
	err := e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		old := *u
		u.MFA.PendingTOTPSecret = secret
		return t.putUser(p, &old, u)
	})
	if err != nil {
		return nil, err
	}
	return &associateSoftwareTokenResponse{SecretCode: secret}, nil
}

type verifySoftwareTokenRequest struct {
	AccessToken        string
	Session            string
	UserCode           string
	FriendlyDeviceName string
}

func (r verifySoftwareTokenRequest) validate() error {
	var v validation
	v.required("userCode", r.UserCode != "")
	v.length("userCode", r.UserCode, 6, 6)
	v.length("session", r.Session, 20, 2048)
	v.length("friendlyDeviceName", r.FriendlyDeviceName, 0, 131072)
	if err := v.err(); err != nil {
		return err
	}
	if (r.AccessToken == "") == (r.Session == "") {
		return errInvalidParam("Exactly one of AccessToken or Session must be given.")
	}
	return nil
}

type verifySoftwareTokenResponse struct {
	Status  string
	Session string `json:",omitempty"`
}

func errSoftwareTokenMismatch() error {
	return errf("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
}

func (e *Emulator) verifySoftwareToken(_ context.Context, req *verifySoftwareTokenRequest) (*verifySoftwareTokenResponse, error) {
	if req.Session != "" {
		ss := e.sessions.claimFor(req.Session, "MFA_SETUP", e.now())
		if ss == nil {
			return nil, errInvalidSession()
		}
		state, ok := ss.state.(*mfaSetupState)
		if !ok {
			return nil, errInvalidSession()
		}
		if state.secret == "" {
			// No secret associated yet: the setup may still go on (by email).
			e.sessions.release(ss, false, e.now())
			return nil, errInvalidSession()
		}
		step, ok := checkTOTP(state.secret, req.UserCode, e.now(), 0)
		if !ok {
			e.sessions.release(ss, true, e.now())
			return nil, errSoftwareTokenMismatch()
		}
		next := &session{id: newOpaque(sessionBytes), challenge: "MFA_SETUP", authState: ss.authState,
			state: &mfaSetupState{secret: state.secret, verified: true, step: step, name: req.FriendlyDeviceName}, expires: ss.expires}
		e.sessions.put(next, e.now())
		return &verifySoftwareTokenResponse{Status: "SUCCESS", Session: next.id}, nil
	}
	err := e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		if u.MFA.PendingTOTPSecret == "" {
			return errInvalidParam("No software token has been associated with this user: call AssociateSoftwareToken first.")
		}
		step, ok := checkTOTP(u.MFA.PendingTOTPSecret, req.UserCode, e.now(), 0)
		if !ok {
			return errSoftwareTokenMismatch()
		}
		old := *u
		u.MFA.TOTPSecret, u.MFA.PendingTOTPSecret, u.MFA.LastTOTPStep = u.MFA.PendingTOTPSecret, "", step
		u.MFA.TOTPName = req.FriendlyDeviceName
		u.Modified = e.now().UTC()
		return t.putUser(p, &old, u)
	})
	if err != nil {
		return nil, err
	}
	return &verifySoftwareTokenResponse{Status: "SUCCESS"}, nil
}

package emulator

import (
	"context"
)

// ForgotPassword, ConfirmForgotPassword, AdminResetUserPassword,
// ChangePassword: new passwords, by a code sent to a verified email address
// or phone number, or by the old password with an access token. A user an
// administrator reset is RESET_REQUIRED and refused at sign-in
// (PasswordResetRequiredException, signin.go) until the reset is confirmed.

func errNoVerifiedContact() error {
	return errInvalidParam("Cannot reset password for the user as there is no registered/verified email or phone_number")
}

type forgotPasswordRequest struct{ clientUserRequest }

func (e *Emulator) forgotPassword(ctx context.Context, req *forgotPasswordRequest) (*codeDeliveryResponse, error) {
	if err := e.migrateForReset(ctx, req); err != nil {
		return nil, err
	}
	var d *delivery
	var p *poolRecord
	var simulated *codeDeliveryDetails
	err := e.withClientUser(req.clientUserRequest, func(t *txn, sc *signInContext, u *userRecord) (error, error) {
		p = sc.pool
		if u == nil {
			if hidesUsers(sc.client) {
				simulated = simulatedDelivery(p, req.Username)
				return nil, nil
			}
			return nil, errNoSuchClientUser()
		}
		if !u.Enabled {
			return nil, errNotAuthorized("User is disabled.")
		}
		attr := verifiedContact(u)
		if attr == "" {
			return nil, errNoVerifiedContact()
		}
		old := u.clone()
		d = e.issueCode(u, codeForgot, attr, forgotCodeTTL)
		return nil, t.putUser(p, old, u)
	})
	if err != nil {
		return nil, err
	}
	return e.answerCodeDelivery(ctx, p, req.ClientId, "ForgotPassword", simulated, d)
}

type confirmForgotPasswordRequest struct {
	clientUserRequest
	ConfirmationCode string
	Password         string
}

func (r confirmForgotPasswordRequest) validate() error {
	var v validation
	r.check(&v)
	v.code("confirmationCode", r.ConfirmationCode)
	v.password("password", r.Password, true)
	return v.err()
}

func (e *Emulator) confirmForgotPassword(ctx context.Context, req *confirmForgotPasswordRequest) (*struct{}, error) {
	var username, poolID string
	var confirmed *userRecord
	var csc *signInContext
	err := e.withClientUser(req.clientUserRequest, func(t *txn, sc *signInContext, u *userRecord) (error, error) {
		p := sc.pool
		if u == nil {
			if hidesUsers(sc.client) {
				return errCodeMismatchAccount(), nil
			}
			return nil, errNoSuchClientUser()
		}
		if !u.Enabled {
			return nil, errNotAuthorized("User is disabled.")
		}
		// A password the policy refuses leaves the code for another try.
		if err := checkPassword(p, req.Password); err != nil {
			return nil, err
		}
		old := u.clone()
		if _, cerr := e.useCode(p, u, codeForgot, req.ConfirmationCode); cerr != nil {
			return cerr, t.putUser(p, old, u)
		}
		if err := setVerifier(p, u, req.Password); err != nil {
			return nil, err
		}
		if u.Status == statusResetRequired || u.Status == statusForceChangePassword {
			u.Status = statusConfirmed
		}
		u.Modified = e.now().UTC()
		username, poolID = u.Username, p.ID
		confirmed, csc = u, sc
		return nil, t.putUser(p, old, u)
	})
	if err != nil {
		return nil, err
	}
	e.lockout.succeed(lockKey(poolID, username))
	if err := e.postConfirmation(ctx, csc, confirmed, "ConfirmForgotPassword", req.ClientMetadata); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

type adminResetUserPasswordRequest struct {
	adminUserRequest
	ClientMetadata map[string]string
}

// AdminResetUserPassword makes the user RESET_REQUIRED and sends a code to
// their verified email address or phone number, as ForgotPassword does.
func (e *Emulator) adminResetUserPassword(ctx context.Context, req *adminResetUserPasswordRequest) (*struct{}, error) {
	if err := checkParams("ClientMetadata", req.ClientMetadata); err != nil {
		return nil, err
	}
	var d *delivery
	var p *poolRecord
	err := e.withAdminUser(req.adminUserRequest, true, func(t *txn, pool *poolRecord, u *userRecord) error {
		p = pool
		attr := verifiedContact(u)
		if attr == "" {
			return errNoVerifiedContact()
		}
		old := u.clone()
		d = e.issueCode(u, codeForgot, attr, forgotCodeTTL)
		u.Status, u.Modified = statusResetRequired, e.now().UTC()
		return t.putUser(p, old, u)
	})
	if err != nil {
		return nil, err
	}
	if _, err := e.deliver(ctx, p, adminClientID, "ForgotPassword", d); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

type changePasswordRequest struct {
	PreviousPassword string
	ProposedPassword string
	AccessToken      string
}

func (r changePasswordRequest) validate() error {
	var v validation
	v.password("previousPassword", r.PreviousPassword, false)
	v.password("proposedPassword", r.ProposedPassword, true)
	v.accessToken(r.AccessToken)
	return v.err()
}

// ChangePassword checks the old password against the stored verifier, with
// the same lockout as sign-in, and sets the new one. A user who signed up
// without a password gives none, as Cognito allows.
func (e *Emulator) changePassword(_ context.Context, req *changePasswordRequest) (*struct{}, error) {
	err := e.withAccessTokenUser(req.AccessToken, true, func(t *txn, p *poolRecord, u *userRecord) error {
		lk := lockKey(p.ID, u.Username)
		if e.lockout.locked(lk, e.now()) {
			return errCodeAttemptsExceeded()
		}
		// A passwordless user sets a first password without a previous one.
		if !(u.NoPassword && req.PreviousPassword == "") && !passwordMatches(p, u, req.PreviousPassword) {
			e.lockout.fail(lk, e.now())
			return errBadCredentials()
		}
		e.lockout.succeed(lk)
		if err := checkPassword(p, req.ProposedPassword); err != nil {
			return err
		}
		old := u.clone()
		if err := setVerifier(p, u, req.ProposedPassword); err != nil {
			return err
		}
		u.Modified = e.now().UTC()
		return t.putUser(p, old, u)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// AdminDisableUser refuses the user's sign-ins ("User is disabled.") and
// signs them out everywhere, as Cognito revokes their tokens;
// AdminEnableUser lets them sign in again.
func (e *Emulator) adminDisableUser(_ context.Context, req *adminUserRequest) (*struct{}, error) {
	return e.setEnabled(req, false)
}

func (e *Emulator) adminEnableUser(_ context.Context, req *adminUserRequest) (*struct{}, error) {
	return e.setEnabled(req, true)
}

func (e *Emulator) setEnabled(req *adminUserRequest, enabled bool) (*struct{}, error) {
	err := e.withAdminUser(*req, true, func(t *txn, p *poolRecord, u *userRecord) error {
		old := u.clone()
		u.Enabled, u.Modified = enabled, e.now().UTC()
		if err := t.putUser(p, old, u); err != nil {
			return err
		}
		if !enabled {
			return e.signOutEverywhere(t, p, u)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// migrateForReset gives the pool's UserMigration trigger a name ForgotPassword
// does not know, before the reset looks the user up.
func (e *Emulator) migrateForReset(ctx context.Context, req *forgotPasswordRequest) error {
	sc, err := e.loadClient(req.ClientId)
	if err != nil || sc.pool.LambdaConfig.UserMigration == "" {
		return err
	}
	if err := checkSecretHash(sc.client, req.Username, req.SecretHash); err != nil {
		return err
	}
	if err := checkParams("ClientMetadata", req.ClientMetadata); err != nil {
		return err
	}
	u, err := e.findUser(sc.pool, req.Username)
	if err != nil || u != nil {
		return err
	}
	_, err = e.migrateUser(ctx, sc, req.Username, "", "ForgotPassword", req.ClientMetadata)
	return err
}

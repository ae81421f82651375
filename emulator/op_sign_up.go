package emulator

import (
	"context"
	"errors"
	"slices"
)

// SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp: users
// who register themselves. A new user is UNCONFIRMED until the code sent to
// an auto-verified attribute comes back (or an administrator confirms it),
// and cannot sign in before (UserNotConfirmedException, signin.go).

// clientUserRequest is what the public account operations name their user
// and client by; SecretHash is required when the client has a secret.
type clientUserRequest struct {
	ClientId       string
	SecretHash     string
	Username       string
	ClientMetadata map[string]string
}

func (r clientUserRequest) check(v *validation) {
	v.clientID("clientId", r.ClientId)
	v.length("secretHash", r.SecretHash, 1, 128)
	v.username("username", r.Username)
}

func (r clientUserRequest) validate() error {
	var v validation
	r.check(&v)
	return v.err()
}

func (v *validation) code(field, code string) {
	v.required(field, code != "")
	v.length(field, code, 1, 2048)
	if code != "" && len(code) <= 4*2048 && !codePattern.MatchString(code) {
		*v = append(*v, "Value at '"+field+"' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+")
	}
}

// errNoSuchClientUser is Cognito's answer to the public account operations
// for a name it does not know.
func errNoSuchClientUser() error {
	return errf("UserNotFoundException", "Username/client id combination not found.")
}

// withClientUser checks the client and SECRET_HASH, then runs fn in one
// write transaction with the user the request names (nil if none: fn
// decides what an unknown user gets, which depends on the client's
// PreventUserExistenceErrors). fn's result is kept apart from the
// transaction's: a wrong code is an error for the caller, but the count of
// wrong codes it made must still be stored.
func (e *Emulator) withClientUser(req clientUserRequest, fn func(t *txn, sc *signInContext, u *userRecord) (callerErr error, err error)) error {
	if err := checkParams("ClientMetadata", req.ClientMetadata); err != nil {
		return err
	}
	sc, err := e.loadClient(req.ClientId)
	if err != nil {
		return err
	}
	if err := checkSecretHash(sc.client, req.Username, req.SecretHash); err != nil {
		return err
	}
	var callerErr error
	err = e.store.update(func(t *txn) error {
		p, err := mustPool(t, sc.pool.ID)
		if err != nil {
			return err
		}
		sc.pool = p
		u, err := t.resolveUser(p, req.Username)
		if err != nil {
			return err
		}
		callerErr, err = fn(t, sc, u)
		return err
	})
	if err != nil {
		return err
	}
	return callerErr
}

func hidesUsers(c *clientRecord) bool { return c.PreventUserExistenceErrors == "ENABLED" }

type signUpRequest struct {
	clientUserRequest
	Password       string
	UserAttributes []attributeJSON
	ValidationData []attributeJSON
}

func (r signUpRequest) validate() error {
	var v validation
	r.check(&v)
	v.password("password", r.Password, false) // none: passwordless, if the pool allows it (signUp)
	return v.err()
}

// passwordlessAllowed reports whether a sign-up without a password may
// go through, on Cognito's conditions: the pool allows EMAIL_OTP or
// SMS_OTP as a first factor, the client allows USER_AUTH, and the user
// gives an email address (or phone number) for an allowed factor that the
// pool verifies automatically.
func passwordlessAllowed(p *poolRecord, c *clientRecord, attrs []attributeJSON) bool {
	if !allowsUserAuth(c) || p.SignInPolicy == nil {
		return false
	}
	given := attributeMap(attrs)
	for _, f := range p.SignInPolicy.AllowedFirstAuthFactors {
		attr := map[string]string{"EMAIL_OTP": "email", "SMS_OTP": "phone_number"}[f]
		if attr != "" && given[attr] != "" && slices.Contains(p.AutoVerifiedAttributes, attr) {
			return true
		}
	}
	return false
}

type signUpResponse struct {
	UserConfirmed       bool
	CodeDeliveryDetails *codeDeliveryDetails `json:",omitempty"`
	UserSub             string
	Session             string `json:",omitempty"` // for ConfirmSignUp, or USER_AUTH when confirmed (signup_session.go)
}

func (e *Emulator) signUp(ctx context.Context, req *signUpRequest) (*signUpResponse, error) {
	if len(req.ValidationData) > maxAttributes {
		return nil, errInvalidParam("1 validation error detected: Value at 'validationData' failed to satisfy constraint: Member must have length less than or equal to %d", maxAttributes)
	}
	// The trigger runs outside the store's transaction, on what the request
	// carries once the client, SECRET_HASH and attributes have passed.
	sc, err := e.loadClient(req.ClientId)
	if err != nil {
		return nil, err
	}
	if err := checkSecretHash(sc.client, req.Username, req.SecretHash); err != nil {
		return nil, err
	}
	if sc.pool.AdminCreateUserOnly {
		return nil, errNotAuthorized("SignUp is not permitted for this user pool")
	}
	if err := errors.Join(checkParams("ClientMetadata", req.ClientMetadata), sc.pool.validateAttributes(req.UserAttributes)); err != nil {
		return nil, err
	}
	if req.Password == "" && !passwordlessAllowed(sc.pool, sc.client, req.UserAttributes) {
		return nil, errInvalidParam("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null")
	}
	decided, err := e.preSignUp(ctx, sc, "SignUp", req.Username, req.UserAttributes, req.ValidationData, req.ClientMetadata)
	if err != nil {
		return nil, err
	}
	status := statusUnconfirmed
	if decided.AutoConfirmUser {
		status = statusConfirmed
	}
	var u *userRecord
	var d *delivery
	var p *poolRecord
	err = e.withClientUser(req.clientUserRequest, func(t *txn, sc *signInContext, _ *userRecord) (error, error) {
		p = sc.pool
		var err error
		u, err = e.createUser(t, p, newUserSpec{Username: req.Username, Password: req.Password,
			Attributes: req.UserAttributes, Status: status, NoPassword: req.Password == ""})
		var ae *apiError
		if errors.As(err, &ae) && ae.Type == "UsernameExistsException" && ae.Message == "User account already exists" {
			return nil, errf("UsernameExistsException", "User already exists")
		}
		if err != nil {
			return nil, err
		}
		if missing := missingRequired(p, u); len(missing) > 0 {
			return nil, errInvalidParam("Attributes did not conform to the schema: %s: The attribute is required", missing[0])
		}
		old := u.clone()
		autoVerify(u, decided)
		if attr := autoVerifyAttr(p, u); attr != "" && !decided.AutoConfirmUser {
			d = e.issueCode(u, codeSignUp, attr, signUpCodeTTL)
		}
		return nil, e.putUserClaimingAliases(t, p, old, u, false)
	})
	if err != nil {
		return nil, err
	}
	cdd, err := e.deliver(ctx, p, req.ClientId, "SignUp", d)
	if err != nil {
		return nil, err
	}
	kind := sessionSignedUp
	if decided.AutoConfirmUser {
		kind = sessionConfirmed // confirmed already: the Session signs in
	}
	return &signUpResponse{UserConfirmed: decided.AutoConfirmUser, CodeDeliveryDetails: cdd, UserSub: u.Sub,
		Session: e.signUpSession(sc, kind, u)}, nil
}

type confirmSignUpRequest struct {
	clientUserRequest
	ConfirmationCode   string
	ForceAliasCreation bool
	Session            string // SignUp's, optional (signup_session.go)
}

func (r confirmSignUpRequest) validate() error {
	var v validation
	r.check(&v)
	v.code("confirmationCode", r.ConfirmationCode)
	v.length("session", r.Session, 0, 2048)
	return v.err()
}

type confirmSignUpResponse struct {
	Session string `json:",omitempty"` // for a USER_AUTH sign-in (signup_session.go)
}

func errCannotConfirm(status string) error {
	return errNotAuthorized("User cannot be confirmed. Current status is " + status)
}

func (e *Emulator) confirmSignUp(ctx context.Context, req *confirmSignUpRequest) (*confirmSignUpResponse, error) {
	var confirmed *userRecord
	var csc *signInContext
	var signedUp *session // SignUp's Session, claimed: released unless confirmed
	stored := false
	defer func() {
		if signedUp != nil && !stored {
			e.sessions.release(signedUp, false, e.now())
		}
	}()
	err := e.withClientUser(req.clientUserRequest, func(t *txn, sc *signInContext, u *userRecord) (error, error) {
		p := sc.pool
		if u == nil {
			if hidesUsers(sc.client) {
				return errCodeMismatchAccount(), nil
			}
			return nil, errNoSuchClientUser()
		}
		if u.Status != statusUnconfirmed {
			return nil, errCannotConfirm(u.Status)
		}
		if req.Session != "" && signedUp == nil {
			// Checked before the code, so a wrong Session costs no attempt.
			var err error
			if signedUp, err = e.claimSignUpSession(sc, sessionSignedUp, req.Session, u); err != nil {
				return err, nil
			}
		}
		old := u.clone()
		pc, cerr := e.useCode(p, u, codeSignUp, req.ConfirmationCode)
		if cerr != nil {
			return cerr, t.putUser(p, old, u)
		}
		u.Status, u.Modified = statusConfirmed, e.now().UTC()
		if pc.Attr != "" && u.attr(pc.Attr) == pc.Value {
			u.setAttr(pc.Attr+"_verified", "true")
		}
		confirmed, csc = u, sc
		return nil, e.putUserClaimingAliases(t, p, old, u, req.ForceAliasCreation)
	})
	if err != nil {
		return nil, err
	}
	stored = true
	if err := e.postConfirmation(ctx, csc, confirmed, "ConfirmSignUp", req.ClientMetadata); err != nil {
		return nil, err
	}
	return &confirmSignUpResponse{Session: e.signUpSession(csc, sessionConfirmed, confirmed)}, nil
}

// putUserClaimingAliases stores u, whose newly verified email or phone
// number may be another user's alias already: AliasExistsException, or with
// force (ForceAliasCreation) the alias moves to u and the other user's
// attribute is no longer verified, as Cognito does.
func (e *Emulator) putUserClaimingAliases(t *txn, p *poolRecord, old, u *userRecord, force bool) error {
	for range 3 { // at most one move per alias kind
		err := t.putUser(p, old, u)
		var taken errIndexTaken
		if !errors.As(err, &taken) {
			return err
		}
		if !force {
			return errf("AliasExistsException", "An account with the given %s already exists.", taken.attr)
		}
		key := t.lookupIndex(p.ID, taken.attr, p.foldAlias(taken.attr, u.attr(taken.attr)))
		other, err := t.user(p.ID, key)
		if err != nil {
			return err
		}
		if other == nil {
			return errInternal
		}
		otherOld := other.clone()
		other.setAttr(taken.attr+"_verified", "false")
		other.Modified = e.now().UTC()
		if err := t.putUser(p, otherOld, other); err != nil {
			return err
		}
	}
	return errInternal
}

type resendConfirmationCodeRequest struct{ clientUserRequest }

type codeDeliveryResponse struct {
	CodeDeliveryDetails *codeDeliveryDetails `json:",omitempty"`
}

func (e *Emulator) resendConfirmationCode(ctx context.Context, req *resendConfirmationCodeRequest) (*codeDeliveryResponse, error) {
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
		if u.Status != statusUnconfirmed {
			return nil, errInvalidParam("User is already confirmed.")
		}
		attr := autoVerifyAttr(p, u)
		if attr == "" {
			return nil, errInvalidParam("Cannot resend codes. Auto verification not turned on.")
		}
		old := u.clone()
		d = e.issueCode(u, codeSignUp, attr, signUpCodeTTL)
		return nil, t.putUser(p, old, u)
	})
	if err != nil {
		return nil, err
	}
	return e.answerCodeDelivery(ctx, p, req.ClientId, "ResendCode", simulated, d)
}

type adminConfirmSignUpRequest struct {
	adminUserRequest
	ClientMetadata map[string]string
}

func (e *Emulator) adminConfirmSignUp(ctx context.Context, req *adminConfirmSignUpRequest) (*struct{}, error) {
	if err := checkParams("ClientMetadata", req.ClientMetadata); err != nil {
		return nil, err
	}
	var confirmed *userRecord
	var pool *poolRecord
	err := e.withAdminUser(req.adminUserRequest, true, func(t *txn, p *poolRecord, u *userRecord) error {
		if u.Status != statusUnconfirmed {
			return errCannotConfirm(u.Status)
		}
		old := u.clone()
		delete(u.Codes, codeSignUp)
		u.Status, u.Modified = statusConfirmed, e.now().UTC()
		confirmed, pool = u, p
		return t.putUser(p, old, u)
	})
	if err != nil {
		return nil, err
	}
	if err := e.postConfirmation(ctx, adminCaller(pool), confirmed, "ConfirmSignUp", req.ClientMetadata); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

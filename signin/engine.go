package signin

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/smithy-go"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// Amplify JS v6's authFlowType values, accepted by SignIn.
const (
	AuthFlowUserSRP          = "USER_SRP_AUTH"
	AuthFlowUserPassword     = "USER_PASSWORD_AUTH"
	AuthFlowCustomWithSRP    = "CUSTOM_WITH_SRP"
	AuthFlowCustomWithoutSRP = "CUSTOM_WITHOUT_SRP"
	AuthFlowUserAuth         = "USER_AUTH"
)

// SignInInput starts a sign-in, as Amplify JS v6's signIn takes it.
type SignInInput struct {
	Username string
	Password string // required for the SRP and password flows; optional for USER_AUTH and CUSTOM_WITHOUT_SRP
	// AuthFlowType is one of the AuthFlow* constants; "" means USER_SRP_AUTH.
	AuthFlowType string
	// PreferredChallenge (USER_AUTH only): PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP or WEB_AUTHN.
	PreferredChallenge string
	// Session (USER_AUTH only) is the Session SignUp or ConfirmSignUp
	// answered: InitiateAuth with it signs the new user in without another
	// factor (auto sign-in after sign-up).
	Session        string
	ClientMetadata map[string]string
	// Admin uses AdminInitiateAuth / AdminRespondToAuthChallenge, signed with
	// Config.Credentials; USER_PASSWORD_AUTH becomes ADMIN_USER_PASSWORD_AUTH.
	Admin bool
	// Devices, when set, remembers devices (device.go): a device Cognito
	// offers is confirmed and kept there, a kept one is presented and
	// proven. nil: devices are neither confirmed nor presented.
	Devices DeviceStore
	// DeviceName names a new device in ConfirmDevice (Amplify sends the
	// browser's user agent); "" is DefaultDeviceName.
	DeviceName string
}

// ConfirmInput answers the step a Result asked for, as Amplify's confirmSignIn takes it.
type ConfirmInput struct {
	// ChallengeResponse is the code, the new password, the MFA type chosen
	// ("SMS", "TOTP", "EMAIL"), the email address to set up, the first factor
	// chosen, the password, or the custom challenge's answer.
	ChallengeResponse string
	// UserAttributes answers NEW_PASSWORD_REQUIRED's missing attributes, by
	// attribute name (no "userAttributes." prefix).
	UserAttributes     map[string]string
	ClientMetadata     map[string]string
	FriendlyDeviceName string // names the authenticator app during TOTP setup
}

// Result is where a sign-in stands after SignIn or ConfirmSignIn.
type Result struct {
	IsSignedIn bool
	NextStep   NextStep
	Tokens     *Tokens  // set when IsSignedIn
	Pending    *Pending // what ConfirmSignIn continues; nil when nothing more can be answered
}

// Pending is a sign-in waiting for a person. It is immutable: ConfirmSignIn
// returns a new one and leaves this one usable, so a wrong code can be
// answered again with the same Pending.
type Pending struct {
	admin     bool
	challenge string // the challenge the session is waiting on
	session   string
	username  string // the challenge's USERNAME, for the answers and SECRET_HASH
	params    map[string]string
	// password is kept only at SELECT_CHALLENGE, to send with a PASSWORD or
	// PASSWORD_SRP choice.
	password string
	// chosen is the first factor picked at SELECT_CHALLENGE that still waits
	// for the password (CONFIRM_SIGN_IN_WITH_PASSWORD).
	chosen string
	// setup is the MFA type being set up at MFA_SETUP: "TOTP" (after
	// AssociateSoftwareToken) or "EMAIL"; "" while the type is being chosen.
	setup string
	step  string // the NextStep's SignInStep, for messages
	// devices and deviceName are the sign-in's SignInInput.Devices and
	// DeviceName: a device may be proven or offered after this step.
	devices    DeviceStore
	deviceName string
}

// Step returns the SignInStep this Pending waits on.
func (p *Pending) Step() string { return p.step }

// at is a Result waiting on a copy of p at one of the engine's own steps
// inside p's challenge (a choice or an input asked before answering it).
func (p Pending) at(step string) *Result {
	p.step = step
	return &Result{NextStep: NextStep{SignInStep: step, ChallengeName: p.challenge, ChallengeParameters: p.params}, Pending: &p}
}

// SignIn starts a sign-in and runs it as far as it can go without a person:
// SRP's PASSWORD_VERIFIER (also inside USER_AUTH's PASSWORD_SRP and
// CUSTOM_WITH_SRP) is answered here. UserNotConfirmedException and
// PasswordResetRequiredException become the CONFIRM_SIGN_UP and
// RESET_PASSWORD steps, as Amplify reports them.
func (c *Client) SignIn(ctx context.Context, in SignInInput) (*Result, error) {
	defer c.eph.refill()
	return c.signIn(ctx, in, false)
}

// signIn is SignIn; again is set on its one retry without the kept device,
// after the server said the device does not exist or refused its proof.
func (c *Client) signIn(ctx context.Context, in SignInInput, again bool) (*Result, error) {
	flow := in.AuthFlowType
	if flow == "" {
		flow = AuthFlowUserSRP
	}
	if err := oneOf("AuthFlowType", flow, AuthFlowUserSRP, AuthFlowUserPassword, AuthFlowCustomWithSRP, AuthFlowCustomWithoutSRP, AuthFlowUserAuth); err != nil {
		return nil, err
	}
	if err := checkString("Username", in.Username, MaxUsernameLen, true); err != nil {
		return nil, err
	}
	needPassword := flow == AuthFlowUserSRP || flow == AuthFlowUserPassword || flow == AuthFlowCustomWithSRP ||
		(flow == AuthFlowUserAuth && (in.PreferredChallenge == "PASSWORD" || in.PreferredChallenge == "PASSWORD_SRP"))
	if err := checkString("Password", in.Password, MaxPasswordLen, needPassword); err != nil {
		return nil, err
	}
	if in.PreferredChallenge != "" {
		if flow != AuthFlowUserAuth {
			return nil, paramErr("PreferredChallenge", "applies only to the USER_AUTH flow, not %s", flow)
		}
		if err := oneOf("PreferredChallenge", in.PreferredChallenge, "PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"); err != nil {
			return nil, err
		}
	}
	if err := checkMap("ClientMetadata", in.ClientMetadata); err != nil {
		return nil, err
	}
	if in.Session != "" && flow != AuthFlowUserAuth {
		return nil, paramErr("Session", "applies only to the USER_AUTH flow, not %s", flow)
	}
	if err := checkString("Session", in.Session, MaxSessionLen, false); err != nil {
		return nil, err
	}
	if in.Admin {
		if err := c.needCredentials(); err != nil {
			return nil, err
		}
	}

	params := map[string]string{"USERNAME": in.Username}
	var sc *srp.Client
	withSRP := func() error {
		var err error
		if sc, err = c.eph.take(ctx); err != nil {
			return err
		}
		params["SRP_A"] = sc.A()
		return nil
	}
	var authFlow string
	switch flow {
	case AuthFlowUserSRP:
		authFlow = FlowUserSRP
		if err := withSRP(); err != nil {
			return nil, err
		}
	case AuthFlowUserPassword:
		authFlow = FlowUserPassword
		if in.Admin {
			authFlow = FlowAdminUserPass
		}
		params["PASSWORD"] = in.Password
	case AuthFlowCustomWithSRP:
		authFlow = FlowCustom
		params["CHALLENGE_NAME"] = "SRP_A"
		if err := withSRP(); err != nil {
			return nil, err
		}
	case AuthFlowCustomWithoutSRP:
		authFlow = FlowCustom
	case AuthFlowUserAuth:
		authFlow = FlowUserAuth
		if p := in.PreferredChallenge; p != "" {
			params["PREFERRED_CHALLENGE"] = p
			switch p {
			case "PASSWORD":
				params["PASSWORD"] = in.Password
			case "PASSWORD_SRP":
				if err := withSRP(); err != nil {
					return nil, err
				}
			}
		}
	}
	run := &run{admin: in.Admin, srp: sc, password: in.Password, username: in.Username, meta: in.ClientMetadata,
		devices: in.Devices, deviceName: in.DeviceName}
	if !again {
		run.restart = func() (*Result, error) { return c.signIn(ctx, in, true) }
	}
	// The device kept under the name typed, when that is the username
	// (identity-js and Amplify look there too); SRP presents it again with
	// PASSWORD_VERIFIER, under USER_ID_FOR_SRP, which finds it after an alias.
	dev, err := run.presentedDevice(ctx, in.Username)
	if err != nil {
		return nil, err
	}
	if dev != nil && !again {
		params["DEVICE_KEY"] = dev.Key
	}
	c.addSecretHash(params, in.Username)
	r, err := c.initiateCall(ctx, in.Admin, authFlow, params, in.Session, in.ClientMetadata)
	if err != nil {
		if params["DEVICE_KEY"] != "" && deviceGone(err) {
			run.forgetDevice(ctx, in.Username)
			return run.restart()
		}
		return resultFromError(err)
	}
	return c.advance(ctx, run, r)
}

// run is what the automatic part of a sign-in needs between two replies.
type run struct {
	admin    bool
	srp      *srp.Client // set when SRP_A was sent
	password string
	username string // the latest USERNAME known
	meta     map[string]string

	devices    DeviceStore
	deviceName string
	// restart signs in again from the start without the kept device, once:
	// set only on SignIn's first try (ConfirmSignIn cannot start over).
	restart func() (*Result, error)
}

// advance answers every challenge that needs no person and returns the
// first one that does, or the tokens.
func (c *Client) advance(ctx context.Context, st *run, r *reply) (*Result, error) {
	for i := 0; ; i++ {
		if i > 8 {
			return nil, &ServerError{Challenge: r.challenge, Err: errString("the server kept asking for challenges the engine answers itself")}
		}
		if r.tokens != nil {
			c.confirmNewDevice(ctx, st, r.tokens)
			return &Result{IsSignedIn: true, NextStep: NextStep{SignInStep: StepDone}, Tokens: r.tokens}, nil
		}
		// The name the answers carry, as Amplify picks it: the challenge's
		// USERNAME, else USER_ID_FOR_SRP, else the name typed.
		if u := r.params["USERNAME"]; u != "" {
			st.username = u
		} else if u := r.params["USER_ID_FOR_SRP"]; u != "" {
			st.username = u
		}
		switch r.challenge {
		case ChallengePasswordVf:
			if st.srp == nil || st.password == "" {
				return nil, &ServerError{Challenge: r.challenge, Err: errString("asked for without SRP_A having been sent")}
			}
			dev, err := st.presentedDevice(ctx, st.username)
			if err != nil {
				return nil, err
			}
			var deviceKey string
			var forget func()
			if dev != nil {
				deviceKey = dev.Key
				forget = func() { st.forgetDevice(ctx, st.username) }
			}
			next, err := c.answerVerifier(ctx, st.admin, st.srp, st.password, deviceKey, r, st.meta, forget)
			if err != nil {
				return resultFromError(err)
			}
			// SRP's password is used once; it is not kept past this point.
			st.srp, r = nil, next
			continue
		case "DEVICE_SRP_AUTH":
			next, err := c.answerDevice(ctx, st, r)
			if err != nil {
				var api smithy.APIError
				if deviceGone(err) || errors.As(err, &api) && api.ErrorCode() == "NotAuthorizedException" {
					// Forgotten at Cognito, or its proof refused (a wrong
					// randomPasswordKey): the kept device can only fail
					// again. The password was already accepted (this step
					// follows PASSWORD_VERIFIER), so a refusal here is the
					// device's, never the user's: start over once without
					// it, and the user gets MFA instead of "Incorrect
					// username or password.".
					st.forgetDevice(ctx, st.username)
					if st.restart != nil {
						return st.restart()
					}
				}
				return resultFromError(err)
			}
			st.restart, r = nil, next
			continue
		case "DEVICE_PASSWORD_VERIFIER":
			return nil, &ServerError{Challenge: r.challenge, Err: errString("asked for without DEVICE_SRP_AUTH")}
		case ChallengeMFASetup:
			return c.mfaSetup(ctx, st, r)
		}
		return c.pending(st, r)
	}
}

// pending turns a challenge that needs a person into a Result.
func (c *Client) pending(st *run, r *reply) (*Result, error) {
	ns, err := nextStep(r)
	if err != nil {
		return nil, err
	}
	p := &Pending{admin: st.admin, challenge: r.challenge, session: r.session, username: st.username, params: r.params, step: ns.SignInStep,
		devices: st.devices, deviceName: st.deviceName}
	if r.challenge == ChallengeSelectFirst {
		p.password = st.password
	}
	return &Result{NextStep: ns, Pending: p}, nil
}

// mfaSetup handles MFA_SETUP as Amplify does: with TOTP alone it starts the
// setup at once (AssociateSoftwareToken), with email alone it asks for the
// address, with both it asks which.
func (c *Client) mfaSetup(ctx context.Context, st *run, r *reply) (*Result, error) {
	types, err := setupTypes(r.params["MFAS_CAN_SETUP"])
	if err != nil {
		return nil, err
	}
	p := &Pending{admin: st.admin, challenge: ChallengeMFASetup, session: r.session, username: st.username, params: r.params,
		devices: st.devices, deviceName: st.deviceName}
	hasTOTP, hasEmail := slices.Contains(types, "TOTP"), slices.Contains(types, "EMAIL")
	switch {
	case hasTOTP && hasEmail:
		res := p.at(StepMFASetupSelection)
		res.NextStep.AllowedMFATypes = types
		return res, nil
	case hasEmail:
		p.setup = "EMAIL"
		return p.at(StepEmailSetup), nil
	case hasTOTP:
		return c.startTOTPSetup(ctx, p)
	}
	return nil, &ServerError{Challenge: ChallengeMFASetup, Err: fmt.Errorf("MFAS_CAN_SETUP offers no type that can be set up during sign-in: %q", r.params["MFAS_CAN_SETUP"])}
}

func (c *Client) startTOTPSetup(ctx context.Context, from *Pending) (*Result, error) {
	secret, session, err := c.associate(ctx, from.session)
	if err != nil {
		return nil, err
	}
	p := *from
	p.session, p.setup = session, "TOTP"
	res := p.at(StepTOTPSetup)
	res.NextStep.TOTPSetupDetails = &TOTPSetupDetails{SharedSecret: secret, AccountName: p.username}
	return res, nil
}

// ConfirmSignIn answers the step p waits on and runs on as SignIn does. On
// error p stays usable: a wrong code may be answered again.
func (c *Client) ConfirmSignIn(ctx context.Context, p *Pending, in ConfirmInput) (*Result, error) {
	defer c.eph.refill()
	if p == nil {
		return nil, paramErr("Pending", "is required: there is no sign-in waiting for an answer")
	}
	if err := checkString("ChallengeResponse", in.ChallengeResponse, MaxValueLen, true); err != nil {
		return nil, err
	}
	if err := checkMap("UserAttributes", in.UserAttributes); err != nil {
		return nil, err
	}
	if err := checkMap("ClientMetadata", in.ClientMetadata); err != nil {
		return nil, err
	}
	if err := checkString("FriendlyDeviceName", in.FriendlyDeviceName, MaxKeyLen, false); err != nil {
		return nil, err
	}
	resp := in.ChallengeResponse
	st := &run{admin: p.admin, username: p.username, meta: in.ClientMetadata, devices: p.devices, deviceName: p.deviceName}
	answers := map[string]string{"USERNAME": p.username}
	challenge := p.challenge

	switch p.challenge {
	case "SMS_MFA", "SMS_OTP", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA":
		answers[p.challenge+"_CODE"] = resp
	case "SELECT_MFA_TYPE":
		mfa, ok := mfaChallenge[resp]
		if !ok {
			return nil, paramErr("ChallengeResponse", "must be SMS, TOTP or EMAIL to choose an MFA type, not %q", resp)
		}
		answers["ANSWER"] = mfa
	case "NEW_PASSWORD_REQUIRED":
		answers["NEW_PASSWORD"] = resp
		for k, v := range in.UserAttributes {
			answers["userAttributes."+k] = v
		}
	case "CUSTOM_CHALLENGE":
		answers["ANSWER"] = resp
	case ChallengeWebAuthn:
		if err := webAuthnAnswer(answers, resp); err != nil {
			return nil, err
		}
	case ChallengeSelectFirst:
		factor := p.chosen
		password := p.password
		if factor == "" {
			factor = resp
			if err := checkName("ChallengeResponse", factor, true); err != nil {
				return nil, err
			}
			if (factor == "PASSWORD" || factor == "PASSWORD_SRP") && password == "" {
				q := *p
				q.chosen = factor
				return q.at(StepConfirmPassword), nil
			}
		} else {
			password = resp
		}
		answers["ANSWER"] = factor
		switch factor {
		case "PASSWORD":
			answers["PASSWORD"] = password
		case "PASSWORD_SRP":
			sc, err := c.eph.take(ctx)
			if err != nil {
				return nil, err
			}
			answers["SRP_A"] = sc.A()
			st.srp, st.password = sc, password
		}
	case ChallengeMFASetup:
		switch p.setup {
		case "":
			switch resp {
			case "TOTP":
				return c.startTOTPSetup(ctx, p)
			case "EMAIL":
				q := *p
				q.setup = "EMAIL"
				return q.at(StepEmailSetup), nil
			}
			return nil, paramErr("ChallengeResponse", "must be TOTP or EMAIL to choose the MFA type to set up, not %q", resp)
		case "TOTP":
			session, err := c.verify(ctx, p.session, resp, in.FriendlyDeviceName)
			if err != nil {
				return resultFromError(err)
			}
			// The app is verified and the old session spent: from here a
			// failure must hand back the new session, or the sign-in is lost.
			q := *p
			q.session, q.setup = session, "TOTP_VERIFIED"
			return c.finishTOTPSetup(ctx, &q, st, in.ClientMetadata)
		case "TOTP_VERIFIED":
			return c.finishTOTPSetup(ctx, p, st, in.ClientMetadata)
		case "EMAIL":
			answers["EMAIL"] = resp
		}
	default:
		return nil, &ServerError{Challenge: p.challenge, Err: errString("the engine does not know how to answer this challenge")}
	}
	c.addSecretHash(answers, p.username)
	r, err := c.respondCall(ctx, p.admin, challenge, answers, p.session, in.ClientMetadata)
	if err != nil {
		return resultFromError(err)
	}
	return c.advance(ctx, st, r)
}

// finishTOTPSetup answers MFA_SETUP once VerifySoftwareToken has succeeded.
// If that answer fails, the error carries a Pending that retries only this
// last request (whatever challengeResponse comes with the retry).
func (c *Client) finishTOTPSetup(ctx context.Context, p *Pending, st *run, meta map[string]string) (*Result, error) {
	answers := map[string]string{"USERNAME": p.username}
	c.addSecretHash(answers, p.username)
	r, err := c.respondCall(ctx, p.admin, ChallengeMFASetup, answers, p.session, meta)
	if err != nil {
		if res, stepErr := resultFromError(err); stepErr == nil {
			return res, nil
		}
		return nil, &ProgressError{Err: err, Pending: p}
	}
	return c.advance(ctx, st, r)
}

// mfaChallenge maps Amplify's MFA type names to Cognito's challenge names.
var mfaChallenge = map[string]string{"SMS": "SMS_MFA", "TOTP": "SOFTWARE_TOKEN_MFA", "EMAIL": "EMAIL_OTP"}

// resultFromError turns the two errors Amplify reports as steps into steps.
func resultFromError(err error) (*Result, error) {
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "UserNotConfirmedException":
			return &Result{NextStep: NextStep{SignInStep: StepConfirmSignUp}}, nil
		case "PasswordResetRequiredException":
			return &Result{NextStep: NextStep{SignInStep: StepResetPassword}}, nil
		}
	}
	return nil, err
}

// backgroundSRP is what c.eph builds with: Config.Background first, then
// newSRP.
func (c *Client) backgroundSRP(ctx context.Context) (*srp.Client, error) {
	if c.cfg.Background != nil {
		if err := c.cfg.Background(ctx); err != nil {
			return nil, err
		}
	}
	return c.newSRP(ctx)
}

// newSRP builds a fresh ephemeral (g^a) through Compute. Only c.eph calls
// it: sign-ins take their ephemeral from there.
func (c *Client) newSRP(ctx context.Context) (*srp.Client, error) {
	var opts []srp.Option
	if c.cfg.Random != nil {
		opts = append(opts, srp.WithRandom(c.cfg.Random))
	}
	var sc *srp.Client
	var err error
	if cerr := c.cfg.Compute(ctx, func() { sc, err = srp.NewClient(opts...) }); cerr != nil {
		return nil, cerr
	}
	if err != nil {
		return nil, fmt.Errorf("signin: %w", err)
	}
	return sc, nil
}

// passwordClaim computes, through Compute, the SRP claim answering
// challenge (PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER) from its
// parameters cp, for userID's password in poolName. A claim that cannot be
// made is the server's fault, a *ServerError on challenge.
func (c *Client) passwordClaim(ctx context.Context, sc *srp.Client, challenge, poolName, userID, password string, cp map[string]string) (srp.Claim, error) {
	var claim srp.Claim
	var err error
	if cerr := c.cfg.Compute(ctx, func() {
		claim, err = sc.PasswordClaim(srp.ClaimInput{
			PoolName:    poolName,
			UserID:      userID,
			Password:    password,
			Salt:        cp["SALT"],
			SRPB:        cp["SRP_B"],
			SecretBlock: cp["SECRET_BLOCK"],
			Now:         c.cfg.Now(),
		})
	}); cerr != nil {
		return srp.Claim{}, cerr
	}
	if err != nil {
		return srp.Claim{}, &ServerError{Challenge: challenge, Err: err}
	}
	return claim, nil
}

// answerVerifier answers PASSWORD_VERIFIER with the SRP claim over the
// challenge's USER_ID_FOR_SRP.
//
// deviceKey presents a kept device. If Cognito answers that it does not
// exist, forget (when set) drops it and the same answer goes again without
// it, as amazon-cognito-identity-js does: the session survives that refusal.
func (c *Client) answerVerifier(ctx context.Context, admin bool, sc *srp.Client, password, deviceKey string, r *reply, meta map[string]string, forget func()) (*reply, error) {
	cp := r.params
	userID := cp["USER_ID_FOR_SRP"]
	if userID == "" {
		return nil, &ServerError{Challenge: ChallengePasswordVf, Err: errString("USER_ID_FOR_SRP is missing")}
	}
	claim, err := c.passwordClaim(ctx, sc, ChallengePasswordVf, c.poolName, userID, password, cp)
	if err != nil {
		return nil, err
	}
	// Cognito's USERNAME in the challenge is the canonical username (equal to
	// USER_ID_FOR_SRP); fall back to the latter when a server omits it.
	username := cp["USERNAME"]
	if username == "" {
		username = userID
	}
	answers := map[string]string{
		"USERNAME":                    username,
		"PASSWORD_CLAIM_SECRET_BLOCK": cp["SECRET_BLOCK"],
		"TIMESTAMP":                   claim.Timestamp,
		"PASSWORD_CLAIM_SIGNATURE":    claim.Signature,
	}
	if deviceKey != "" {
		answers["DEVICE_KEY"] = deviceKey
	}
	c.addSecretHash(answers, username)
	next, err := c.respondCall(ctx, admin, ChallengePasswordVf, answers, r.session, meta)
	if err != nil && forget != nil && deviceGone(err) {
		forget()
		delete(answers, "DEVICE_KEY")
		return c.respondCall(ctx, admin, ChallengePasswordVf, answers, r.session, meta)
	}
	return next, err
}

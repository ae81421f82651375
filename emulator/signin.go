package emulator

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Sign-in is three tables and one walk:
//
//   - flows: AuthFlow -> how it starts (InitiateAuth, AdminInitiateAuth).
//   - challenges: ChallengeName -> how an answer is checked
//     (RespondToAuthChallenge, AdminRespondToAuthChallenge).
//   - afterFirstFactor: what a sign-in may still owe once the user has
//     proven who they are, walked in Cognito's order by next.
//
// To add a flow: a file flow_<name>.go with a startFunc and one entry in
// flows. The start function proves the first factor itself (and calls
// e.firstFactorDone, which walks next), or issues a challenge with
// e.challenge whose answer does.
//
// To add a challenge: a file challenge_<name>.go with an answerFunc and one
// entry in challenges. The answer gets the claimed session (its common
// authState plus the state the issuer stored in session.state), checks the
// responses, and on success marks its step done on a copy of the authState
// and calls e.next (or e.firstFactorDone for a first factor). It returns
// retry(err) to keep the session for another try (input the user can fix)
// and wrongCode(err) to keep it but count a wrong code; any other error
// consumes the session, as does success.
//
// Handlers must not assume which operation called them: sc.admin tells
// AdminRespondToAuthChallenge (SigV4-signed, UserPoolId given) from the
// public call, and the same handlers serve both.

// signInContext is what every sign-in step resolves before its handler:
// the app client the request names, its pool, and how the request came.
type signInContext struct {
	pool           *poolRecord
	client         *clientRecord
	admin          bool // AdminInitiateAuth / AdminRespondToAuthChallenge
	responding     bool // (Admin)RespondToAuthChallenge, set by respond
	clientMetadata map[string]string
	// tokenSource is the pre-token-generation trigger's source when the
	// sign-in ends: empty is Authentication.
	tokenSource string
	// refreshOperation marks GetTokensFromRefreshToken, whose ClientMetadata
	// the pre-token-generation trigger sees.
	refreshOperation bool
	// signUpSession is (Admin)InitiateAuth's Session: ConfirmSignUp's, for
	// a USER_AUTH sign-in without another factor (signup_session.go).
	signUpSession string
	// deviceKey is the request's DEVICE_KEY (AuthParameters or
	// ChallengeResponses): a remembered device, when set (devices.go).
	deviceKey string
}

// authResponse is the answer of every sign-in step: a challenge with its
// Session, or tokens.
type authResponse struct {
	ChallengeName        string                `json:",omitempty"`
	Session              string                `json:",omitempty"`
	ChallengeParameters  map[string]string     `json:"ChallengeParameters"`
	AuthenticationResult *authenticationResult `json:",omitempty"`
	AvailableChallenges  []string              `json:",omitempty"`
}

// startFunc begins a flow with the request's AuthParameters.
type startFunc func(e *Emulator, ctx context.Context, sc *signInContext, params map[string]string) (*authResponse, error)

// flow is one AuthFlow.
type flow struct {
	public bool // accepted by InitiateAuth
	admin  bool // accepted by AdminInitiateAuth
	// allowed reports whether the app client's ExplicitAuthFlows permit it.
	allowed func(c *clientRecord) bool
	start   startFunc
}

// flows is the table of AuthFlows the emulator serves. REFRESH_TOKEN is an
// alias of REFRESH_TOKEN_AUTH, resolved before the lookup.
var flows = map[string]flow{
	"USER_SRP_AUTH":      {public: true, admin: true, allowed: allowsSRP, start: startUserSRP},
	"USER_PASSWORD_AUTH": {public: true, allowed: allowsUserPassword, start: startUserPassword},
	"REFRESH_TOKEN_AUTH": {public: true, admin: true, allowed: allowsRefresh, start: startRefreshToken},
}

// passwordFlows begin with the user's password (AdminListUserAuthEvents
// shows a Password step for them).
var passwordFlows = []string{"USER_SRP_AUTH", "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"}

// adminOnlyFlows are refused by InitiateAuth in Cognito's words.
var adminOnlyFlows = []string{"ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"}

// answerFunc checks an answer to the challenge a session was issued for.
type answerFunc func(e *Emulator, ctx context.Context, a *answer) (*authResponse, error)

// challenge is one ChallengeName.
type challenge struct {
	// required are the ChallengeResponses keys every answer must carry,
	// reported missing in this order. USERNAME, which names the user the
	// session is bound to (and SECRET_HASH is computed over), comes first.
	required []string
	// altKey names a response that finds the session when Session is
	// absent (clients send none with PASSWORD_VERIFIER). Without one,
	// Session is required.
	altKey string
	answer answerFunc
}

// challenges is the registry of answerable challenges.
var challenges = map[string]challenge{}

func init() {
	// Set in init: the answer functions reach next, which issues challenges.
	challenges["PASSWORD_VERIFIER"] = challenge{
		required: []string{"USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE"},
		altKey:   "PASSWORD_CLAIM_SECRET_BLOCK", answer: answerPasswordVerifier}
	challenges["NEW_PASSWORD_REQUIRED"] = challenge{
		required: []string{"USERNAME", "NEW_PASSWORD"}, answer: answerNewPassword}
	challenges["SMS_MFA"] = challenge{required: []string{"USERNAME", "SMS_MFA_CODE"}, answer: answerSentCode("SMS_MFA_CODE")}
	challenges["EMAIL_OTP"] = challenge{required: []string{"USERNAME", "EMAIL_OTP_CODE"}, answer: answerSentCode("EMAIL_OTP_CODE")}
	challenges["SOFTWARE_TOKEN_MFA"] = challenge{required: []string{"USERNAME", "SOFTWARE_TOKEN_MFA_CODE"}, answer: answerTOTP}
	challenges["SELECT_MFA_TYPE"] = challenge{required: []string{"USERNAME", "ANSWER"}, answer: answerSelectMFAType}
	challenges["MFA_SETUP"] = challenge{required: []string{"USERNAME"}, answer: answerMFASetup}
	challenges["DEVICE_SRP_AUTH"] = challenge{required: []string{"USERNAME", "DEVICE_KEY", "SRP_A"}, answer: answerDeviceSRP}
	challenges["DEVICE_PASSWORD_VERIFIER"] = challenge{
		required: []string{"USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE", "DEVICE_KEY"},
		answer:   answerDevicePasswordVerifier}
}

// answer is one challenge response in progress.
type answer struct {
	*signInContext
	session   *session
	responses map[string]string
}

// steps are what a sign-in has settled, recorded on its authState.
type steps uint16

const (
	stepFirstFactor steps = 1 << iota // password, SRP, custom or OTP first factor proven
	stepNewPassword                   // NEW_PASSWORD_REQUIRED answered, or not owed
	stepMFASetup                      // MFA_SETUP answered, or not owed
	stepMFA                           // SELECT_MFA_TYPE and the MFA code answered, or not owed
	stepDevice                        // device SRP answered, or not owed
)

// authState is what a sign-in carries from one challenge to the next.
type authState struct {
	poolID   string
	clientID string
	flow     string // the AuthFlow that began it
	admin    bool   // begun through AdminInitiateAuth
	username string // the real username (USER_ID_FOR_SRP), or the typed name of an unknown user
	// verifier is the user's SRP verifier when the sign-in began: if the
	// password changes meanwhile, the sign-in fails.
	verifier string
	done     steps
	// deviceKey is the user's device the sign-in presented (presentDevice).
	deviceKey string
}

func newAuthState(sc *signInContext, flow string) authState {
	return authState{poolID: sc.pool.ID, clientID: sc.client.ID, flow: flow, admin: sc.admin}
}

// owedStep is one step next may ask for: it returns a challenge when the
// user owes it, or nil when there is nothing to do.
type owedStep struct {
	step steps
	owe  func(e *Emulator, ctx context.Context, sc *signInContext, st authState, u *userRecord) (*authResponse, error)
}

// afterFirstFactor is Cognito's order once the first factor is proven.
var afterFirstFactor []owedStep

func init() {
	afterFirstFactor = []owedStep{
		{stepNewPassword, oweNewPassword},
		{stepMFASetup, oweMFASetup},
		{stepMFA, unlessRememberedDevice(oweMFA)},
		{stepDevice, oweDevice},
	}
}

// initiate starts a sign-in: InitiateAuth and AdminInitiateAuth share it
// once they have resolved the client.
func (e *Emulator) initiate(ctx context.Context, sc *signInContext, name string, params map[string]string) (*authResponse, error) {
	if name == "REFRESH_TOKEN" {
		name = "REFRESH_TOKEN_AUTH"
	}
	f, ok := flows[name]
	if ok && !(sc.admin && f.admin || !sc.admin && f.public) || !ok && !sc.admin && slices.Contains(adminOnlyFlows, name) {
		return nil, errInvalidParam("Initiate Auth method not supported.")
	}
	if !ok {
		return nil, errInvalidParam("%s is not supported by this emulator yet.", name)
	}
	if !f.allowed(sc.client) {
		return nil, errInvalidParam("%s flow not enabled for this client", name)
	}
	sc.deviceKey = params["DEVICE_KEY"]
	if name != "REFRESH_TOKEN_AUTH" {
		if err := e.preAuthentication(ctx, sc, params); err != nil {
			return nil, err
		}
	}
	return f.start(e, ctx, sc, params)
}

// respond checks one challenge answer: RespondToAuthChallenge and
// AdminRespondToAuthChallenge share it once they have resolved the client.
func (e *Emulator) respond(ctx context.Context, sc *signInContext, name, sessionID string, responses map[string]string) (*authResponse, error) {
	sc.responding = true
	sc.deviceKey = responses["DEVICE_KEY"]
	ch, ok := challenges[name]
	if !ok {
		return nil, errInvalidParam("%s is not supported by this emulator yet.", name)
	}
	if ch.altKey == "" && sessionID == "" {
		return nil, errMissingParam("Session")
	}
	if err := requireParams(responses, ch.required...); err != nil {
		return nil, err
	}
	typed := responses["USERNAME"]
	if err := checkSecretHash(sc.client, typed, responses["SECRET_HASH"]); err != nil {
		return nil, err
	}
	alt := ""
	if ch.altKey != "" {
		alt = responses[ch.altKey]
	}
	ss := e.sessions.claim(sessionID, alt, e.now())
	if ss == nil || ss.challenge != name || ss.clientID != sc.client.ID || ss.poolID != sc.pool.ID {
		return nil, errInvalidSession()
	}
	same, err := e.namesUser(sc.pool, typed, ss.username)
	if err != nil {
		return nil, err
	}
	if !same {
		return nil, errInvalidSession()
	}
	out, err := ch.answer(e, ctx, &answer{signInContext: sc, session: ss, responses: responses})
	var k *keepSession
	if errors.As(err, &k) {
		e.sessions.release(ss, k.wrongCode, e.now())
		return nil, k.err
	}
	return out, err
}

// keepSession marks an answer error after which the session stays usable.
type keepSession struct {
	err       error
	wrongCode bool
}

func (k *keepSession) Error() string { return k.err.Error() }
func (k *keepSession) Unwrap() error { return k.err }

// retry keeps the session for another answer: the input was unusable
// (a weak new password), not wrong.
func retry(err error) error { return &keepSession{err: err} }

// wrongCode keeps the session but counts a wrong code against it: after
// maxWrongCodes the session is gone ("Invalid session for the user.").
func wrongCode(err error) error { return &keepSession{err: err, wrongCode: true} }

// namesUser reports whether a USERNAME sent with an answer names the user
// the session belongs to: the username itself or an alias of it.
func (e *Emulator) namesUser(p *poolRecord, typed, username string) (bool, error) {
	if p.fold(typed) == p.fold(username) {
		return true, nil
	}
	u, err := e.findUser(p, typed)
	if err != nil {
		return false, err
	}
	return u != nil && u.Username == username, nil
}

// challenge stores a session for the named challenge and answers with it.
// state is the challenge's own state, handed back to its answer function.
func (e *Emulator) challenge(sc *signInContext, st authState, name string, state any, altKey string, params map[string]string) *authResponse {
	ss := &session{id: newOpaque(sessionBytes), challenge: name, altKey: altKey, authState: st, state: state,
		expires: e.now().Add(e.sessionTTL(sc.client))}
	e.sessions.put(ss, e.now())
	if params == nil {
		params = map[string]string{}
	}
	return &authResponse{ChallengeName: name, Session: ss.id, ChallengeParameters: params}
}

func (e *Emulator) sessionTTL(c *clientRecord) time.Duration {
	if c.AuthSessionValidity == 3 {
		return e.cfg.SessionTTL
	}
	return time.Duration(c.AuthSessionValidity) * time.Minute
}

// firstFactorDone continues a sign-in whose user has proven who they are:
// the password lockout is cleared and next walks what remains.
func (e *Emulator) firstFactorDone(ctx context.Context, sc *signInContext, st authState, u *userRecord) (*authResponse, error) {
	e.lockout.succeed(lockKey(sc.pool.ID, u.Username))
	if u.Status == statusUnconfirmed {
		return nil, errf("UserNotConfirmedException", "User is not confirmed.")
	}
	if u.Status == statusResetRequired {
		return nil, errf("PasswordResetRequiredException", "Password reset required for the user")
	}
	st.username, st.verifier = u.Username, u.Verifier
	if err := e.presentDevice(sc, &st, u); err != nil {
		return nil, err
	}
	st.done |= stepFirstFactor
	return e.next(ctx, sc, st)
}

// next walks afterFirstFactor: the first step the user still owes becomes
// the next challenge; when none is owed, the sign-in ends with tokens.
// Each answer marks its step done on the authState it passes back here.
func (e *Emulator) next(ctx context.Context, sc *signInContext, st authState) (*authResponse, error) {
	if st.done&stepFirstFactor == 0 {
		return nil, errInternal
	}
	u, err := e.activeSessionUser(sc.pool, st)
	if err != nil {
		return nil, err
	}
	for _, s := range afterFirstFactor {
		if st.done&s.step != 0 {
			continue
		}
		out, err := s.owe(e, ctx, sc, st, u)
		if err != nil || out != nil {
			return out, err
		}
		st.done |= s.step
	}
	if err := e.postAuthentication(ctx, sc, u); err != nil {
		return nil, err
	}
	source := sc.tokenSource
	if source == "" {
		source = "Authentication"
	}
	override, err := e.preTokenGeneration(ctx, sc, u, source)
	if err != nil {
		return nil, err
	}
	now := e.now()
	ev := authEvent{originJTI: newOriginJTI(now), eventID: newUUID(), authTime: now}
	var device *newDeviceMetadata
	if ev.deviceKey, device, err = e.signInDevice(ctx, sc, st, u); err != nil {
		return nil, err
	}
	res, err := e.issueTokens(sc.pool, sc.client, u, ev, true, override)
	if err != nil {
		return nil, err
	}
	res.NewDeviceMetadata = device
	e.recordSignIn(ctx, sc.pool, u, "Pass", slices.Contains(passwordFlows, st.flow))
	return &authResponse{ChallengeParameters: map[string]string{}, AuthenticationResult: res}, nil
}

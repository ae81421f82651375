package emulator

import (
	"context"

	"github.com/cognito-wasm/cognito-wasm/emulator/lambda"
)

// CUSTOM_AUTH: the pool's DefineAuthChallenge trigger runs the sign-in,
// CreateAuthChallenge makes each CUSTOM_CHALLENGE and
// VerifyAuthChallengeResponse judges each ANSWER (emulator/lambda invokes
// them). With AuthParameters CHALLENGE_NAME=SRP_A the sign-in proves the
// password first: define sees [SRP_A] and asks for PASSWORD_VERIFIER,
// which srpChallenge serves; once that is answered define sees
// [SRP_A, PASSWORD_VERIFIER] and goes on (customAfterPassword).
//
// As in Cognito: a wrong answer goes to define with challengeResult false,
// and define decides (another challenge, or failAuthentication, which is
// "Incorrect username or password."); InitiateAuth's ClientMetadata is not
// passed to these triggers, RespondToAuthChallenge's is; once define
// issues tokens, a user with MFA still answers it (as Cognito answers a
// custom sign-in with SOFTWARE_TOKEN_MFA after the CUSTOM_CHALLENGE); an
// unknown user under PreventUserExistenceErrors runs the triggers with
// userNotFound and never gets tokens.

// maxCustomRounds bounds the challenges of one custom sign-in.
const maxCustomRounds = 16

// customState is CUSTOM_CHALLENGE's own session state. private holds the
// privateChallengeParameters, which only the verify trigger ever sees.
type customState struct {
	history      []lambda.ChallengeResult
	private      map[string]string
	metadata     string
	userNotFound bool
}

func init() {
	flows["CUSTOM_AUTH"] = flow{public: true, admin: true, allowed: allowsCustom, start: startCustomAuth}
	challenges["CUSTOM_CHALLENGE"] = challenge{required: []string{"USERNAME", "ANSWER"}, answer: answerCustomChallenge}
}

// allowsCustom: ALLOW_CUSTOM_AUTH, the legacy CUSTOM_AUTH_FLOW_ONLY, or a
// client created without ExplicitAuthFlows (whose default includes it).
func allowsCustom(c *clientRecord) bool {
	if len(c.ExplicitAuthFlows) == 0 {
		return true
	}
	for _, f := range c.ExplicitAuthFlows {
		if f == "ALLOW_CUSTOM_AUTH" || f == "CUSTOM_AUTH_FLOW_ONLY" {
			return true
		}
	}
	return false
}

func errCustomAuthNotConfigured() error {
	return errInvalidParam("Custom auth lambda trigger is not configured for the user pool.")
}

func startCustomAuth(e *Emulator, ctx context.Context, sc *signInContext, params map[string]string) (*authResponse, error) {
	if err := requireParams(params, "USERNAME"); err != nil {
		return nil, err
	}
	typed := params["USERNAME"]
	if err := checkSecretHash(sc.client, typed, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	lc := sc.pool.LambdaConfig
	if lc.DefineAuthChallenge == "" {
		return nil, errCustomAuthNotConfigured()
	}
	withSRP := params["CHALLENGE_NAME"] == "SRP_A"
	if withSRP {
		if err := requireParams(params, "SRP_A"); err != nil {
			return nil, err
		}
	} else if name := params["CHALLENGE_NAME"]; name != "" {
		return nil, errInvalidParam("Invalid CHALLENGE_NAME %s: only SRP_A may start a custom sign-in.", truncateRunes(name, 64))
	}
	u, err := e.findUser(sc.pool, typed)
	if err != nil {
		return nil, err
	}
	st := newAuthState(sc, "CUSTOM_AUTH")
	state := &customState{}
	if u == nil {
		if sc.client.PreventUserExistenceErrors != "ENABLED" {
			return nil, errUserNotFound()
		}
		st.username, state.userNotFound = typed, true
	} else {
		if err := e.checkUsable(sc.pool, u); err != nil {
			return nil, err
		}
		st.username, st.verifier = u.Username, u.Verifier
	}
	if withSRP {
		state.history = []lambda.ChallengeResult{{ChallengeName: "SRP_A", ChallengeResult: true}}
		return e.customNext(ctx, sc, st, u, state, params["SRP_A"])
	}
	return e.customNext(ctx, sc, st, u, state, "")
}

// customNext asks define what follows state.history and carries it out:
// tokens, a refusal, the SRP step, or a new CUSTOM_CHALLENGE from create.
// srpA is the client's SRP_A while a PASSWORD_VERIFIER may still be asked.
func (e *Emulator) customNext(ctx context.Context, sc *signInContext, st authState, u *userRecord, state *customState, srpA string) (*authResponse, error) {
	lc := sc.pool.LambdaConfig
	if lc.DefineAuthChallenge == "" {
		return nil, errCustomAuthNotConfigured()
	}
	if len(state.history) >= maxCustomRounds {
		return nil, errBadCredentials()
	}
	caller := triggerCaller(sc, st.username)
	attrs := triggerAttributes(u)
	def, err := e.lambda.DefineAuthChallenge(ctx, lc.DefineAuthChallenge, caller, lambda.DefineAuthChallengeRequest{
		UserAttributes: attrs, Session: state.history, ClientMetadata: respondMetadata(sc), UserNotFound: state.userNotFound,
	})
	if err != nil {
		return nil, triggerError(err)
	}
	switch {
	case def.FailAuthentication:
		return nil, errBadCredentials()
	case def.IssueTokens:
		if u == nil { // an unknown user under PreventUserExistenceErrors
			return nil, errBadCredentials()
		}
		// What the user still owes (new password, MFA) follows, as in Cognito.
		return e.firstFactorDone(ctx, sc, st, u)
	case def.ChallengeName == "PASSWORD_VERIFIER" && srpA != "":
		return e.srpChallenge(sc, st, st.username, srpA)
	case def.ChallengeName == "CUSTOM_CHALLENGE":
	default:
		return nil, errf("InvalidLambdaResponseException", "Unrecognizable lambda output")
	}
	if lc.CreateAuthChallenge == "" || lc.VerifyAuthChallengeResponse == "" {
		return nil, errCustomAuthNotConfigured()
	}
	made, err := e.lambda.CreateAuthChallenge(ctx, lc.CreateAuthChallenge, caller, lambda.CreateAuthChallengeRequest{
		UserAttributes: attrs, ChallengeName: "CUSTOM_CHALLENGE", Session: state.history,
		ClientMetadata: respondMetadata(sc), UserNotFound: state.userNotFound,
	})
	if err != nil {
		return nil, triggerError(err)
	}
	next := &customState{history: state.history, private: made.PrivateChallengeParameters,
		metadata: made.ChallengeMetadata, userNotFound: state.userNotFound}
	params := map[string]string{}
	for k, v := range made.PublicChallengeParameters {
		params[k] = v
	}
	params["USERNAME"] = st.username
	return e.challenge(sc, st, "CUSTOM_CHALLENGE", next, "", params), nil
}

// customAfterPassword continues a CUSTOM_AUTH sign-in whose SRP password
// step was just proven (called by the PASSWORD_VERIFIER answer).
func (e *Emulator) customAfterPassword(ctx context.Context, sc *signInContext, st authState, u *userRecord) (*authResponse, error) {
	e.lockout.succeed(lockKey(sc.pool.ID, u.Username))
	state := &customState{history: []lambda.ChallengeResult{
		{ChallengeName: "SRP_A", ChallengeResult: true},
		{ChallengeName: "PASSWORD_VERIFIER", ChallengeResult: true},
	}}
	return e.customNext(ctx, sc, st, u, state, "")
}

// answerCustomChallenge hands ANSWER to the verify trigger, records the
// result and asks define what follows.
func answerCustomChallenge(e *Emulator, ctx context.Context, a *answer) (*authResponse, error) {
	state, ok := a.session.state.(*customState)
	if !ok {
		return nil, errInvalidSession()
	}
	st := a.session.authState
	var u *userRecord
	if !state.userNotFound {
		var err error
		if u, err = e.activeSessionUser(a.pool, st); err != nil {
			return nil, err
		}
	}
	lc := a.pool.LambdaConfig
	if lc.VerifyAuthChallengeResponse == "" {
		return nil, errCustomAuthNotConfigured()
	}
	correct, err := e.lambda.VerifyAuthChallengeResponse(ctx, lc.VerifyAuthChallengeResponse, triggerCaller(a.signInContext, st.username),
		lambda.VerifyAuthChallengeRequest{
			UserAttributes: triggerAttributes(u), PrivateChallengeParameters: state.private,
			ChallengeAnswer: a.responses["ANSWER"], ClientMetadata: respondMetadata(a.signInContext), UserNotFound: state.userNotFound,
		})
	if err != nil {
		return nil, triggerError(err)
	}
	history := append(append([]lambda.ChallengeResult{}, state.history...),
		lambda.ChallengeResult{ChallengeName: "CUSTOM_CHALLENGE", ChallengeResult: correct && !state.userNotFound, ChallengeMetadata: state.metadata})
	return e.customNext(ctx, a.signInContext, st, u, &customState{history: history, userNotFound: state.userNotFound}, "")
}

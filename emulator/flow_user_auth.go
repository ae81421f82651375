package emulator

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
)

// USER_AUTH: choice-based sign-in. The first factor is one of the pool's
// Policies.SignInPolicy.AllowedFirstAuthFactors (PASSWORD when unset) that
// the user can use: PASSWORD (as PASSWORD or PASSWORD_SRP), EMAIL_OTP with
// a verified email, SMS_OTP with a verified phone number, WEB_AUTHN with
// a registered passkey (challenge_web_authn.go). AuthParameters PREFERRED_CHALLENGE picks one directly when
// it is available; otherwise the answer is SELECT_CHALLENGE with the
// AvailableChallenges, answered with ANSWER (and PASSWORD or SRP_A for the
// password choices). Codes go to the outbox. After a password, next walks
// new password and MFA as in any sign-in; a passwordless first factor
// (EMAIL_OTP, SMS_OTP) is not asked for MFA, as in Cognito.

// userAuthState is SELECT_CHALLENGE's own state: the choices offered.
type userAuthState struct {
	available    []string
	userNotFound bool
}

func init() {
	flows["USER_AUTH"] = flow{public: true, admin: true, allowed: allowsUserAuth, start: startUserAuth}
	challenges["SELECT_CHALLENGE"] = challenge{required: []string{"USERNAME", "ANSWER"}, answer: answerSelectChallenge}
	challenges["SMS_OTP"] = challenge{required: []string{"USERNAME", "SMS_OTP_CODE"}, answer: answerSentCode("SMS_OTP_CODE")}
}

func allowsUserAuth(c *clientRecord) bool {
	return slices.Contains(c.ExplicitAuthFlows, "ALLOW_USER_AUTH")
}

var firstFactorNames = []string{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"}

// availableFirstFactors lists what u may sign in with first, in the
// pool's order. An unknown user (nil, under PreventUserExistenceErrors)
// is offered all the pool allows (see unknownUserFactors).
func availableFirstFactors(p *poolRecord, u *userRecord) []string {
	allowed := []string{"PASSWORD"}
	if p.SignInPolicy != nil && len(p.SignInPolicy.AllowedFirstAuthFactors) > 0 {
		allowed = p.SignInPolicy.AllowedFirstAuthFactors
	}
	var out []string
	for _, f := range allowed {
		switch f {
		case "PASSWORD":
			if u == nil || !u.NoPassword {
				out = append(out, "PASSWORD", "PASSWORD_SRP")
			}
		case "EMAIL_OTP":
			if u == nil || u.attr("email") != "" && u.attr("email_verified") == "true" {
				out = append(out, "EMAIL_OTP")
			}
		case "SMS_OTP":
			if u == nil || u.attr("phone_number") != "" && u.attr("phone_number_verified") == "true" {
				out = append(out, "SMS_OTP")
			}
		case "WEB_AUTHN":
			if webAuthnRPID(p) != "" && (u == nil || len(u.WebAuthn) > 0) {
				out = append(out, "WEB_AUTHN")
			}
		}
	}
	return out
}

// unknownUserFactors is what USER_AUTH offers a name the pool does not
// know, under PreventUserExistenceErrors. Cognito documents that it answers
// with one challenge type picked at random from those the pool allows; the
// pick here is one of the pool's first factors (PASSWORD meaning PASSWORD
// and PASSWORD_SRP, as a real user's), drawn from the pool's secret and the
// name, so that asking again gives the same answer, as for a real user.
// A PREFERRED_CHALLENGE the pool allows is honoured before this is asked.
func unknownUserFactors(p *poolRecord, typed string) []string {
	all := availableFirstFactors(p, nil)
	var groups [][]string
	for _, f := range all {
		switch f {
		case "PASSWORD_SRP": // grouped with PASSWORD
		case "PASSWORD":
			groups = append(groups, []string{"PASSWORD", "PASSWORD_SRP"})
		default:
			groups = append(groups, []string{f})
		}
	}
	if len(groups) == 0 {
		return nil
	}
	mac := hmac.New(sha256.New, p.Secret)
	mac.Write([]byte("first factor\x00" + p.fold(typed)))
	return groups[binary.BigEndian.Uint32(mac.Sum(nil))%uint32(len(groups))]
}

func startUserAuth(e *Emulator, ctx context.Context, sc *signInContext, params map[string]string) (*authResponse, error) {
	if err := requireParams(params, "USERNAME"); err != nil {
		return nil, err
	}
	typed := params["USERNAME"]
	if err := checkSecretHash(sc.client, typed, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	preferred := params["PREFERRED_CHALLENGE"]
	if preferred != "" && !slices.Contains(firstFactorNames, preferred) {
		return nil, errInvalidParam("Invalid PREFERRED_CHALLENGE %s: expected one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN.", truncateRunes(preferred, 64))
	}
	u, err := e.findUser(sc.pool, typed)
	if err != nil {
		return nil, err
	}
	st := newAuthState(sc, "USER_AUTH")
	if u == nil {
		if sc.client.PreventUserExistenceErrors != "ENABLED" {
			return nil, errUserNotFound()
		}
		st.username = typed
	} else {
		if err := e.checkUsable(sc.pool, u); err != nil {
			return nil, err
		}
		st.username, st.verifier = u.Username, u.Verifier
	}
	if sc.signUpSession != "" {
		return e.signInWithSignUpSession(ctx, sc, st, u)
	}
	available := availableFirstFactors(sc.pool, u)
	if len(available) == 0 {
		return nil, errBadCredentials()
	}
	if slices.Contains(available, preferred) {
		return e.userAuthFirstFactor(ctx, sc, st, u, preferred, params)
	}
	if u == nil {
		// A preferred factor the pool allows was taken above, as for a
		// user who can use it; without one, one factor is offered.
		available = unknownUserFactors(sc.pool, typed)
	}
	out := e.challenge(sc, st, "SELECT_CHALLENGE", &userAuthState{available: available, userNotFound: u == nil}, "", nil)
	out.AvailableChallenges = available
	return out, nil
}

// answerSelectChallenge starts the first factor the user chose.
func answerSelectChallenge(e *Emulator, ctx context.Context, a *answer) (*authResponse, error) {
	state, ok := a.session.state.(*userAuthState)
	if !ok {
		return nil, errInvalidSession()
	}
	choice := a.responses["ANSWER"]
	if !slices.Contains(state.available, choice) {
		return nil, retry(errInvalidParam("%s is not one of the available challenges.", truncateRunes(choice, 64)))
	}
	st := a.session.authState
	var u *userRecord
	if !state.userNotFound {
		var err error
		if u, err = e.sessionUser(a.pool, st); err != nil {
			return nil, err
		}
		if u == nil {
			return nil, errBadCredentials()
		}
		// Disabled or locked out since the choice was offered: no code is
		// sent, no password tried.
		if err := e.checkUsable(a.pool, u); err != nil {
			return nil, err
		}
	}
	out, err := e.userAuthFirstFactor(ctx, a.signInContext, st, u, choice, a.responses)
	var missing *apiError
	if errors.As(err, &missing) && missing.Type == "InvalidParameterException" {
		return nil, retry(err) // the choice's own parameter was missing: answer again
	}
	return out, err
}

// userAuthFirstFactor proves or begins the chosen first factor; u is nil
// for an unknown user under PreventUserExistenceErrors, who never passes.
func (e *Emulator) userAuthFirstFactor(ctx context.Context, sc *signInContext, st authState, u *userRecord, choice string, params map[string]string) (*authResponse, error) {
	switch choice {
	case "PASSWORD":
		if err := requireParams(params, "PASSWORD"); err != nil {
			return nil, err
		}
		// st.username is the real username, or an unknown user's typed name:
		// passwordFirstFactor gives the unknown one the same work and answer.
		return e.passwordFirstFactor(ctx, sc, st, st.username, params["PASSWORD"])
	case "PASSWORD_SRP":
		if err := requireParams(params, "SRP_A"); err != nil {
			return nil, err
		}
		return e.srpChallenge(sc, st, st.username, params["SRP_A"])
	case "WEB_AUTHN":
		return e.webAuthnChallenge(sc, st, u), nil
	}
	// EMAIL_OTP or SMS_OTP: a code to the verified address or number.
	medium, attr, name := "EMAIL", "email", "EMAIL_OTP"
	if choice == "SMS_OTP" {
		medium, attr, name = "SMS", "phone_number", "SMS_OTP"
	}
	state := &codeState{code: newCode()}
	// An unknown user (PreventUserExistenceErrors) is sent nothing; the
	// destination shown is the typed name masked when it is an address or a
	// number, as a sign-in by email or phone would show.
	dest := st.username
	if u != nil {
		dest = u.attr(attr)
		state.destination = dest
		if err := e.sendAuthCode(ctx, sc, u, medium, dest, state.code); err != nil {
			return nil, err
		}
	}
	masked := maskEmail(dest)
	if medium == "SMS" {
		masked = "***"
		if strings.HasPrefix(dest, "+") {
			masked = maskPhone(dest)
		}
	}
	return e.challenge(sc, st, name, state, "", map[string]string{
		"CODE_DELIVERY_DELIVERY_MEDIUM": medium, "CODE_DELIVERY_DESTINATION": masked}), nil
}

// otpFirstFactorDone continues a USER_AUTH sign-in whose emailed or texted
// code was right: no MFA is asked after it.
func (e *Emulator) otpFirstFactorDone(ctx context.Context, sc *signInContext, st authState) (*authResponse, error) {
	u, err := e.sessionUser(sc.pool, st)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errBadCredentials()
	}
	st.done |= stepMFASetup | stepMFA
	return e.firstFactorDone(ctx, sc, st, u)
}

package emulator

import (
	"testing"
	"time"
)

// signUpSessionPool is a pool whose sign-up code goes to email, with a
// USER_AUTH client (sessions) and a client without it (none).
func signUpSessionPool(h *harness) (pool, userAuth, plain string) {
	h.t.Helper()
	pool, userAuth = h.accountPool(m{"AutoVerifiedAttributes": []string{"email"}},
		m{"ExplicitAuthFlows": []string{"ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	plain = h.admin("CreateUserPoolClient", m{"UserPoolId": pool, "ClientName": "plain",
		"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}).str("UserPoolClient", "ClientId")
	return pool, userAuth, plain
}

func (h *harness) signUpWithEmail(client, username string) response {
	h.t.Helper()
	r := h.call("SignUp", m{"ClientId": client, "Username": username, "Password": newPass,
		"UserAttributes": []m{{"Name": "email", "Value": username + "@example.com"}}}, false)
	if r.status != 200 {
		h.t.Fatalf("SignUp %s = %s", username, r.raw)
	}
	return r
}

func (h *harness) signUpCode(pool, username string) string {
	h.t.Helper()
	_, msgs := h.outbox(pool, username)
	if len(msgs) == 0 {
		h.t.Fatalf("no sign-up code for %s", username)
	}
	return msgs[len(msgs)-1].Code
}

func TestSignUpSessionSignsInAfterConfirmation(t *testing.T) {
	h := newHarness(t, nil)
	pool, client, _ := signUpSessionPool(h)
	up := h.signUpWithEmail(client, "sky")
	if up.str("Session") == "" {
		t.Fatalf("SignUp on a USER_AUTH client = %s; want a Session", up.raw)
	}
	// SignUp's Session is for ConfirmSignUp, not for signing in.
	wantErr(t, "USER_AUTH with SignUp's Session", h.call("InitiateAuth", m{"AuthFlow": "USER_AUTH", "ClientId": client,
		"AuthParameters": m{"USERNAME": "sky"}, "Session": up.str("Session")}, false),
		"NotAuthorizedException", "Invalid session for the user.")

	code := h.signUpCode(pool, "sky")
	wantErr(t, "ConfirmSignUp with another user's Session", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "sky",
		"ConfirmationCode": code, "Session": h.signUpWithEmail(client, "other").str("Session")}, false),
		"NotAuthorizedException", "Invalid session for the user.")
	wantErr(t, "ConfirmSignUp with a wrong code", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "sky",
		"ConfirmationCode": "000000", "Session": up.str("Session")}, false),
		"CodeMismatchException", "Invalid verification code provided, please try again.")
	conf := h.call("ConfirmSignUp", m{"ClientId": client, "Username": "sky", "ConfirmationCode": code,
		"Session": up.str("Session")}, false) // still usable after the wrong code
	wantOK(t, "ConfirmSignUp", conf)
	session := conf.str("Session")
	if session == "" || session == up.str("Session") {
		t.Fatalf("ConfirmSignUp = %s; want a new Session", conf.raw)
	}

	wantErr(t, "USER_AUTH with the Session for another name", h.call("InitiateAuth", m{"AuthFlow": "USER_AUTH", "ClientId": client,
		"AuthParameters": m{"USERNAME": "other"}, "Session": session}, false),
		"NotAuthorizedException", "Invalid session for the user.")
	r := h.call("InitiateAuth", m{"AuthFlow": "USER_AUTH", "ClientId": client,
		"AuthParameters": m{"USERNAME": "sky"}, "Session": session}, false)
	wantOK(t, "USER_AUTH with ConfirmSignUp's Session", r)
	if r.str("AuthenticationResult", "AccessToken") == "" || r.str("ChallengeName") != "" {
		t.Fatalf("USER_AUTH with the Session = %s; want tokens", r.raw)
	}
	if u := h.call("GetUser", m{"AccessToken": r.str("AuthenticationResult", "AccessToken")}, false); u.str("Username") != "sky" {
		t.Fatalf("GetUser with the new token = %s", u.raw)
	}
	wantErr(t, "the Session used twice", h.call("InitiateAuth", m{"AuthFlow": "USER_AUTH", "ClientId": client,
		"AuthParameters": m{"USERNAME": "sky"}, "Session": session}, false),
		"NotAuthorizedException", "Invalid session for the user.")
}

func TestSignUpSessionWithoutTheSignUpSessionAndLimits(t *testing.T) {
	h := newHarness(t, nil)
	pool, client, plain := signUpSessionPool(h)

	// A client without USER_AUTH gets no Session anywhere.
	if r := h.signUpWithEmail(plain, "pia"); r.str("Session") != "" {
		t.Fatalf("SignUp without ALLOW_USER_AUTH = %s; want no Session", r.raw)
	}
	r := h.call("ConfirmSignUp", m{"ClientId": plain, "Username": "pia", "ConfirmationCode": h.signUpCode(pool, "pia")}, false)
	if wantOK(t, "ConfirmSignUp", r); r.str("Session") != "" {
		t.Fatalf("ConfirmSignUp without ALLOW_USER_AUTH = %s; want no Session", r.raw)
	}

	// ConfirmSignUp without SignUp's Session still answers one (Amplify
	// does not send it back); it expires with the client's session validity.
	h.signUpWithEmail(client, "ray")
	r = h.call("ConfirmSignUp", m{"ClientId": client, "Username": "ray", "ConfirmationCode": h.signUpCode(pool, "ray")}, false)
	wantOK(t, "ConfirmSignUp", r)
	if r.str("Session") == "" {
		t.Fatalf("ConfirmSignUp = %s; want a Session", r.raw)
	}
	h.clock.Advance(3*time.Minute + time.Second)
	wantErr(t, "USER_AUTH with an expired Session", h.call("InitiateAuth", m{"AuthFlow": "USER_AUTH", "ClientId": client,
		"AuthParameters": m{"USERNAME": "ray"}, "Session": r.str("Session")}, false),
		"NotAuthorizedException", "Invalid session for the user.")

	// A disabled user is refused even with a good Session; so is a user
	// whose password changed since.
	h.signUpWithEmail(client, "kit")
	r = h.call("ConfirmSignUp", m{"ClientId": client, "Username": "kit", "ConfirmationCode": h.signUpCode(pool, "kit")}, false)
	h.admin("AdminDisableUser", m{"UserPoolId": pool, "Username": "kit"})
	wantErr(t, "USER_AUTH for a disabled user", h.call("InitiateAuth", m{"AuthFlow": "USER_AUTH", "ClientId": client,
		"AuthParameters": m{"USERNAME": "kit"}, "Session": r.str("Session")}, false),
		"NotAuthorizedException", "User is disabled.")
	h.admin("AdminEnableUser", m{"UserPoolId": pool, "Username": "kit"})
	h.admin("AdminSetUserPassword", m{"UserPoolId": pool, "Username": "kit", "Password": "An0ther-pass!", "Permanent": true})
	wantErr(t, "USER_AUTH after a password change", h.call("InitiateAuth", m{"AuthFlow": "USER_AUTH", "ClientId": client,
		"AuthParameters": m{"USERNAME": "kit"}, "Session": r.str("Session")}, false),
		"NotAuthorizedException", "Invalid session for the user.")
}

func TestSignUpSessionAutoConfirmedAndAdmin(t *testing.T) {
	h, fl := triggerHarness(t)
	h.setTriggers(lambdaConfigType{PreSignUp: lambdaARN + "pre-signup"})
	fl.set("pre-signup", func(map[string]any) (map[string]any, string) {
		return map[string]any{"autoConfirmUser": true}, ""
	})
	client := h.newClient(m{"ExplicitAuthFlows": []string{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	up := h.call("SignUp", m{"ClientId": client, "Username": "abe", "Password": newPass}, false)
	if wantOK(t, "SignUp", up); up.body["UserConfirmed"] != true || up.str("Session") == "" {
		t.Fatalf("auto-confirmed SignUp = %s; want UserConfirmed and a Session", up.raw)
	}
	// Confirmed already: SignUp's Session signs in, here through the admin call.
	r := h.admin("AdminInitiateAuth", m{"UserPoolId": demoPool, "AuthFlow": "USER_AUTH", "ClientId": client,
		"AuthParameters": m{"USERNAME": "abe"}, "Session": up.str("Session")})
	if wantOK(t, "AdminInitiateAuth", r); r.str("AuthenticationResult", "IdToken") == "" {
		t.Fatalf("AdminInitiateAuth with SignUp's Session = %s", r.raw)
	}
	// Any other Session string is refused, and not taken for a challenge answer.
	ch := h.call("InitiateAuth", m{"AuthFlow": "USER_AUTH", "ClientId": client, "AuthParameters": m{"USERNAME": "abe"}}, false)
	if ch.str("ChallengeName") != "SELECT_CHALLENGE" {
		t.Fatalf("USER_AUTH = %s", ch.raw)
	}
	wantErr(t, "USER_AUTH with a challenge Session", h.call("InitiateAuth", m{"AuthFlow": "USER_AUTH", "ClientId": client,
		"AuthParameters": m{"USERNAME": "abe"}, "Session": ch.str("Session")}, false),
		"NotAuthorizedException", "Invalid session for the user.")
	if r := h.respondTo(client, "SELECT_CHALLENGE", ch, m{"USERNAME": "abe", "ANSWER": "PASSWORD", "PASSWORD": newPass}); r.str("AuthenticationResult", "AccessToken") == "" {
		t.Fatalf("the challenge after a refused misuse of its Session = %s", r.raw)
	}
}

// TestPasswordlessSignUp: on a pool that allows EMAIL_OTP first and
// verifies email, SignUp without a password creates a user who signs in
// with the Session after confirming, is offered no PASSWORD factor, and can
// set a first password with ChangePassword without a previous one.
func TestPasswordlessSignUp(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(m{"AutoVerifiedAttributes": []string{"email"},
		"Policies": m{"SignInPolicy": m{"AllowedFirstAuthFactors": []string{"PASSWORD", "EMAIL_OTP"}}}},
		m{"ExplicitAuthFlows": []string{"ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	noPassword := "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null"
	wantErr(t, "passwordless without an email", h.call("SignUp", m{"ClientId": client, "Username": "nope"}, false),
		"InvalidParameterException", noPassword)
	plain := h.admin("CreateUserPoolClient", m{"UserPoolId": pool, "ClientName": "plain",
		"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}).str("UserPoolClient", "ClientId")
	wantErr(t, "passwordless on a client without USER_AUTH", h.call("SignUp", m{"ClientId": plain, "Username": "nope",
		"UserAttributes": []m{{"Name": "email", "Value": "nope@example.com"}}}, false), "InvalidParameterException", noPassword)

	up := h.call("SignUp", m{"ClientId": client, "Username": "pia", "UserAttributes": []m{{"Name": "email", "Value": "pia@example.com"}}}, false)
	wantOK(t, "passwordless SignUp", up)
	conf := h.call("ConfirmSignUp", m{"ClientId": client, "Username": "pia", "ConfirmationCode": h.signUpCode(pool, "pia"), "Session": up.str("Session")}, false)
	wantOK(t, "ConfirmSignUp", conf)
	r := h.call("InitiateAuth", m{"AuthFlow": "USER_AUTH", "ClientId": client, "AuthParameters": m{"USERNAME": "pia"}, "Session": conf.str("Session")}, false)
	h.wantTokens(r)

	sel := h.userAuth(client, m{"USERNAME": "pia"})
	if got := available(sel); len(got) != 1 || got[0] != "EMAIL_OTP" {
		t.Fatalf("USER_AUTH for a passwordless user offers %v; want only EMAIL_OTP", got)
	}
	wantErr(t, "a password sign-in", h.passwordAuth(client, map[string]string{"USERNAME": "pia", "PASSWORD": ""}),
		"InvalidParameterException", "Missing required parameter PASSWORD")
	access := r.str("AuthenticationResult", "AccessToken")
	wantOK(t, "ChangePassword without a previous one", h.call("ChangePassword", m{"AccessToken": access, "ProposedPassword": newPass}, false))
	h.wantTokens(h.passwordAuth(client, map[string]string{"USERNAME": "pia", "PASSWORD": newPass}))
	wantErr(t, "ChangePassword without the previous one, now that there is one", h.call("ChangePassword",
		m{"AccessToken": access, "ProposedPassword": "An0ther-pass!"}, false), "NotAuthorizedException", "Incorrect username or password.")
	if got := available(h.userAuth(client, m{"USERNAME": "pia"})); len(got) != 3 {
		t.Fatalf("USER_AUTH after a password was set offers %v; want PASSWORD, PASSWORD_SRP, EMAIL_OTP", got)
	}
}

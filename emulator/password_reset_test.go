package emulator

import (
	"testing"
	"time"
)

func (h *harness) accessFor(clientID, username, password string) (access string) {
	h.t.Helper()
	r := h.passwordAuth(clientID, map[string]string{"USERNAME": username, "PASSWORD": password})
	if r.str("AuthenticationResult", "AccessToken") == "" {
		h.t.Fatalf("sign-in %s = %d %s %q", username, r.status, r.errType(), r.message())
	}
	return r.str("AuthenticationResult", "AccessToken")
}

func TestForgotPassword(t *testing.T) {
	h := demoHarness(t)
	r := h.call("ForgotPassword", m{"ClientId": demoClient, "Username": demoUser}, false)
	wantOK(t, "ForgotPassword", r)
	if r.str("CodeDeliveryDetails", "DeliveryMedium") != "EMAIL" || r.str("CodeDeliveryDetails", "Destination") != "a***@e***" {
		t.Fatalf("ForgotPassword = %s", r.raw)
	}
	code := h.lastCode(demoPool, demoUser)
	wantErr(t, "weak password", h.call("ConfirmForgotPassword", m{"ClientId": demoClient, "Username": demoUser, "ConfirmationCode": code,
		"Password": "weakpassword"}, false), "InvalidPasswordException", "Password did not conform with policy: Password must have uppercase characters")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	wantErr(t, "wrong code", h.call("ConfirmForgotPassword", m{"ClientId": demoClient, "Username": demoUser, "ConfirmationCode": wrong,
		"Password": newPass}, false), "CodeMismatchException", "Invalid verification code provided, please try again.")
	wantOK(t, "ConfirmForgotPassword", h.call("ConfirmForgotPassword", m{"ClientId": demoClient, "Username": demoUser,
		"ConfirmationCode": code, "Password": newPass}, false))
	wantErr(t, "old password", h.passwordAuth(demoClient, map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass}),
		"NotAuthorizedException", "Incorrect username or password.")
	h.accessFor(demoClient, demoUser, newPass)
	wantErr(t, "the code again", h.call("ConfirmForgotPassword", m{"ClientId": demoClient, "Username": demoUser,
		"ConfirmationCode": code, "Password": demoPass}, false), "ExpiredCodeException", "Invalid code provided, please request a code again.")

	// bob's email is not verified: no code can reach him.
	wantErr(t, "ForgotPassword unverified", h.call("ForgotPassword", m{"ClientId": demoClient, "Username": "bob"}, false),
		"InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")
	wantErr(t, "ForgotPassword unknown", h.call("ForgotPassword", m{"ClientId": demoClient, "Username": "nobody"}, false),
		"UserNotFoundException", "Username/client id combination not found.")
	r = h.call("ForgotPassword", m{"ClientId": "hiddenusersclient00000001", "Username": "nobody"}, false)
	if r.str("CodeDeliveryDetails", "Destination") == "" {
		t.Fatalf("ForgotPassword for an unknown user with PreventUserExistenceErrors = %s", r.raw)
	}
	wantErr(t, "secret client without SecretHash", h.call("ForgotPassword", m{"ClientId": "secretclient0000000000001", "Username": demoUser}, false),
		"NotAuthorizedException", "Client secretclient0000000000001 is configured for secret but secret was not received")
}

func TestForgotPasswordCodeExpires(t *testing.T) {
	h := demoHarness(t)
	wantOK(t, "ForgotPassword", h.call("ForgotPassword", m{"ClientId": demoClient, "Username": demoUser}, false))
	h.clock.Advance(61 * time.Minute)
	wantErr(t, "expired", h.call("ConfirmForgotPassword", m{"ClientId": demoClient, "Username": demoUser,
		"ConfirmationCode": h.lastCode(demoPool, demoUser), "Password": newPass}, false),
		"ExpiredCodeException", "Invalid code provided, please request a code again.")
	h.accessFor(demoClient, demoUser, demoPass)
}

func TestAdminResetUserPassword(t *testing.T) {
	h := demoHarness(t)
	h.admin("AdminResetUserPassword", m{"UserPoolId": demoPool, "Username": demoUser})
	if st, _ := h.userStatus(demoPool, demoUser, "email"); st != "RESET_REQUIRED" {
		t.Fatalf("status = %s", st)
	}
	wantErr(t, "password sign-in", h.passwordAuth(demoClient, map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass}),
		"PasswordResetRequiredException", "Password reset required for the user")
	if r := h.srpSignIn(demoPool, demoClient, demoUser, demoPass); r.errType() != "PasswordResetRequiredException" {
		t.Fatalf("SRP sign-in = %s %q", r.errType(), r.message())
	}
	wantOK(t, "ConfirmForgotPassword", h.call("ConfirmForgotPassword", m{"ClientId": demoClient, "Username": demoUser,
		"ConfirmationCode": h.lastCode(demoPool, demoUser), "Password": newPass}, false))
	if st, _ := h.userStatus(demoPool, demoUser, "email"); st != "CONFIRMED" {
		t.Fatalf("status after the reset = %s", st)
	}
	h.accessFor(demoClient, demoUser, newPass)
	wantErr(t, "unverified", h.call("AdminResetUserPassword", m{"UserPoolId": demoPool, "Username": "bob"}, true),
		"InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")
}

func TestChangePassword(t *testing.T) {
	h := demoHarness(t)
	access := h.accessFor(demoClient, demoUser, demoPass)
	wantErr(t, "wrong previous", h.call("ChangePassword", m{"AccessToken": access, "PreviousPassword": "Wr0ng!pass", "ProposedPassword": newPass}, false),
		"NotAuthorizedException", "Incorrect username or password.")
	wantErr(t, "weak proposed", h.call("ChangePassword", m{"AccessToken": access, "PreviousPassword": demoPass, "ProposedPassword": "weak"}, false),
		"InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	wantErr(t, "bad token", h.call("ChangePassword", m{"AccessToken": "x.y.z", "PreviousPassword": demoPass, "ProposedPassword": newPass}, false),
		"NotAuthorizedException", "Invalid Access Token")
	wantOK(t, "ChangePassword", h.call("ChangePassword", m{"AccessToken": access, "PreviousPassword": demoPass, "ProposedPassword": newPass}, false))
	h.accessFor(demoClient, demoUser, newPass)
	wantErr(t, "old password", h.passwordAuth(demoClient, map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass}),
		"NotAuthorizedException", "Incorrect username or password.")
	// Wrong previous passwords count towards the lockout.
	var last response
	for range lockoutFree + 1 {
		last = h.call("ChangePassword", m{"AccessToken": access, "PreviousPassword": "Wr0ng!pass", "ProposedPassword": demoPass}, false)
	}
	wantErr(t, "after many wrong passwords", last, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
}

func TestAdminDisableUser(t *testing.T) {
	h := demoHarness(t)
	access := h.accessFor(demoClient, demoUser, demoPass)
	h.admin("AdminDisableUser", m{"UserPoolId": demoPool, "Username": demoUser})
	if r := h.admin("AdminGetUser", m{"UserPoolId": demoPool, "Username": demoUser}); r.body["Enabled"] != false {
		t.Fatalf("Enabled after AdminDisableUser = %v", r.body["Enabled"])
	}
	wantErr(t, "password sign-in", h.passwordAuth(demoClient, map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass}),
		"NotAuthorizedException", "User is disabled.")
	if r := h.srpSignIn(demoPool, demoClient, demoUser, demoPass); r.message() != "User is disabled." {
		t.Fatalf("SRP sign-in = %s %q", r.errType(), r.message())
	}
	wantErr(t, "ForgotPassword", h.call("ForgotPassword", m{"ClientId": demoClient, "Username": demoUser}, false),
		"NotAuthorizedException", "User is disabled.")
	h.admin("AdminEnableUser", m{"UserPoolId": demoPool, "Username": demoUser})
	// The tokens from before stay revoked; a new sign-in works.
	if r := h.call("GetUser", m{"AccessToken": access}, false); r.errType() != "NotAuthorizedException" {
		t.Fatalf("GetUser with a token from before the disable = %d %s", r.status, r.errType())
	}
	h.clock.Advance(time.Second) // the test clock stands still: a sign-in after the disable
	wantOK(t, "GetUser", h.call("GetUser", m{"AccessToken": h.accessFor(demoClient, demoUser, demoPass)}, false))
	wantErr(t, "unknown user", h.call("AdminEnableUser", m{"UserPoolId": demoPool, "Username": "nobody"}, true),
		"UserNotFoundException", "User does not exist.")
}

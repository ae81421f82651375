package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// accountPool creates a pool through the API with pool (CreateUserPool
// members besides PoolName) and one public client with USER_PASSWORD_AUTH
// and the client members in client; it returns their ids.
func (h *harness) accountPool(pool, client m) (poolID, clientID string) {
	h.t.Helper()
	body := m{"PoolName": "accounts"}
	for k, v := range pool {
		body[k] = v
	}
	poolID = h.admin("CreateUserPool", body).str("UserPool", "Id")
	cb := m{"UserPoolId": poolID, "ClientName": "web",
		"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}
	for k, v := range client {
		cb[k] = v
	}
	clientID = h.admin("CreateUserPoolClient", cb).str("UserPoolClient", "ClientId")
	return poolID, clientID
}

// wantErr fails unless r is the error typ with message msg.
func wantErr(t *testing.T, what string, r response, typ, msg string) {
	t.Helper()
	if r.status != http.StatusBadRequest || r.errType() != typ || r.message() != msg {
		t.Fatalf("%s = %d %s %q; want %s %q", what, r.status, r.errType(), r.message(), typ, msg)
	}
}

func wantOK(t *testing.T, what string, r response) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("%s = %d %s %q; want 200", what, r.status, r.errType(), r.message())
	}
}

// userStatus reads a user's UserStatus and one attribute through AdminGetUser.
func (h *harness) userStatus(poolID, username, attr string) (status, value string) {
	h.t.Helper()
	r := h.admin("AdminGetUser", m{"UserPoolId": poolID, "Username": username})
	for _, a := range r.body["UserAttributes"].([]any) {
		if a := a.(map[string]any); a["Name"] == attr {
			value = a["Value"].(string)
		}
	}
	return r.str("UserStatus"), value
}

const newPass = "N3w-Passw0rd!"

func TestSignUpConfirmAndSignIn(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(m{"AutoVerifiedAttributes": []string{"email"}, "AliasAttributes": []string{"email"}}, nil)
	r := h.call("SignUp", m{"ClientId": client, "Username": "dana", "Password": newPass,
		"UserAttributes": []m{{"Name": "email", "Value": "dana@example.com"}}}, false)
	wantOK(t, "SignUp", r)
	if r.body["UserConfirmed"] != false || r.str("UserSub") == "" ||
		r.str("CodeDeliveryDetails", "DeliveryMedium") != "EMAIL" || r.str("CodeDeliveryDetails", "AttributeName") != "email" ||
		r.str("CodeDeliveryDetails", "Destination") != "d***@e***" {
		t.Fatalf("SignUp = %s", r.raw)
	}
	if st, _ := h.userStatus(pool, "dana", "email"); st != "UNCONFIRMED" {
		t.Fatalf("status after SignUp = %s", st)
	}
	wantErr(t, "sign-in before confirming", h.passwordAuth(client, map[string]string{"USERNAME": "dana", "PASSWORD": newPass}),
		"UserNotConfirmedException", "User is not confirmed.")
	wantErr(t, "SignUp again", h.call("SignUp", m{"ClientId": client, "Username": "dana", "Password": newPass}, false),
		"UsernameExistsException", "User already exists")

	_, msgs := h.outbox(pool, "dana")
	if len(msgs) != 1 || msgs[0].Medium != "EMAIL" || msgs[0].Destination != "dana@example.com" || len(msgs[0].Code) != 6 {
		t.Fatalf("outbox = %+v", msgs)
	}
	code := msgs[0].Code
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	wantErr(t, "ConfirmSignUp wrong code", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "dana", "ConfirmationCode": wrong}, false),
		"CodeMismatchException", "Invalid verification code provided, please try again.")
	wantOK(t, "ConfirmSignUp", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "dana", "ConfirmationCode": code}, false))
	if st, v := h.userStatus(pool, "dana", "email_verified"); st != "CONFIRMED" || v != "true" {
		t.Fatalf("after ConfirmSignUp: %s, email_verified %q", st, v)
	}
	wantErr(t, "ConfirmSignUp twice", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "dana", "ConfirmationCode": code}, false),
		"NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	// Verified, the email is an alias to sign in with.
	wantOK(t, "sign-in by email", h.passwordAuth(client, map[string]string{"USERNAME": "dana@example.com", "PASSWORD": newPass}))
	wantErr(t, "ResendConfirmationCode when confirmed", h.call("ResendConfirmationCode", m{"ClientId": client, "Username": "dana"}, false),
		"InvalidParameterException", "User is already confirmed.")
}

func TestSignUpChecks(t *testing.T) {
	h := newHarness(t, nil)
	_, client := h.accountPool(m{"Policies": m{"PasswordPolicy": m{"MinimumLength": 10, "RequireNumbers": true}},
		"Schema": []m{{"Name": "email", "AttributeDataType": "String", "Required": true, "Mutable": true}}}, nil)
	wantErr(t, "weak password", h.call("SignUp", m{"ClientId": client, "Username": "eve", "Password": "short1"}, false),
		"InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	wantErr(t, "missing required email", h.call("SignUp", m{"ClientId": client, "Username": "eve", "Password": "longenough1"}, false),
		"InvalidParameterException", "Attributes did not conform to the schema: email: The attribute is required")
	wantErr(t, "unknown client", h.call("SignUp", m{"ClientId": "nosuchclient", "Username": "eve", "Password": "longenough1"}, false),
		"ResourceNotFoundException", "User pool client nosuchclient does not exist.")
	r := h.call("SignUp", m{"ClientId": client, "Password": "longenough1"}, false)
	if r.errType() != "InvalidParameterException" || !strings.Contains(r.message(), "'username'") {
		t.Fatalf("no username: %s %q", r.errType(), r.message())
	}
	// No auto-verified attribute: no code is sent and the user waits for an administrator.
	r = h.call("SignUp", m{"ClientId": client, "Username": "eve", "Password": "longenough1",
		"UserAttributes": []m{{"Name": "email", "Value": "eve@example.com"}}}, false)
	wantOK(t, "SignUp", r)
	if _, sent := r.body["CodeDeliveryDetails"]; sent {
		t.Fatalf("SignUp without auto-verification sent a code: %s", r.raw)
	}
	wantErr(t, "ResendConfirmationCode", h.call("ResendConfirmationCode", m{"ClientId": client, "Username": "eve"}, false),
		"InvalidParameterException", "Cannot resend codes. Auto verification not turned on.")
	wantErr(t, "ConfirmSignUp unknown user", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "nobody", "ConfirmationCode": "123456"}, false),
		"UserNotFoundException", "Username/client id combination not found.")
}

func TestSignUpSecretHashAndPhone(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(m{"AutoVerifiedAttributes": []string{"email", "phone_number"}}, m{"GenerateSecret": true})
	secret := h.admin("DescribeUserPoolClient", m{"UserPoolId": pool, "ClientId": client}).str("UserPoolClient", "ClientSecret")
	attrs := []m{{"Name": "email", "Value": "fay@example.com"}, {"Name": "phone_number", "Value": "+15555550142"}}
	wantErr(t, "no SecretHash", h.call("SignUp", m{"ClientId": client, "Username": "fay", "Password": newPass, "UserAttributes": attrs}, false),
		"NotAuthorizedException", "Client "+client+" is configured for secret but secret was not received")
	wantErr(t, "wrong SecretHash", h.call("SignUp", m{"ClientId": client, "Username": "fay", "Password": newPass, "UserAttributes": attrs,
		"SecretHash": srpSecretHash("fay", client, "x"+secret)}, false),
		"NotAuthorizedException", "Unable to verify secret hash for client "+client)
	r := h.call("SignUp", m{"ClientId": client, "Username": "fay", "Password": newPass, "UserAttributes": attrs,
		"SecretHash": srpSecretHash("fay", client, secret)}, false)
	wantOK(t, "SignUp", r)
	// Both auto-verified: the code goes by SMS, as Cognito sends it.
	if r.str("CodeDeliveryDetails", "DeliveryMedium") != "SMS" || r.str("CodeDeliveryDetails", "Destination") != "+*******0142" {
		t.Fatalf("SignUp = %s", r.raw)
	}
	first := h.lastCode(pool, "fay")
	r = h.call("ResendConfirmationCode", m{"ClientId": client, "Username": "fay", "SecretHash": srpSecretHash("fay", client, secret)}, false)
	wantOK(t, "ResendConfirmationCode", r)
	second := h.lastCode(pool, "fay")
	if first != second {
		// The first code was replaced by the second.
		wantErr(t, "the replaced code", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "fay", "ConfirmationCode": first,
			"SecretHash": srpSecretHash("fay", client, secret)}, false), "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	h.clock.Advance(25 * time.Hour)
	wantErr(t, "expired code", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "fay", "ConfirmationCode": second,
		"SecretHash": srpSecretHash("fay", client, secret)}, false), "ExpiredCodeException", "Invalid code provided, please request a code again.")
	h.call("ResendConfirmationCode", m{"ClientId": client, "Username": "fay", "SecretHash": srpSecretHash("fay", client, secret)}, false)
	wantOK(t, "ConfirmSignUp", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "fay", "ConfirmationCode": h.lastCode(pool, "fay"),
		"SecretHash": srpSecretHash("fay", client, secret)}, false))
	if st, v := h.userStatus(pool, "fay", "phone_number_verified"); st != "CONFIRMED" || v != "true" {
		t.Fatalf("after ConfirmSignUp: %s, phone_number_verified %q", st, v)
	}
	if _, v := h.userStatus(pool, "fay", "email_verified"); v == "true" {
		t.Fatal("email verified by the SMS code")
	}
}

func TestConfirmSignUpWrongCodesAreBounded(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(m{"AutoVerifiedAttributes": []string{"email"}}, nil)
	wantOK(t, "SignUp", h.call("SignUp", m{"ClientId": client, "Username": "gus", "Password": newPass,
		"UserAttributes": []m{{"Name": "email", "Value": "gus@example.com"}}}, false))
	code := h.lastCode(pool, "gus")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	var types []string
	for range maxCodeAttempts + 1 {
		types = append(types, h.call("ConfirmSignUp", m{"ClientId": client, "Username": "gus", "ConfirmationCode": wrong}, false).errType())
	}
	if types[0] != "CodeMismatchException" || types[len(types)-1] != "LimitExceededException" {
		t.Fatalf("wrong codes answered %v", types)
	}
	// Once the lockout has passed, the code that was guessed at is gone.
	h.clock.Advance(time.Hour)
	wantErr(t, "the right code after too many wrong ones", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "gus", "ConfirmationCode": code}, false),
		"ExpiredCodeException", "Invalid code provided, please request a code again.")
	wantOK(t, "ResendConfirmationCode", h.call("ResendConfirmationCode", m{"ClientId": client, "Username": "gus"}, false))
	wantOK(t, "ConfirmSignUp", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "gus", "ConfirmationCode": h.lastCode(pool, "gus")}, false))
}

func TestConfirmSignUpAliasTaken(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(m{"AutoVerifiedAttributes": []string{"email"}, "AliasAttributes": []string{"email"}}, nil)
	for _, name := range []string{"hal", "ivy"} {
		wantOK(t, "SignUp "+name, h.call("SignUp", m{"ClientId": client, "Username": name, "Password": newPass,
			"UserAttributes": []m{{"Name": "email", "Value": "shared@example.com"}}}, false))
	}
	wantOK(t, "ConfirmSignUp hal", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "hal", "ConfirmationCode": h.lastCode(pool, "hal")}, false))
	ivyCode := h.lastCode(pool, "ivy")
	wantErr(t, "ConfirmSignUp ivy", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "ivy", "ConfirmationCode": ivyCode}, false),
		"AliasExistsException", "An account with the given email already exists.")
	if st, _ := h.userStatus(pool, "ivy", "email"); st != "UNCONFIRMED" {
		t.Fatalf("ivy after AliasExistsException: %s", st)
	}
	wantOK(t, "ConfirmSignUp ivy forced", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "ivy", "ConfirmationCode": ivyCode,
		"ForceAliasCreation": true}, false))
	if _, v := h.userStatus(pool, "hal", "email_verified"); v != "false" {
		t.Fatalf("hal's email_verified after the alias moved = %q", v)
	}
	r := h.passwordAuth(client, map[string]string{"USERNAME": "shared@example.com", "PASSWORD": newPass})
	wantOK(t, "sign-in by the moved alias", r)
	if got := h.verifyJWT(pool, r.str("AuthenticationResult", "IdToken"))["cognito:username"]; got != "ivy" {
		t.Fatalf("the alias signs in %v; want ivy", got)
	}
}

func TestAdminConfirmSignUp(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(nil, nil)
	wantOK(t, "SignUp", h.call("SignUp", m{"ClientId": client, "Username": "jo", "Password": newPass}, false))
	if r := h.call("AdminConfirmSignUp", m{"UserPoolId": pool, "Username": "jo"}, false); r.status == http.StatusOK {
		t.Fatal("AdminConfirmSignUp answered without a signature")
	}
	h.admin("AdminConfirmSignUp", m{"UserPoolId": pool, "Username": "jo"})
	wantOK(t, "sign-in", h.passwordAuth(client, map[string]string{"USERNAME": "jo", "PASSWORD": newPass}))
	wantErr(t, "AdminConfirmSignUp twice", h.call("AdminConfirmSignUp", m{"UserPoolId": pool, "Username": "jo"}, true),
		"NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	wantErr(t, "AdminConfirmSignUp unknown", h.call("AdminConfirmSignUp", m{"UserPoolId": pool, "Username": "nobody"}, true),
		"UserNotFoundException", "User does not exist.")
}

func TestAccountOperationsHideUsers(t *testing.T) {
	h := newHarness(t, nil)
	_, client := h.accountPool(m{"AutoVerifiedAttributes": []string{"email"}}, m{"PreventUserExistenceErrors": "ENABLED"})
	r := h.call("ResendConfirmationCode", m{"ClientId": client, "Username": "ghost"}, false)
	wantOK(t, "ResendConfirmationCode unknown", r)
	again := h.call("ResendConfirmationCode", m{"ClientId": client, "Username": "ghost"}, false)
	if r.str("CodeDeliveryDetails", "Destination") == "" || r.str("CodeDeliveryDetails", "Destination") != again.str("CodeDeliveryDetails", "Destination") {
		t.Fatalf("simulated deliveries %s, %s", r.raw, again.raw)
	}
	wantErr(t, "ConfirmSignUp unknown", h.call("ConfirmSignUp", m{"ClientId": client, "Username": "ghost", "ConfirmationCode": "123456"}, false),
		"CodeMismatchException", "Invalid verification code provided, please try again.")
}

// TestWrongAccountCodesDoNotLockSignIn: guessing at a reset code is slowed
// down by its own lockout, but the user can still sign in with the password.
func TestWrongAccountCodesDoNotLockSignIn(t *testing.T) {
	h := demoHarness(t)
	wantOK(t, "ForgotPassword", h.call("ForgotPassword", m{"ClientId": demoClient, "Username": demoUser}, false))
	code := h.lastCode(demoPool, demoUser)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	var last response
	for range lockoutFree + 1 {
		last = h.call("ConfirmForgotPassword", m{"ClientId": demoClient, "Username": demoUser, "ConfirmationCode": wrong, "Password": newPass}, false)
	}
	wantErr(t, "after many wrong reset codes", last, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	h.wantTokens(h.passwordAuth(demoClient, map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass}))
}

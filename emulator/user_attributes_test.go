package emulator

import (
	"testing"
)

// confirmedUser signs a user up in pool and confirms them by administrator.
func (h *harness) confirmedUser(pool, client, name string, attrs []m) string {
	h.t.Helper()
	r := h.call("SignUp", m{"ClientId": client, "Username": name, "Password": newPass, "UserAttributes": attrs}, false)
	if r.status != 200 {
		h.t.Fatalf("SignUp %s = %s %q", name, r.errType(), r.message())
	}
	h.admin("AdminConfirmSignUp", m{"UserPoolId": pool, "Username": name})
	return h.accessFor(client, name, newPass)
}

func TestUpdateUserAttributesVerifiesNewEmail(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(m{"AutoVerifiedAttributes": []string{"email"}, "AliasAttributes": []string{"email"}}, nil)
	access := h.confirmedUser(pool, client, "kim", nil)
	r := h.call("UpdateUserAttributes", m{"AccessToken": access, "UserAttributes": []m{
		{"Name": "email", "Value": "kim@example.com"}, {"Name": "given_name", "Value": "Kim"}}}, false)
	wantOK(t, "UpdateUserAttributes", r)
	list, _ := r.body["CodeDeliveryDetailsList"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["AttributeName"] != "email" || list[0].(map[string]any)["Destination"] != "k***@e***" {
		t.Fatalf("UpdateUserAttributes = %s", r.raw)
	}
	if _, v := h.userStatus(pool, "kim", "email_verified"); v != "false" {
		t.Fatalf("email_verified before verifying = %q", v)
	}
	if _, v := h.userStatus(pool, "kim", "given_name"); v != "Kim" {
		t.Fatalf("given_name = %q", v)
	}
	wantErr(t, "sign-in by unverified email", h.passwordAuth(client, map[string]string{"USERNAME": "kim@example.com", "PASSWORD": newPass}),
		"UserNotFoundException", "User does not exist.")
	code := h.lastCode(pool, "kim")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	wantErr(t, "wrong code", h.call("VerifyUserAttribute", m{"AccessToken": access, "AttributeName": "email", "Code": wrong}, false),
		"CodeMismatchException", "Invalid verification code provided, please try again.")
	wantOK(t, "VerifyUserAttribute", h.call("VerifyUserAttribute", m{"AccessToken": access, "AttributeName": "email", "Code": code}, false))
	if _, v := h.userStatus(pool, "kim", "email_verified"); v != "true" {
		t.Fatalf("email_verified after verifying = %q", v)
	}
	h.accessFor(client, "kim@example.com", newPass)
	wantErr(t, "writing email_verified", h.call("UpdateUserAttributes", m{"AccessToken": access, "UserAttributes": []m{
		{"Name": "email_verified", "Value": "true"}}}, false), "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	wantErr(t, "sub", h.call("UpdateUserAttributes", m{"AccessToken": access, "UserAttributes": []m{{"Name": "sub", "Value": "x"}}}, false),
		"InvalidParameterException", "Cannot modify the non-mutable attribute sub")

	// Another user verifying the same address: AliasExistsException.
	other := h.confirmedUser(pool, client, "lee", nil)
	wantOK(t, "lee's update", h.call("UpdateUserAttributes", m{"AccessToken": other, "UserAttributes": []m{{"Name": "email", "Value": "kim@example.com"}}}, false))
	wantErr(t, "lee verifies kim's address", h.call("VerifyUserAttribute", m{"AccessToken": other, "AttributeName": "email", "Code": h.lastCode(pool, "lee")}, false),
		"AliasExistsException", "An account with the given email already exists.")

	// GetUserAttributeVerificationCode sends a fresh code that verifies.
	wantOK(t, "update again", h.call("UpdateUserAttributes", m{"AccessToken": access, "UserAttributes": []m{{"Name": "email", "Value": "kim2@example.com"}}}, false))
	r = h.call("GetUserAttributeVerificationCode", m{"AccessToken": access, "AttributeName": "email"}, false)
	if r.str("CodeDeliveryDetails", "Destination") != "k***@e***" {
		t.Fatalf("GetUserAttributeVerificationCode = %s", r.raw)
	}
	wantOK(t, "verify", h.call("VerifyUserAttribute", m{"AccessToken": access, "AttributeName": "email", "Code": h.lastCode(pool, "kim")}, false))
	if _, v := h.userStatus(pool, "kim", "email"); v != "kim2@example.com" {
		t.Fatalf("email = %q", v)
	}
	wantErr(t, "unknown attribute", h.call("GetUserAttributeVerificationCode", m{"AccessToken": access, "AttributeName": "given_name"}, false),
		"InvalidParameterException", "Invalid attribute name: given_name")
}

func TestUpdateUserAttributesKeepsOriginalUntilVerified(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(m{"AutoVerifiedAttributes": []string{"email"}, "AliasAttributes": []string{"email"},
		"UserAttributeUpdateSettings": m{"AttributesRequireVerificationBeforeUpdate": []string{"email"}}}, nil)
	if r := h.admin("DescribeUserPool", m{"UserPoolId": pool}); r.body["UserPool"].(map[string]any)["UserAttributeUpdateSettings"] == nil {
		t.Fatalf("DescribeUserPool has no UserAttributeUpdateSettings: %s", r.raw)
	}
	access := h.confirmedUser(pool, client, "max", []m{{"Name": "email", "Value": "max@example.com"}})
	h.admin("AdminUpdateUserAttributes", m{"UserPoolId": pool, "Username": "max", "UserAttributes": []m{{"Name": "email_verified", "Value": "true"}}})
	wantOK(t, "UpdateUserAttributes", h.call("UpdateUserAttributes", m{"AccessToken": access, "UserAttributes": []m{
		{"Name": "email", "Value": "max.new@example.com"}}}, false))
	if _, v := h.userStatus(pool, "max", "email"); v != "max@example.com" {
		t.Fatalf("email while the new one waits = %q", v)
	}
	if _, v := h.userStatus(pool, "max", "email_verified"); v != "true" {
		t.Fatalf("email_verified while the new one waits = %q", v)
	}
	h.accessFor(client, "max@example.com", newPass) // the original still signs in
	_, msgs := h.outbox(pool, "max")
	if last := msgs[len(msgs)-1]; last.Destination != "max.new@example.com" {
		t.Fatalf("the code went to %s", last.Destination)
	}
	wantOK(t, "VerifyUserAttribute", h.call("VerifyUserAttribute", m{"AccessToken": access, "AttributeName": "email", "Code": msgs[len(msgs)-1].Code}, false))
	if _, v := h.userStatus(pool, "max", "email"); v != "max.new@example.com" {
		t.Fatalf("email after verifying = %q", v)
	}
	h.accessFor(client, "max.new@example.com", newPass)
	wantErr(t, "the old address", h.passwordAuth(client, map[string]string{"USERNAME": "max@example.com", "PASSWORD": newPass}),
		"UserNotFoundException", "User does not exist.")
}

func TestDeleteUserAttributesAndDeleteUser(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(m{"Schema": []m{{"Name": "email", "AttributeDataType": "String", "Required": true, "Mutable": true}}}, nil)
	access := h.confirmedUser(pool, client, "ned", []m{{"Name": "email", "Value": "ned@example.com"}, {"Name": "nickname", "Value": "N"}})
	wantErr(t, "required", h.call("DeleteUserAttributes", m{"AccessToken": access, "UserAttributeNames": []string{"email"}}, false),
		"InvalidParameterException", "Attributes did not conform to the schema: email: The attribute is required")
	wantOK(t, "DeleteUserAttributes", h.call("DeleteUserAttributes", m{"AccessToken": access, "UserAttributeNames": []string{"nickname"}}, false))
	if _, v := h.userStatus(pool, "ned", "nickname"); v != "" {
		t.Fatalf("nickname after delete = %q", v)
	}
	h.admin("AdminUpdateUserAttributes", m{"UserPoolId": pool, "Username": "ned", "UserAttributes": []m{{"Name": "locale", "Value": "fr"}}})
	if _, v := h.userStatus(pool, "ned", "locale"); v != "fr" {
		t.Fatalf("locale = %q", v)
	}
	h.admin("AdminDeleteUserAttributes", m{"UserPoolId": pool, "Username": "ned", "UserAttributeNames": []string{"locale"}})
	if _, v := h.userStatus(pool, "ned", "locale"); v != "" {
		t.Fatalf("locale after AdminDeleteUserAttributes = %q", v)
	}
	wantErr(t, "AdminUpdateUserAttributes required emptied", h.call("AdminUpdateUserAttributes", m{"UserPoolId": pool, "Username": "ned",
		"UserAttributes": []m{{"Name": "email", "Value": ""}}}, true), "InvalidParameterException", "Attributes did not conform to the schema: email: The attribute is required")

	wantOK(t, "DeleteUser", h.call("DeleteUser", m{"AccessToken": access}, false))
	wantErr(t, "AdminGetUser after DeleteUser", h.call("AdminGetUser", m{"UserPoolId": pool, "Username": "ned"}, true),
		"UserNotFoundException", "User does not exist.")
	if r := h.call("GetUser", m{"AccessToken": access}, false); r.status == 200 {
		t.Fatal("GetUser answered for a deleted user")
	}
	// A new user of the same name is not reached by the old token.
	h.confirmedUser(pool, client, "ned", []m{{"Name": "email", "Value": "ned@example.com"}})
	if r := h.call("GetUser", m{"AccessToken": access}, false); r.status == 200 {
		t.Fatal("the deleted user's token reaches the new user of the same name")
	}
}

func TestAdminUpdateUserAttributesEmailChange(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(m{"AutoVerifiedAttributes": []string{"email"}}, nil)
	h.confirmedUser(pool, client, "ora", nil)
	h.admin("AdminUpdateUserAttributes", m{"UserPoolId": pool, "Username": "ora", "UserAttributes": []m{{"Name": "email", "Value": "ora@example.com"}}})
	if _, v := h.userStatus(pool, "ora", "email_verified"); v != "false" {
		t.Fatalf("email_verified = %q", v)
	}
	if _, msgs := h.outbox(pool, "ora"); len(msgs) != 1 || msgs[0].Destination != "ora@example.com" {
		t.Fatalf("outbox = %+v", msgs)
	}
	h.admin("AdminUpdateUserAttributes", m{"UserPoolId": pool, "Username": "ora", "UserAttributes": []m{
		{"Name": "email", "Value": "ora2@example.com"}, {"Name": "email_verified", "Value": "true"}}})
	if _, v := h.userStatus(pool, "ora", "email_verified"); v != "true" {
		t.Fatalf("email_verified set by the administrator = %q", v)
	}
	if _, msgs := h.outbox(pool, "ora"); len(msgs) != 1 {
		t.Fatalf("a code was sent for an address the administrator verified: %+v", msgs)
	}
}

package emulator

import "testing"

// A custom attribute the pool's schema does not have is refused by every
// operation that writes attributes, with Cognito's InvalidParameterException,
// and nothing is written; one the schema has is accepted.
func TestCustomAttributeNotInSchema(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(m{"Schema": []m{{"Name": "team", "AttributeDataType": "String", "Mutable": true}}}, nil)
	const want = "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema."
	unknown := []m{{"Name": "given_name", "Value": "Kim"}, {"Name": "custom:nope", "Value": "x"}}

	wantErr(t, "SignUp", h.call("SignUp", m{"ClientId": client, "Username": "kim", "Password": newPass, "UserAttributes": unknown}, false),
		"InvalidParameterException", want)
	wantErr(t, "AdminCreateUser", h.call("AdminCreateUser", m{"UserPoolId": pool, "Username": "lee", "MessageAction": "SUPPRESS", "UserAttributes": unknown}, true),
		"InvalidParameterException", want)
	for _, name := range []string{"kim", "lee"} {
		if got := h.call("AdminGetUser", m{"UserPoolId": pool, "Username": name}, true); got.errType() != "UserNotFoundException" {
			t.Fatalf("AdminGetUser(%s) after a refused creation = %s; want UserNotFoundException", name, got.raw)
		}
	}

	access := h.confirmedUser(pool, client, "kim", []m{{"Name": "custom:team", "Value": "blue"}})
	wantErr(t, "UpdateUserAttributes", h.call("UpdateUserAttributes", m{"AccessToken": access, "UserAttributes": unknown}, false),
		"InvalidParameterException", want)
	wantErr(t, "AdminUpdateUserAttributes", h.call("AdminUpdateUserAttributes", m{"UserPoolId": pool, "Username": "kim", "UserAttributes": unknown}, true),
		"InvalidParameterException", want)
	for attr, v := range map[string]string{"given_name": "", "custom:nope": "", "custom:team": "blue"} {
		if _, got := h.userStatus(pool, "kim", attr); got != v {
			t.Errorf("%s after the refused updates = %q; want %q", attr, got, v)
		}
	}
	wantOK(t, "UpdateUserAttributes of custom:team", h.call("UpdateUserAttributes", m{"AccessToken": access, "UserAttributes": []m{{"Name": "custom:team", "Value": "red"}}}, false))
	if _, got := h.userStatus(pool, "kim", "custom:team"); got != "red" {
		t.Errorf("custom:team = %q; want red", got)
	}
}

package emulator

import (
	"testing"
)

func TestAddCustomAttributes(t *testing.T) {
	h := demoHarness(t)
	h.admin("AddCustomAttributes", m{"UserPoolId": demoPool, "CustomAttributes": []m{{"Name": "team", "AttributeDataType": "String", "Mutable": true}}})
	r := h.admin("DescribeUserPool", m{"UserPoolId": demoPool})
	found := false
	for _, a := range r.body["UserPool"].(map[string]any)["SchemaAttributes"].([]any) {
		if a.(map[string]any)["Name"] == "custom:team" {
			found = true
		}
	}
	if !found {
		t.Fatalf("DescribeUserPool has no custom:team: %s", r.raw)
	}
	wantErr(t, "twice", h.call("AddCustomAttributes", m{"UserPoolId": demoPool, "CustomAttributes": []m{{"Name": "team"}}}, true),
		"InvalidParameterException", "Existing attribute already has name custom:team.")
	wantErr(t, "standard", h.call("AddCustomAttributes", m{"UserPoolId": demoPool, "CustomAttributes": []m{{"Name": "email"}}}, true),
		"InvalidParameterException", "Existing attribute already has name email.")
	wantErr(t, "required", h.call("AddCustomAttributes", m{"UserPoolId": demoPool, "CustomAttributes": []m{{"Name": "level", "Required": true}}}, true),
		"InvalidParameterException", "Required custom attributes are not supported currently.")
	wantErr(t, "unknown pool", h.call("AddCustomAttributes", m{"UserPoolId": "us-east-1_nope", "CustomAttributes": []m{{"Name": "x"}}}, true),
		"ResourceNotFoundException", "User pool us-east-1_nope does not exist.")
	// The new attribute is usable.
	h.admin("AdminUpdateUserAttributes", m{"UserPoolId": demoPool, "Username": demoUser, "UserAttributes": []m{{"Name": "custom:team", "Value": "blue"}}})
	if _, v := h.userStatus(demoPool, demoUser, "custom:team"); v != "blue" {
		t.Fatalf("custom:team = %q", v)
	}
}

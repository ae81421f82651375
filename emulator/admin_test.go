package emulator

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

func TestUserPoolLifecycle(t *testing.T) {
	h := newHarness(t, nil)
	created := h.admin("CreateUserPool", m{"PoolName": "mypool", "UsernameAttributes": []string{"email"},
		"Policies": m{"PasswordPolicy": m{"MinimumLength": 10, "RequireSymbols": false, "RequireUppercase": true,
			"RequireLowercase": true, "RequireNumbers": true}}})
	id := created.str("UserPool", "Id")
	if !poolIDPattern.MatchString(id) || !strings.HasPrefix(id, "us-east-1_") {
		t.Fatalf("CreateUserPool Id = %q; want us-east-1_XXXX", id)
	}
	pool := created.body["UserPool"].(map[string]any)
	checks := []struct {
		name string
		got  any
		want any
	}{
		{"Name", pool["Name"], "mypool"},
		{"UsernameAttributes", pool["UsernameAttributes"], []any{"email"}},
		{"CaseSensitive", pool["UsernameConfiguration"].(map[string]any)["CaseSensitive"], true},
		{"MinimumLength", pool["Policies"].(map[string]any)["PasswordPolicy"].(map[string]any)["MinimumLength"], float64(10)},
		{"RequireSymbols", pool["Policies"].(map[string]any)["PasswordPolicy"].(map[string]any)["RequireSymbols"], false},
		{"MfaConfiguration", pool["MfaConfiguration"], "OFF"},
		{"Arn", pool["Arn"], "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + id},
	}
	for _, c := range checks {
		t.Run("create "+c.name, func(t *testing.T) {
			if !equalJSON(c.got, c.want) {
				t.Errorf("CreateUserPool %s = %v; want %v", c.name, c.got, c.want)
			}
		})
	}
	if _, ok := pool["CreationDate"].(float64); !ok {
		t.Errorf("CreationDate = %#v; want epoch seconds as a number", pool["CreationDate"])
	}
	desc := h.admin("DescribeUserPool", m{"UserPoolId": id})
	if desc.str("UserPool", "Id") != id || desc.body["UserPool"].(map[string]any)["EstimatedNumberOfUsers"] != float64(0) {
		t.Errorf("DescribeUserPool = %s; want the pool with 0 users", desc.raw)
	}

	// Pagination over several pools.
	for _, name := range []string{"p2", "p3", "p4"} {
		h.admin("CreateUserPool", m{"PoolName": name})
	}
	seen := map[string]bool{}
	token := ""
	for pages := 0; ; pages++ {
		body := m{"MaxResults": 3}
		if token != "" {
			body["NextToken"] = token
		}
		page := h.admin("ListUserPools", body)
		for _, p := range page.body["UserPools"].([]any) {
			seen[p.(map[string]any)["Id"].(string)] = true
		}
		token = page.str("NextToken")
		if token == "" {
			break
		}
		if pages > 5 {
			t.Fatal("ListUserPools does not end")
		}
	}
	if len(seen) != 4 || !seen[id] {
		t.Errorf("ListUserPools over pages saw %d pools; want 4 including %s", len(seen), id)
	}

	h.admin("DeleteUserPool", m{"UserPoolId": id})
	if got := h.call("DescribeUserPool", m{"UserPoolId": id}, true); got.errType() != "ResourceNotFoundException" || got.message() != "User pool "+id+" does not exist." {
		t.Errorf("DescribeUserPool after delete = %s %q; want ResourceNotFoundException", got.errType(), got.message())
	}
}

func equalJSON(a, b any) bool {
	as, aok := a.([]any)
	bs, bok := b.([]any)
	if aok && bok {
		if len(as) != len(bs) {
			return false
		}
		for i := range as {
			if as[i] != bs[i] {
				return false
			}
		}
		return true
	}
	return a == b
}

func TestCreateUserPoolInvalid(t *testing.T) {
	h := newHarness(t, nil)
	tests := []struct {
		name    string
		body    m
		wantMsg string
	}{
		{"no name", m{}, "Value null at 'poolName'"},
		{"both attribute kinds", m{"PoolName": "x", "UsernameAttributes": []string{"email"}, "AliasAttributes": []string{"email"}}, "Only one of the aliasAttributes or usernameAttributes"},
		{"bad username attribute", m{"PoolName": "x", "UsernameAttributes": []string{"nickname"}}, "Value 'nickname' at 'usernameAttributes.1.member'"},
		{"short minimum length", m{"PoolName": "x", "Policies": m{"PasswordPolicy": m{"MinimumLength": 3}}}, "minimumLength"},
		{"bad MFA value", m{"PoolName": "x", "MfaConfiguration": "SOMETIMES"}, "mfaConfiguration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.call("CreateUserPool", tt.body, true)
			if got.errType() != "InvalidParameterException" || !strings.Contains(got.message(), tt.wantMsg) {
				t.Errorf("CreateUserPool(%v) = %s %q; want InvalidParameterException containing %q", tt.body, got.errType(), got.message(), tt.wantMsg)
			}
		})
	}
}

func TestUserPoolClient(t *testing.T) {
	h := newHarness(t, nil)
	pool := h.admin("CreateUserPool", m{"PoolName": "clients"}).str("UserPool", "Id")
	tests := []struct {
		name       string
		body       m
		wantType   string
		wantMsg    string
		wantSecret bool
		wantPUEE   string
	}{
		{"plain", m{"ClientName": "web"}, "", "", false, "LEGACY"},
		{"with secret", m{"ClientName": "server", "GenerateSecret": true, "ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}, "", "", true, "LEGACY"},
		{"prevent errors", m{"ClientName": "p", "PreventUserExistenceErrors": "ENABLED"}, "", "", false, "ENABLED"},
		{"bad flow", m{"ClientName": "x", "ExplicitAuthFlows": []string{"ALLOW_MAGIC"}}, "InvalidParameterException", "Value 'ALLOW_MAGIC' at 'explicitAuthFlows.1.member'", false, ""},
		{"refresh not allowed", m{"ClientName": "x", "ExplicitAuthFlows": []string{"ALLOW_USER_SRP_AUTH"}}, "InvalidParameterException", "REFRESH_TOKEN_AUTH should always be allowed.", false, ""},
		{"bad prevent value", m{"ClientName": "x", "PreventUserExistenceErrors": "MAYBE"}, "InvalidParameterException", "preventUserExistenceErrors", false, ""},
		{"no name", m{}, "InvalidParameterException", "Value null at 'clientName'", false, ""},
		{"unknown pool", m{"ClientName": "x", "UserPoolId": "us-east-1_none"}, "ResourceNotFoundException", "User pool us-east-1_none does not exist.", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.body["UserPoolId"] == nil {
				tt.body["UserPoolId"] = pool
			}
			got := h.call("CreateUserPoolClient", tt.body, true)
			if tt.wantType != "" {
				if got.errType() != tt.wantType || !strings.Contains(got.message(), tt.wantMsg) {
					t.Errorf("CreateUserPoolClient = %s %q; want %s containing %q", got.errType(), got.message(), tt.wantType, tt.wantMsg)
				}
				return
			}
			if got.status != http.StatusOK {
				t.Fatalf("CreateUserPoolClient = %d %s", got.status, got.raw)
			}
			id := got.str("UserPoolClient", "ClientId")
			secret := got.str("UserPoolClient", "ClientSecret")
			if len(id) != 26 {
				t.Errorf("ClientId = %q; want 26 characters", id)
			}
			if (secret != "") != tt.wantSecret {
				t.Errorf("ClientSecret = %q; want present=%v", secret, tt.wantSecret)
			}
			desc := h.admin("DescribeUserPoolClient", m{"UserPoolId": pool, "ClientId": id})
			if desc.str("UserPoolClient", "ClientSecret") != secret || desc.str("UserPoolClient", "PreventUserExistenceErrors") != tt.wantPUEE {
				t.Errorf("DescribeUserPoolClient = %s; want secret %q and PreventUserExistenceErrors %s", desc.raw, secret, tt.wantPUEE)
			}
		})
	}
	t.Run("describe unknown client", func(t *testing.T) {
		got := h.call("DescribeUserPoolClient", m{"UserPoolId": pool, "ClientId": "nope"}, true)
		if got.errType() != "ResourceNotFoundException" || got.message() != "User pool client nope does not exist." {
			t.Errorf("DescribeUserPoolClient(nope) = %s %q", got.errType(), got.message())
		}
	})
	t.Run("generated secret works for sign-in", func(t *testing.T) {
		c := h.admin("CreateUserPoolClient", m{"UserPoolId": pool, "ClientName": "s", "GenerateSecret": true,
			"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
		h.admin("AdminCreateUser", m{"UserPoolId": pool, "Username": "erin", "MessageAction": "SUPPRESS"})
		h.admin("AdminSetUserPassword", m{"UserPoolId": pool, "Username": "erin", "Password": "Erin!pass1", "Permanent": true})
		id, secret := c.str("UserPoolClient", "ClientId"), c.str("UserPoolClient", "ClientSecret")
		got := h.passwordAuth(id, map[string]string{"USERNAME": "erin", "PASSWORD": "Erin!pass1", "SECRET_HASH": srpSecretHash("erin", id, secret)})
		if got.str("AuthenticationResult", "AccessToken") == "" {
			t.Errorf("sign-in with the generated secret = %s %q", got.errType(), got.message())
		}
	})
}

func TestAdminUsers(t *testing.T) {
	h := demoHarness(t)
	h.admin("AddCustomAttributes", m{"UserPoolId": demoPool, "CustomAttributes": []m{{"Name": "team", "AttributeDataType": "String", "Mutable": true}}})
	created := h.admin("AdminCreateUser", m{"UserPoolId": demoPool, "Username": "frank", "TemporaryPassword": "Temp!pass1",
		"MessageAction": "SUPPRESS", "UserAttributes": []m{{"Name": "email", "Value": "frank@example.com"}, {"Name": "custom:team", "Value": "blue"}}})
	u := created.body["User"].(map[string]any)
	if u["Username"] != "frank" || u["UserStatus"] != "FORCE_CHANGE_PASSWORD" || u["Enabled"] != true {
		t.Errorf("AdminCreateUser User = %v; want frank, FORCE_CHANGE_PASSWORD, enabled", u)
	}
	if _, ok := u["UserCreateDate"].(float64); !ok {
		t.Errorf("UserCreateDate = %#v; want a number", u["UserCreateDate"])
	}

	tests := []struct {
		name, op          string
		body              m
		wantType, wantMsg string
	}{
		{"duplicate", "AdminCreateUser", m{"UserPoolId": demoPool, "Username": "frank", "MessageAction": "SUPPRESS"}, "UsernameExistsException", "User account already exists"},
		{"email-shaped username in an email-alias pool", "AdminCreateUser", m{"UserPoolId": demoPool, "Username": "x@example.com"}, "InvalidParameterException", "Username cannot be of email format"},
		{"alias already taken", "AdminCreateUser", m{"UserPoolId": demoPool, "Username": "gina", "UserAttributes": []m{{"Name": "email", "Value": "alice@example.com"}, {"Name": "email_verified", "Value": "true"}}}, "AliasExistsException", "An account with the given email already exists."},
		{"unknown attribute", "AdminCreateUser", m{"UserPoolId": demoPool, "Username": "gina", "UserAttributes": []m{{"Name": "shoe_size", "Value": "9"}}}, "InvalidParameterException", "shoe_size"},
		{"sub is not settable", "AdminCreateUser", m{"UserPoolId": demoPool, "Username": "gina", "UserAttributes": []m{{"Name": "sub", "Value": "x"}}}, "InvalidParameterException", "sub"},
		{"bad email", "AdminCreateUser", m{"UserPoolId": demoPool, "Username": "gina", "UserAttributes": []m{{"Name": "email", "Value": "not-an-email"}}}, "InvalidParameterException", "Invalid email address format."},
		{"too many attributes", "AdminCreateUser", m{"UserPoolId": demoPool, "Username": "gina", "UserAttributes": manyAttrs(51)}, "InvalidParameterException", "userAttributes"},
		{"attribute value too long", "AdminCreateUser", m{"UserPoolId": demoPool, "Username": "gina", "UserAttributes": []m{{"Name": "name", "Value": strings.Repeat("n", 2049)}}}, "InvalidParameterException", "length less than or equal to 2048"},
		{"username too long", "AdminCreateUser", m{"UserPoolId": demoPool, "Username": strings.Repeat("u", 129)}, "InvalidParameterException", "'username'"},
		{"username with a space", "AdminCreateUser", m{"UserPoolId": demoPool, "Username": "a b"}, "InvalidParameterException", "regular expression pattern"},
		{"get unknown", "AdminGetUser", m{"UserPoolId": demoPool, "Username": "nobody"}, "UserNotFoundException", "User does not exist."},
		{"delete unknown", "AdminDeleteUser", m{"UserPoolId": demoPool, "Username": "nobody"}, "UserNotFoundException", "User does not exist."},
		{"set password unknown", "AdminSetUserPassword", m{"UserPoolId": demoPool, "Username": "nobody", "Password": "Abcdef1!x"}, "UserNotFoundException", "User does not exist."},
		{"set password missing", "AdminSetUserPassword", m{"UserPoolId": demoPool, "Username": "frank"}, "InvalidParameterException", "Value null at 'password'"},
		{"unknown pool", "AdminGetUser", m{"UserPoolId": "us-east-1_none", "Username": "frank"}, "ResourceNotFoundException", "User pool us-east-1_none does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.call(tt.op, tt.body, true)
			if got.errType() != tt.wantType || !strings.Contains(got.message(), tt.wantMsg) {
				t.Errorf("%s = %s %q; want %s containing %q", tt.op, got.errType(), got.message(), tt.wantType, tt.wantMsg)
			}
		})
	}

	t.Run("get by username and by verified alias", func(t *testing.T) {
		for _, name := range []string{"alice", "alice@example.com"} {
			got := h.admin("AdminGetUser", m{"UserPoolId": demoPool, "Username": name})
			if got.str("Username") != "alice" || got.str("UserStatus") != "CONFIRMED" || got.body["Enabled"] != true {
				t.Errorf("AdminGetUser(%q) = %s; want alice CONFIRMED enabled", name, got.raw)
			}
		}
	})
	t.Run("set password permanent confirms", func(t *testing.T) {
		h.admin("AdminSetUserPassword", m{"UserPoolId": demoPool, "Username": "frank", "Password": "Perm!pass1", "Permanent": true})
		if got := h.admin("AdminGetUser", m{"UserPoolId": demoPool, "Username": "frank"}); got.str("UserStatus") != "CONFIRMED" {
			t.Errorf("UserStatus = %q; want CONFIRMED", got.str("UserStatus"))
		}
		if res := h.srpSignIn(demoPool, demoClient, "frank", "Perm!pass1"); res.str("AuthenticationResult", "IdToken") == "" {
			t.Errorf("sign-in after AdminSetUserPassword = %s", res.raw)
		}
		if res := h.srpSignIn(demoPool, demoClient, "frank", "Temp!pass1"); res.errType() != "NotAuthorizedException" {
			t.Errorf("sign-in with the old password = %s; want NotAuthorizedException", res.raw)
		}
	})
	t.Run("set password not permanent forces a change", func(t *testing.T) {
		h.admin("AdminSetUserPassword", m{"UserPoolId": demoPool, "Username": "frank", "Password": "Temp!pass2"})
		if res := h.srpSignIn(demoPool, demoClient, "frank", "Temp!pass2"); res.str("ChallengeName") != "NEW_PASSWORD_REQUIRED" {
			t.Errorf("sign-in = %s; want NEW_PASSWORD_REQUIRED", res.raw)
		}
	})
	t.Run("delete", func(t *testing.T) {
		h.admin("AdminDeleteUser", m{"UserPoolId": demoPool, "Username": "frank"})
		if got := h.call("AdminGetUser", m{"UserPoolId": demoPool, "Username": "frank"}, true); got.errType() != "UserNotFoundException" {
			t.Errorf("AdminGetUser after delete = %s", got.errType())
		}
	})
}

func manyAttrs(n int) []m {
	out := make([]m, n)
	for i := range out {
		out[i] = m{"Name": "custom:a" + strings.Repeat("x", i%10), "Value": "v"}
	}
	return out
}

func TestPasswordPolicy(t *testing.T) {
	h := demoHarness(t)
	tests := []struct {
		password, wantMsg string
	}{
		{"Ab1!", "Password did not conform with policy: Password not long enough"},
		{"ABCDEFG1!", "Password did not conform with policy: Password must have lowercase characters"},
		{"abcdefg1!", "Password did not conform with policy: Password must have uppercase characters"},
		{"Abcdefgh!", "Password did not conform with policy: Password must have numeric characters"},
		{"Abcdefgh1", "Password did not conform with policy: Password must have symbol characters"},
		{"Abcdefg1 x", ""},
		{"Ünïcödé1!", ""},
	}
	for _, tt := range tests {
		t.Run(tt.password, func(t *testing.T) {
			got := h.call("AdminSetUserPassword", m{"UserPoolId": demoPool, "Username": "bob", "Password": tt.password, "Permanent": true}, true)
			if tt.wantMsg == "" {
				if got.status != http.StatusOK {
					t.Errorf("AdminSetUserPassword(%q) = %s %q; want 200", tt.password, got.errType(), got.message())
				}
				return
			}
			if got.errType() != "InvalidPasswordException" || got.message() != tt.wantMsg {
				t.Errorf("AdminSetUserPassword(%q) = %s %q; want InvalidPasswordException %q", tt.password, got.errType(), got.message(), tt.wantMsg)
			}
		})
	}
	t.Run("leading space", func(t *testing.T) {
		got := h.call("AdminSetUserPassword", m{"UserPoolId": demoPool, "Username": "bob", "Password": " Abcdefg1!", "Permanent": true}, true)
		if got.errType() != "InvalidParameterException" || !strings.Contains(got.message(), "'password'") {
			t.Errorf("AdminSetUserPassword(leading space) = %s %q; want InvalidParameterException", got.errType(), got.message())
		}
	})
}

func TestUsernameAttributesPool(t *testing.T) {
	h := newHarness(t, nil)
	pool := h.admin("CreateUserPool", m{"PoolName": "emails", "UsernameAttributes": []string{"email", "phone_number"}}).str("UserPool", "Id")
	client := h.admin("CreateUserPoolClient", m{"UserPoolId": pool, "ClientName": "web"}).str("UserPoolClient", "ClientId")
	created := h.admin("AdminCreateUser", m{"UserPoolId": pool, "Username": "Hana@Example.com", "MessageAction": "SUPPRESS"})
	username := created.str("User", "Username")
	if !uuidPattern.MatchString(username) {
		t.Fatalf("Username = %q; want a generated UUID", username)
	}
	h.admin("AdminSetUserPassword", m{"UserPoolId": pool, "Username": "Hana@Example.com", "Password": "Hana!pass1", "Permanent": true})
	tests := []struct {
		name, typed string
		wantType    string
	}{
		{"email as created", "Hana@Example.com", ""},
		{"the UUID username", username, ""},
		{"email in other case (case-sensitive pool)", "hana@example.com", "UserNotFoundException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ch := h.srpStart(client, tt.typed, nil)
			if tt.wantType != "" {
				if ch.errType() != tt.wantType {
					t.Errorf("InitiateAuth(%q) = %s; want %s", tt.typed, ch.errType(), tt.wantType)
				}
				return
			}
			if got := ch.str("ChallengeParameters", "USER_ID_FOR_SRP"); got != username {
				t.Fatalf("USER_ID_FOR_SRP for %q = %q; want the UUID %q", tt.typed, got, username)
			}
			res := h.srpAnswer(c, pool, client, "Hana!pass1", ch, h.clock.Now(), nil)
			if res.str("AuthenticationResult", "IdToken") == "" {
				t.Errorf("sign-in as %q = %s", tt.typed, res.raw)
			}
		})
	}
	dupTests := []struct {
		name, username, wantType, wantMsg string
	}{
		{"same email", "Hana@Example.com", "UsernameExistsException", "An account with the given email already exists."},
		{"not an email or phone", "hana", "InvalidParameterException", "Username should be either an email or a phone number."},
	}
	for _, tt := range dupTests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.call("AdminCreateUser", m{"UserPoolId": pool, "Username": tt.username, "MessageAction": "SUPPRESS"}, true)
			if got.errType() != tt.wantType || got.message() != tt.wantMsg {
				t.Errorf("AdminCreateUser(%q) = %s %q; want %s %q", tt.username, got.errType(), got.message(), tt.wantType, tt.wantMsg)
			}
		})
	}
	t.Run("phone number username", func(t *testing.T) {
		got := h.admin("AdminCreateUser", m{"UserPoolId": pool, "Username": "+15555550100", "MessageAction": "SUPPRESS"})
		if !uuidPattern.MatchString(got.str("User", "Username")) {
			t.Errorf("Username = %q; want a UUID", got.str("User", "Username"))
		}
	})
}

func TestListUsers(t *testing.T) {
	h := demoHarness(t)
	h.admin("AdminUpdateUserAttributes", m{"UserPoolId": demoPool, "Username": "bob", "UserAttributes": []m{{"Name": "name", "Value": `Bob "B" Brown`}}})
	tests := []struct {
		name   string
		filter string
		want   []string
	}{
		{"all", "", []string{"Zoë", "alice", "bob"}},
		{"by username", `username = "bob"`, []string{"bob"}},
		{"by email prefix", `email ^= "ali"`, []string{"alice"}},
		{"by status", `cognito:user_status = "CONFIRMED"`, []string{"Zoë", "alice", "bob"}},
		{"no match", `email = "nobody@example.com"`, nil},
		// Cognito's documented rules: no spaces needed; cognito:user_status is
		// case-insensitive, username and status are not; a quote inside the
		// value is escaped; a user without the attribute matches nothing.
		{"no spaces", `email="alice@example.com"`, []string{"alice"}},
		{"user status in lower case", `cognito:user_status = "confirmed"`, []string{"Zoë", "alice", "bob"}},
		{"user status prefix in lower case", `cognito:user_status ^= "conf"`, []string{"Zoë", "alice", "bob"}},
		{"username is case-sensitive", `username = "ALICE"`, nil},
		{"enabled", `status = "Enabled"`, []string{"Zoë", "alice", "bob"}},
		{"status is case-sensitive", `status = "enabled"`, nil},
		{"escaped quote", `name = "Bob \"B\" Brown"`, []string{"bob"}},
		{"empty value matches no missing attribute", `family_name = ""`, nil},
		{"empty prefix matches who has the attribute", `email ^= ""`, []string{"alice", "bob"}},
		{"by sub", `sub ^= "` + subOf(h, "bob")[:8] + `"`, []string{"bob"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := m{"UserPoolId": demoPool}
			if tt.filter != "" {
				body["Filter"] = tt.filter
			}
			got := h.admin("ListUsers", body)
			var names []string
			for _, u := range got.body["Users"].([]any) {
				names = append(names, u.(map[string]any)["Username"].(string))
			}
			if strings.Join(names, ",") != strings.Join(tt.want, ",") {
				t.Errorf("ListUsers(%q) = %v; want %v", tt.filter, names, tt.want)
			}
		})
	}
	t.Run("pages", func(t *testing.T) {
		first := h.admin("ListUsers", m{"UserPoolId": demoPool, "Limit": 2})
		if n := len(first.body["Users"].([]any)); n != 2 || first.str("PaginationToken") == "" {
			t.Fatalf("ListUsers(Limit 2) = %d users, token %q; want 2 and a token", n, first.str("PaginationToken"))
		}
		second := h.admin("ListUsers", m{"UserPoolId": demoPool, "Limit": 2, "PaginationToken": first.str("PaginationToken")})
		users := second.body["Users"].([]any)
		if len(users) != 1 || users[0].(map[string]any)["Username"] != "bob" || second.str("PaginationToken") != "" {
			t.Errorf("second page = %s; want only bob and no token", second.raw)
		}
	})
	t.Run("attributes to get", func(t *testing.T) {
		got := h.admin("ListUsers", m{"UserPoolId": demoPool, "Filter": `username = "alice"`, "AttributesToGet": []string{"email"}})
		attrs := got.body["Users"].([]any)[0].(map[string]any)["Attributes"].([]any)
		if len(attrs) != 1 || attrs[0].(map[string]any)["Name"] != "email" {
			t.Errorf("Attributes = %v; want only email", attrs)
		}
	})
	badTests := []struct{ name, filter, wantMsg string }{
		{"unparsable filter", `email = alice`, "Error while parsing filter."},
		{"unsearchable attribute", `custom:x = "1"`, "Invalid search attribute: custom:x"},
		{"unsearchable standard attribute", `nickname = "x"`, "Invalid search attribute: nickname"},
		{"no value", `username=`, "Error while parsing filter."},
		{"single quotes", `username = 'alice'`, "Error while parsing filter."},
		{"other operator", `username != "alice"`, "Error while parsing filter."},
		{"two conditions", `username = "alice" and email = "x"`, "Error while parsing filter."},
		{"unterminated quote", `username = "alice`, "Error while parsing filter."},
		{"too long", `username = "` + strings.Repeat("a", 250) + `"`,
			"1 validation error detected: Value at 'filter' failed to satisfy constraint: Member must have length less than or equal to 256"},
	}
	for _, tt := range badTests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.call("ListUsers", m{"UserPoolId": demoPool, "Filter": tt.filter}, true)
			if got.errType() != "InvalidParameterException" || got.message() != tt.wantMsg {
				t.Errorf("ListUsers(%q) = %s %q; want InvalidParameterException %q", tt.filter, got.errType(), got.message(), tt.wantMsg)
			}
		})
	}
}

// subOf is a demo-pool user's sub.
func subOf(h *harness, username string) string {
	h.t.Helper()
	_, sub := h.userStatus(demoPool, username, "sub")
	return sub
}

func srpSecretHash(username, clientID, secret string) string {
	return srp.SecretHash(username, clientID, secret)
}

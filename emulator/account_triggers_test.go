package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestPreSignUpTrigger(t *testing.T) {
	h, fl := triggerHarness(t)
	h.setTriggers(lambdaConfigType{PreSignUp: lambdaARN + "pre-signup"})
	fl.set("pre-signup", func(ev map[string]any) (map[string]any, string) {
		attrs := ev["request"].(map[string]any)["userAttributes"].(map[string]any)
		if attrs["nickname"] == "refuse" {
			return nil, "no thanks"
		}
		return map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true, "autoVerifyPhone": false}, ""
	})
	r := h.call("SignUp", m{"ClientId": demoClient, "Username": "pam", "Password": newPass,
		"UserAttributes": []m{{"Name": "email", "Value": "pam@example.com"}},
		"ValidationData": []m{{"Name": "invite", "Value": "X1"}},
		"ClientMetadata": m{"source": "test"}}, false)
	wantOK(t, "SignUp", r)
	if r.body["UserConfirmed"] != true {
		t.Fatalf("SignUp with autoConfirmUser = %s", r.raw)
	}
	if st, v := h.userStatus(demoPool, "pam", "email_verified"); st != "CONFIRMED" || v != "true" {
		t.Fatalf("after PreSignUp: %s, email_verified %q", st, v)
	}
	calls := fl.calls("pre-signup")
	if len(calls) != 1 {
		t.Fatalf("PreSignUp ran %d times", len(calls))
	}
	ev := calls[0].event
	req := ev["request"].(map[string]any)
	if ev["triggerSource"] != "PreSignUp_SignUp" || ev["userName"] != "pam" ||
		ev["callerContext"].(map[string]any)["clientId"] != demoClient ||
		req["validationData"].(map[string]any)["invite"] != "X1" || req["clientMetadata"].(map[string]any)["source"] != "test" {
		t.Fatalf("PreSignUp event = %s", calls[0].raw)
	}
	// Verified by the trigger, the email is an alias at once.
	h.accessFor(demoClient, "pam@example.com", newPass)

	wantErr(t, "refused", h.call("SignUp", m{"ClientId": demoClient, "Username": "quinn", "Password": newPass,
		"UserAttributes": []m{{"Name": "nickname", "Value": "refuse"}}}, false),
		"UserLambdaValidationException", "PreSignUp failed with error no thanks.")
	wantErr(t, "refused user", h.call("AdminGetUser", m{"UserPoolId": demoPool, "Username": "quinn"}, true),
		"UserNotFoundException", "User does not exist.")
}

func TestPostConfirmationTrigger(t *testing.T) {
	h, fl := triggerHarness(t)
	h.setTriggers(lambdaConfigType{PostConfirmation: lambdaARN + "post-confirm"})
	fail := false
	fl.set("post-confirm", func(map[string]any) (map[string]any, string) {
		if fail {
			return nil, "downstream down"
		}
		return nil, ""
	})
	wantOK(t, "SignUp", h.call("SignUp", m{"ClientId": demoClient, "Username": "rae", "Password": newPass}, false))
	h.admin("AdminConfirmSignUp", m{"UserPoolId": demoPool, "Username": "rae", "ClientMetadata": m{"k": "v"}})
	calls := fl.calls("post-confirm")
	if len(calls) != 1 {
		t.Fatalf("PostConfirmation ran %d times", len(calls))
	}
	ev := calls[0].event
	attrs := ev["request"].(map[string]any)["userAttributes"].(map[string]any)
	if ev["triggerSource"] != "PostConfirmation_ConfirmSignUp" || ev["callerContext"].(map[string]any)["clientId"] != "CLIENT_ID_NOT_APPLICABLE" ||
		attrs["cognito:user_status"] != "CONFIRMED" || ev["request"].(map[string]any)["clientMetadata"].(map[string]any)["k"] != "v" {
		t.Fatalf("PostConfirmation event = %s", calls[0].raw)
	}

	wantOK(t, "ForgotPassword", h.call("ForgotPassword", m{"ClientId": demoClient, "Username": demoUser}, false))
	fail = true
	wantErr(t, "ConfirmForgotPassword with a failing trigger", h.call("ConfirmForgotPassword", m{"ClientId": demoClient, "Username": demoUser,
		"ConfirmationCode": h.lastCode(demoPool, demoUser), "Password": newPass}, false),
		"UserLambdaValidationException", "PostConfirmation failed with error downstream down.")
	calls = fl.calls("post-confirm")
	if len(calls) != 2 || calls[1].event["triggerSource"] != "PostConfirmation_ConfirmForgotPassword" {
		t.Fatalf("PostConfirmation events = %d", len(calls))
	}
	// The reset stands, as in Cognito.
	h.accessFor(demoClient, demoUser, newPass)
}

// TestSeedAccounts: a seed's autoVerifiedAttributes send SignUp's code, and
// a RESET_REQUIRED user is refused until the reset is confirmed.
func TestSeedAccounts(t *testing.T) {
	s := Seed{UserPools: []SeedPool{{ID: "us-east-1_cwSeedAcc1", Name: "acc", AutoVerifiedAttributes: []string{"email"},
		Clients: []SeedClient{{ID: "seedaccclient00000000001", Name: "web", ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}},
		Users: []SeedUser{{Username: "sue", Password: "Sue-Passw0rd!", Status: "RESET_REQUIRED",
			Attributes: map[string]string{"email": "sue@example.com", "email_verified": "true"}}}}}}
	h := newHarness(t, &s)
	r := h.call("SignUp", m{"ClientId": "seedaccclient00000000001", "Username": "tom", "Password": newPass,
		"UserAttributes": []m{{"Name": "email", "Value": "tom@example.com"}}}, false)
	if r.str("CodeDeliveryDetails", "DeliveryMedium") != "EMAIL" {
		t.Fatalf("SignUp in a seeded pool with autoVerifiedAttributes = %s", r.raw)
	}
	wantErr(t, "RESET_REQUIRED sign-in", h.passwordAuth("seedaccclient00000000001", map[string]string{"USERNAME": "sue", "PASSWORD": "Sue-Passw0rd!"}),
		"PasswordResetRequiredException", "Password reset required for the user")
	wantOK(t, "ForgotPassword", h.call("ForgotPassword", m{"ClientId": "seedaccclient00000000001", "Username": "sue"}, false))
	wantOK(t, "ConfirmForgotPassword", h.call("ConfirmForgotPassword", m{"ClientId": "seedaccclient00000000001", "Username": "sue",
		"ConfirmationCode": h.lastCode("us-east-1_cwSeedAcc1", "sue"), "Password": newPass}, false))
	h.accessFor("seedaccclient00000000001", "sue", newPass)
}

func TestUserMigrationTrigger(t *testing.T) {
	h, fl := triggerHarness(t)
	h.setTriggers(lambdaConfigType{UserMigration: lambdaARN + "migrate"})
	fl.set("migrate", func(ev map[string]any) (map[string]any, string) {
		req := ev["request"].(map[string]any)
		switch ev["userName"] {
		case "legacy":
			if req["password"] != "Legacy-Pass1!" {
				return nil, "Bad password"
			}
			return map[string]any{"userAttributes": map[string]any{"email": "legacy@example.com", "email_verified": "true"},
				"finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"}, ""
		case "oldreset":
			return map[string]any{"userAttributes": map[string]any{"email": "oldreset@example.com", "email_verified": "true"}}, ""
		}
		return nil, "User not found"
	})
	wantErr(t, "wrong legacy password", h.passwordAuth(demoClient, map[string]string{"USERNAME": "legacy", "PASSWORD": "nope-Pass1!"}),
		"UserLambdaValidationException", "UserMigration failed with error Bad password.")
	wantErr(t, "nobody anywhere", h.passwordAuth(demoClient, map[string]string{"USERNAME": "ghost", "PASSWORD": "Legacy-Pass1!"}),
		"UserLambdaValidationException", "UserMigration failed with error User not found.")
	r := h.call("InitiateAuth", m{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": demoClient,
		"AuthParameters": map[string]string{"USERNAME": "legacy", "PASSWORD": "Legacy-Pass1!"}, "ClientMetadata": m{"app": "v2"}}, false)
	wantOK(t, "migrating sign-in", r)
	calls := fl.calls("migrate")
	ev := calls[len(calls)-1].event
	if ev["triggerSource"] != "UserMigration_Authentication" || ev["request"].(map[string]any)["validationData"].(map[string]any)["app"] != "v2" {
		t.Fatalf("UserMigration event = %s", calls[len(calls)-1].raw)
	}
	if st, v := h.userStatus(demoPool, "legacy", "email"); st != "CONFIRMED" || v != "legacy@example.com" {
		t.Fatalf("migrated user: %s, email %q", st, v)
	}
	// Migrated, the user signs in with SRP too, and the trigger is not asked again.
	n := len(fl.calls("migrate"))
	if r := h.srpSignIn(demoPool, demoClient, "legacy", "Legacy-Pass1!"); r.str("AuthenticationResult", "AccessToken") == "" {
		t.Fatalf("SRP sign-in of the migrated user = %s %q", r.errType(), r.message())
	}
	if len(fl.calls("migrate")) != n {
		t.Fatal("the trigger ran again for a migrated user")
	}

	// ForgotPassword migrates a user as RESET_REQUIRED; the reset confirms them.
	r = h.call("ForgotPassword", m{"ClientId": demoClient, "Username": "oldreset"}, false)
	if r.str("CodeDeliveryDetails", "Destination") != "o***@e***" {
		t.Fatalf("ForgotPassword of a migrated user = %s", r.raw)
	}
	calls = fl.calls("migrate")
	if ev := calls[len(calls)-1].event; ev["triggerSource"] != "UserMigration_ForgotPassword" {
		t.Fatalf("UserMigration event = %s", calls[len(calls)-1].raw)
	}
	if st, _ := h.userStatus(demoPool, "oldreset", "email"); st != "RESET_REQUIRED" {
		t.Fatalf("status = %s", st)
	}
	wantOK(t, "ConfirmForgotPassword", h.call("ConfirmForgotPassword", m{"ClientId": demoClient, "Username": "oldreset",
		"ConfirmationCode": h.lastCode(demoPool, "oldreset"), "Password": newPass}, false))
	h.accessFor(demoClient, "oldreset", newPass)
}

func TestCustomMessageTrigger(t *testing.T) {
	h, fl := triggerHarness(t)
	h.setTriggers(lambdaConfigType{CustomMessage: lambdaARN + "message"})
	mode := "ok"
	fl.set("message", func(ev map[string]any) (map[string]any, string) {
		code := ev["request"].(map[string]any)["codeParameter"].(string)
		switch mode {
		case "fail":
			return nil, "template missing"
		case "no placeholder":
			return map[string]any{"emailMessage": "Hello", "emailSubject": "Hi"}, ""
		}
		return map[string]any{"emailMessage": "Reset with " + code + " now", "emailSubject": "Your reset", "smsMessage": "sms " + code}, ""
	})
	wantOK(t, "ForgotPassword", h.call("ForgotPassword", m{"ClientId": demoClient, "Username": demoUser}, false))
	_, msgs := h.outbox(demoPool, demoUser)
	last := msgs[len(msgs)-1]
	if last.Message != "Reset with "+last.Code+" now" || last.Subject != "Your reset" {
		t.Fatalf("outbox message = %+v", last)
	}
	calls := fl.calls("message")
	ev := calls[len(calls)-1].event
	if ev["triggerSource"] != "CustomMessage_ForgotPassword" || ev["callerContext"].(map[string]any)["clientId"] != demoClient ||
		ev["request"].(map[string]any)["userAttributes"].(map[string]any)["email"] != "alice@example.com" {
		t.Fatalf("CustomMessage event = %s", calls[len(calls)-1].raw)
	}
	mode = "no placeholder"
	wantOK(t, "ForgotPassword", h.call("ForgotPassword", m{"ClientId": demoClient, "Username": demoUser}, false))
	if _, msgs := h.outbox(demoPool, demoUser); msgs[len(msgs)-1].Message != "Your verification code is "+msgs[len(msgs)-1].Code+". " {
		t.Fatalf("a message without the code was used, not Cognito's words: %+v", msgs[len(msgs)-1])
	}
	mode = "fail"
	wantErr(t, "failing trigger", h.call("ForgotPassword", m{"ClientId": demoClient, "Username": demoUser}, false),
		"UserLambdaValidationException", "CustomMessage failed with error template missing.")
}

func TestPreSignUpAdminCreateUser(t *testing.T) {
	h, fl := triggerHarness(t)
	h.setTriggers(lambdaConfigType{PreSignUp: lambdaARN + "pre-signup"})
	fl.set("pre-signup", func(ev map[string]any) (map[string]any, string) {
		return map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true}, ""
	})
	h.admin("AdminCreateUser", m{"UserPoolId": demoPool, "Username": "uma", "TemporaryPassword": "Temp-Pass1!",
		"UserAttributes": []m{{"Name": "email", "Value": "uma@example.com"}}, "MessageAction": "SUPPRESS"})
	if st, v := h.userStatus(demoPool, "uma", "email_verified"); st != "FORCE_CHANGE_PASSWORD" || v != "true" {
		t.Fatalf("after PreSignUp_AdminCreateUser: %s, email_verified %q", st, v)
	}
	calls := fl.calls("pre-signup")
	if len(calls) != 1 || calls[0].event["triggerSource"] != "PreSignUp_AdminCreateUser" ||
		calls[0].event["callerContext"].(map[string]any)["clientId"] != "CLIENT_ID_NOT_APPLICABLE" {
		t.Fatalf("PreSignUp events = %+v", calls)
	}
}

// TestUserMigrationFailureHidesUsers: with PreventUserExistenceErrors, a
// UserMigration trigger that fails answers sign-in and ForgotPassword
// exactly as a pool without the trigger answers a name it does not know,
// wrong-password lockout included; without it, the failure is reported.
func TestUserMigrationFailureHidesUsers(t *testing.T) {
	h, fl := triggerHarness(t)
	const hiding = "hiddenusersclient00000001"
	fl.set("migrate", func(ev map[string]any) (map[string]any, string) { return nil, "Bad password" })
	fl.set("migrate-none", func(ev map[string]any) (map[string]any, string) { return map[string]any{}, "" })
	// answers signs in as name ten times (past the lockout) and asks for
	// a reset, and returns the answers.
	answers := func(name string) []string {
		var out []string
		for range 10 {
			r := h.passwordAuth(hiding, map[string]string{"USERNAME": name, "PASSWORD": "Some-Pass1!"})
			out = append(out, fmt.Sprintf("%d %s", r.status, r.raw))
		}
		r := h.call("ForgotPassword", m{"ClientId": hiding, "Username": name}, false)
		return append(out, fmt.Sprintf("%d %s", r.status, r.raw))
	}
	want := answers("ghost-a") // no trigger
	if !strings.Contains(want[0], "Incorrect username or password.") || !strings.Contains(want[9], "Password attempts exceeded") ||
		!strings.Contains(want[10], "CodeDeliveryDetails") {
		t.Fatalf("unknown user without a trigger: %q", want)
	}
	h.setTriggers(lambdaConfigType{UserMigration: lambdaARN + "migrate"})
	h.clock.Advance(time.Hour) // past ghost-a's lockout; ghost-b is counted afresh
	failing := answers("ghost-b")
	h.setTriggers(lambdaConfigType{UserMigration: lambdaARN + "migrate-none"})
	h.clock.Advance(time.Hour)
	notFound := answers("ghost-c")
	for i := range want {
		w := strings.ReplaceAll(want[i], "ghost-a", "ghost-X")
		f := strings.ReplaceAll(failing[i], "ghost-b", "ghost-X")
		n := strings.ReplaceAll(notFound[i], "ghost-c", "ghost-X")
		if i < 10 && (f != w || n != w) {
			t.Fatalf("sign-in %d: failing trigger %q, trigger finding no one %q; want %q as without a trigger", i, f, n, w)
		}
	}
	// ForgotPassword's simulated address depends on the name: same name,
	// same answer whether the trigger failed or found no one.
	h.setTriggers(lambdaConfigType{UserMigration: lambdaARN + "migrate"})
	f := h.call("ForgotPassword", m{"ClientId": hiding, "Username": "ghost-d"}, false)
	h.setTriggers(lambdaConfigType{})
	n := h.call("ForgotPassword", m{"ClientId": hiding, "Username": "ghost-d"}, false)
	if f.status != http.StatusOK || string(f.raw) != string(n.raw) {
		t.Fatalf("ForgotPassword with a failing trigger = %d %s; without a trigger %s", f.status, f.raw, n.raw)
	}
	if len(fl.calls("migrate")) == 0 {
		t.Fatal("the failing trigger was never asked")
	}
	// A client that shows which users exist reports the failure.
	h.setTriggers(lambdaConfigType{UserMigration: lambdaARN + "migrate"})
	wantErr(t, "failing trigger, users shown", h.passwordAuth(demoClient, map[string]string{"USERNAME": "ghost-e", "PASSWORD": "Some-Pass1!"}),
		"UserLambdaValidationException", "UserMigration failed with error Bad password.")
}

package emulator

import (
	"testing"
)

// smsMFASignIn makes a confirmed demo-pool user with a verified phone
// number and SMS MFA preferred, and returns the newest outbox message after
// a password sign-in reached SMS_MFA.
func (h *harness) smsMFASignIn(username string) outboxMessage {
	h.t.Helper()
	h.admin("AdminCreateUser", m{"UserPoolId": demoPool, "Username": username, "MessageAction": "SUPPRESS",
		"UserAttributes": []m{{"Name": "phone_number", "Value": "+15555550142"}, {"Name": "phone_number_verified", "Value": "true"}}})
	h.admin("AdminSetUserPassword", m{"UserPoolId": demoPool, "Username": username, "Password": newPass, "Permanent": true})
	h.admin("AdminSetUserMFAPreference", m{"UserPoolId": demoPool, "Username": username,
		"SMSMfaSettings": m{"Enabled": true, "PreferredMfa": true}})
	r := h.passwordAuth(demoClient, map[string]string{"USERNAME": username, "PASSWORD": newPass})
	if r.str("ChallengeName") != "SMS_MFA" {
		h.t.Fatalf("sign-in of %s = %s; want SMS_MFA", username, r.raw)
	}
	_, msgs := h.outbox(demoPool, username)
	return msgs[len(msgs)-1]
}

func (h *harness) setMfaConfig(sms m) {
	h.t.Helper()
	sms["SmsConfiguration"] = m{"SnsCallerArn": "arn:aws:iam::123456789012:role/sms"}
	wantOK(h.t.(*testing.T), "SetUserPoolMfaConfig", h.call("SetUserPoolMfaConfig", m{"UserPoolId": demoPool, "MfaConfiguration": "OPTIONAL",
		"SmsMfaConfiguration": sms}, true))
}

func TestMFAMessagesDefaultTemplateAndTrigger(t *testing.T) {
	h, fl := triggerHarness(t)
	h.setMfaConfig(m{})
	if got := h.smsMFASignIn("mia"); got.Message != "Your authentication code is "+got.Code+". " || got.Subject != "" {
		t.Fatalf("SMS MFA message without a template = %+v; want Cognito's default", got)
	}
	h.setMfaConfig(m{"SmsAuthenticationMessage": "Sign-in code {####} for you"})
	if got := h.smsMFASignIn("max"); got.Message != "Sign-in code "+got.Code+" for you" {
		t.Fatalf("SMS MFA message = %+v; want the pool's SmsAuthenticationMessage", got)
	}

	h.setTriggers(lambdaConfigType{CustomMessage: lambdaARN + "message"})
	text := "Your {####} from the trigger"
	fl.set("message", func(ev map[string]any) (map[string]any, string) {
		return map[string]any{"smsMessage": text, "emailMessage": "unused {####}", "emailSubject": "unused"}, ""
	})
	got := h.smsMFASignIn("mo")
	if got.Message != "Your "+got.Code+" from the trigger" || got.Subject != "" {
		t.Fatalf("SMS MFA message with CustomMessage = %+v", got)
	}
	calls := fl.calls("message")
	ev := calls[len(calls)-1].event
	req := ev["request"].(map[string]any)
	if ev["triggerSource"] != "CustomMessage_Authentication" || ev["userName"] != "mo" ||
		ev["callerContext"].(map[string]any)["clientId"] != demoClient || req["codeParameter"] != "{####}" ||
		req["usernameParameter"] != nil || req["userAttributes"].(map[string]any)["phone_number"] != "+15555550142" {
		t.Fatalf("CustomMessage_Authentication event = %s", calls[len(calls)-1].raw)
	}
	text = "no code here"
	if got := h.smsMFASignIn("moe"); got.Message != "Sign-in code "+got.Code+" for you" {
		t.Fatalf("SMS MFA message from a trigger text without the code = %+v; want the pool's template", got)
	}
	fl.set("message", func(map[string]any) (map[string]any, string) { return nil, "down" })
	h.admin("AdminCreateUser", m{"UserPoolId": demoPool, "Username": "mae", "MessageAction": "SUPPRESS",
		"UserAttributes": []m{{"Name": "phone_number", "Value": "+15555550143"}, {"Name": "phone_number_verified", "Value": "true"}}})
	h.admin("AdminSetUserPassword", m{"UserPoolId": demoPool, "Username": "mae", "Password": newPass, "Permanent": true})
	h.admin("AdminSetUserMFAPreference", m{"UserPoolId": demoPool, "Username": "mae", "SMSMfaSettings": m{"Enabled": true}})
	wantErr(t, "sign-in with a failing CustomMessage", h.passwordAuth(demoClient, map[string]string{"USERNAME": "mae", "PASSWORD": newPass}),
		"UserLambdaValidationException", "CustomMessage failed with error down.")
}

func TestAccountCodeDefaultMessage(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(m{"AutoVerifiedAttributes": []string{"email"}}, nil)
	wantOK(t, "SignUp", h.call("SignUp", m{"ClientId": client, "Username": "ned", "Password": newPass,
		"UserAttributes": []m{{"Name": "email", "Value": "ned@example.com"}}}, false))
	_, msgs := h.outbox(pool, "ned")
	if got := msgs[0]; got.Message != "Your verification code is "+got.Code+". " || got.Subject != "Your verification code" {
		t.Fatalf("sign-up message = %+v; want Cognito's default words", got)
	}
}

func TestAdminCreateUserInvitation(t *testing.T) {
	h, fl := triggerHarness(t)
	create := func(username string, extra m) outboxMessage {
		t.Helper()
		body := m{"UserPoolId": demoPool, "Username": username,
			"UserAttributes": []m{{"Name": "email", "Value": username + "@example.com"}}}
		for k, v := range extra {
			body[k] = v
		}
		h.admin("AdminCreateUser", body)
		_, msgs := h.outbox(demoPool, username)
		if len(msgs) != 1 {
			t.Fatalf("outbox of %s = %+v; want one invitation", username, msgs)
		}
		return msgs[0]
	}
	got := create("ivy", m{"DesiredDeliveryMediums": []string{"EMAIL"}, "TemporaryPassword": "Temp-Pass1!"})
	if got.Medium != "EMAIL" || got.Destination != "ivy@example.com" || got.Code != "Temp-Pass1!" ||
		got.Message != "Your username is ivy and temporary password is Temp-Pass1!. " || got.Subject != "Your temporary password" {
		t.Fatalf("invitation = %+v", got)
	}
	// A generated temporary password is the one the invitation carries.
	gen := create("ian", m{"DesiredDeliveryMediums": []string{"EMAIL"}})
	if r := h.passwordAuth(demoClient, map[string]string{"USERNAME": "ian", "PASSWORD": gen.Code}); r.str("ChallengeName") != "NEW_PASSWORD_REQUIRED" {
		t.Fatalf("sign-in with the invitation's password = %s", r.raw)
	}
	// SUPPRESS sends nothing; nor does SMS (the default medium) to a user without a number.
	for _, tc := range []struct{ name, action string }{{"ike", "SUPPRESS"}, {"ira", ""}} {
		body := m{"UserPoolId": demoPool, "Username": tc.name, "UserAttributes": []m{{"Name": "email", "Value": tc.name + "@example.com"}}}
		if tc.action != "" {
			body["MessageAction"] = tc.action
		}
		h.admin("AdminCreateUser", body)
		if _, msgs := h.outbox(demoPool, tc.name); len(msgs) != 0 {
			t.Fatalf("outbox of %s = %+v; want none", tc.name, msgs)
		}
	}

	h.setTriggers(lambdaConfigType{CustomMessage: lambdaARN + "message"})
	text := "Hi {username}, use {####}"
	fl.set("message", func(ev map[string]any) (map[string]any, string) {
		return map[string]any{"emailMessage": text, "emailSubject": "Welcome", "smsMessage": "sms {username} {####}"}, ""
	})
	got = create("ida", m{"DesiredDeliveryMediums": []string{"EMAIL"}, "TemporaryPassword": "Temp-Pass2!", "ClientMetadata": m{"app": "x"}})
	if got.Message != "Hi ida, use Temp-Pass2!" || got.Subject != "Welcome" {
		t.Fatalf("invitation with CustomMessage = %+v", got)
	}
	calls := fl.calls("message")
	ev := calls[len(calls)-1].event
	req := ev["request"].(map[string]any)
	if ev["triggerSource"] != "CustomMessage_AdminCreateUser" || req["usernameParameter"] != "{username}" ||
		req["codeParameter"] != "{####}" || req["clientMetadata"].(map[string]any)["app"] != "x" ||
		ev["callerContext"].(map[string]any)["clientId"] != adminClientID {
		t.Fatalf("CustomMessage_AdminCreateUser event = %s", calls[len(calls)-1].raw)
	}
	fl.set("message", func(ev map[string]any) (map[string]any, string) {
		return map[string]any{"emailMessage": text}, "" // no subject: Cognito's
	})
	if got := create("ina", m{"DesiredDeliveryMediums": []string{"EMAIL"}, "TemporaryPassword": "Temp-Pass4!"}); got.Message != "Hi ina, use Temp-Pass4!" || got.Subject != "Your temporary password" {
		t.Fatalf("invitation from a trigger without a subject = %+v; want its text with Cognito's subject", got)
	}
	text = "Hi, use {####}" // no {username}: Cognito's words instead
	if got := create("iris", m{"DesiredDeliveryMediums": []string{"EMAIL"}, "TemporaryPassword": "Temp-Pass3!"}); got.Message != "Your username is iris and temporary password is Temp-Pass3!. " {
		t.Fatalf("invitation from a trigger text without {username} = %+v", got)
	}
}

// TestPoolMessageTemplates: a pool's own verification and invitation words
// (VerificationMessageTemplate, the older EmailVerificationMessage, and
// AdminCreateUserConfig's InviteMessageTemplate) are what its messages say
// when no CustomMessage trigger writes them; AllowAdminCreateUserOnly
// refuses SignUp; UpdateUserPool without them goes back to Cognito's words.
func TestPoolMessageTemplates(t *testing.T) {
	h := newHarness(t, nil)
	pool, client := h.accountPool(m{"AutoVerifiedAttributes": []string{"email"},
		"VerificationMessageTemplate": m{"EmailMessage": "Pool code {####} inside", "EmailSubject": "Pool subject"},
		"AdminCreateUserConfig":       m{"InviteMessageTemplate": m{"EmailMessage": "Hi {username}, use {####}.", "EmailSubject": "Invite"}}}, nil)
	d := h.admin("DescribeUserPool", m{"UserPoolId": pool})
	if d.str("UserPool", "VerificationMessageTemplate", "EmailMessage") != "Pool code {####} inside" ||
		d.str("UserPool", "AdminCreateUserConfig", "InviteMessageTemplate", "EmailSubject") != "Invite" ||
		d.str("UserPool", "VerificationMessageTemplate", "DefaultEmailOption") != "CONFIRM_WITH_CODE" {
		t.Fatalf("DescribeUserPool = %s", d.raw)
	}
	wantOK(t, "SignUp", h.call("SignUp", m{"ClientId": client, "Username": "tess", "Password": newPass,
		"UserAttributes": []m{{"Name": "email", "Value": "tess@example.com"}}}, false))
	_, msgs := h.outbox(pool, "tess")
	if got := msgs[0]; got.Message != "Pool code "+got.Code+" inside" || got.Subject != "Pool subject" {
		t.Fatalf("sign-up message = %+v; want the pool's template", got)
	}
	h.admin("AdminCreateUser", m{"UserPoolId": pool, "Username": "tom", "TemporaryPassword": "Temp-Pass1!", "DesiredDeliveryMediums": []string{"EMAIL"},
		"UserAttributes": []m{{"Name": "email", "Value": "tom@example.com"}}})
	if _, msgs := h.outbox(pool, "tom"); len(msgs) != 1 || msgs[0].Message != "Hi tom, use Temp-Pass1!." || msgs[0].Subject != "Invite" {
		t.Fatalf("invitation = %+v; want the pool's template", msgs)
	}

	// The older top-level member, and AllowAdminCreateUserOnly.
	wantOK(t, "UpdateUserPool", h.admin("UpdateUserPool", m{"UserPoolId": pool, "AutoVerifiedAttributes": []string{"email"},
		"EmailVerificationMessage": "Old style {####}", "AdminCreateUserConfig": m{"AllowAdminCreateUserOnly": true}}))
	wantErr(t, "SignUp in an admin-only pool", h.call("SignUp", m{"ClientId": client, "Username": "una", "Password": newPass}, false),
		"NotAuthorizedException", "SignUp is not permitted for this user pool")
	wantOK(t, "ResendConfirmationCode", h.call("ResendConfirmationCode", m{"ClientId": client, "Username": "tess"}, false))
	if _, msgs := h.outbox(pool, "tess"); msgs[len(msgs)-1].Message != "Old style "+msgs[len(msgs)-1].Code || msgs[len(msgs)-1].Subject != "Your verification code" {
		t.Fatalf("resent message = %+v; want EmailVerificationMessage and the default subject", msgs[len(msgs)-1])
	}

	// UpdateUserPool without them: Cognito's words, sign-up open again.
	wantOK(t, "UpdateUserPool", h.admin("UpdateUserPool", m{"UserPoolId": pool, "AutoVerifiedAttributes": []string{"email"}}))
	wantOK(t, "ResendConfirmationCode", h.call("ResendConfirmationCode", m{"ClientId": client, "Username": "tess"}, false))
	if _, msgs := h.outbox(pool, "tess"); msgs[len(msgs)-1].Message != "Your verification code is "+msgs[len(msgs)-1].Code+". " {
		t.Fatalf("message after the templates were removed = %+v", msgs[len(msgs)-1])
	}
	wantOK(t, "SignUp after AllowAdminCreateUserOnly was removed", h.call("SignUp", m{"ClientId": client, "Username": "una", "Password": newPass}, false))

	wantErr(t, "a template without the code", h.call("UpdateUserPool", m{"UserPoolId": pool, "SmsVerificationMessage": "no code here"}, true),
		"InvalidParameterException", "1 validation error detected: Value at 'smsVerificationMessage' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\{####\\}.*")
}

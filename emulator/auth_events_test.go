package emulator

import (
	"testing"
)

func TestAdminListUserAuthEvents(t *testing.T) {
	h := demoHarness(t)
	list := func(extra m) response {
		t.Helper()
		body := m{"UserPoolId": demoPool, "Username": demoUser}
		for k, v := range extra {
			body[k] = v
		}
		return h.admin("AdminListUserAuthEvents", body)
	}
	// Threat protection off (the default): refused, as Cognito does.
	r := h.call("AdminListUserAuthEvents", m{"UserPoolId": demoPool, "Username": demoUser}, true)
	wantErr(t, "without threat protection", r, "UserPoolAddOnNotEnabledException", "Threat protection is not enabled for this user pool.")
	h.passwordAuth(demoClient, map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass}) // not recorded: OFF

	wantOK(t, "UpdateUserPool", h.admin("UpdateUserPool", m{"UserPoolId": demoPool, "UserPoolAddOns": m{"AdvancedSecurityMode": "AUDIT"}}))
	if got := h.admin("DescribeUserPool", m{"UserPoolId": demoPool}).str("UserPool", "UserPoolAddOns", "AdvancedSecurityMode"); got != "AUDIT" {
		t.Fatalf("DescribeUserPool AdvancedSecurityMode = %q", got)
	}
	if ev := list(nil).body["AuthEvents"].([]any); len(ev) != 0 {
		t.Fatalf("events before any sign-in under AUDIT = %v", ev)
	}
	h.wantTokens(h.passwordAuth(demoClient, map[string]string{"USERNAME": demoUser, "PASSWORD": demoPass}))
	h.clock.Advance(1e9)
	wantErr(t, "wrong password", h.passwordAuth(demoClient, map[string]string{"USERNAME": demoUser, "PASSWORD": "Wrong-pass1!"}),
		"NotAuthorizedException", "Incorrect username or password.")
	h.clock.Advance(1e9)
	h.wantTokens(h.srpSignIn(demoPool, demoClient, demoUser, demoPass))

	events := list(nil).body["AuthEvents"].([]any)
	if len(events) != 3 {
		t.Fatalf("AuthEvents = %v; want 3", events)
	}
	var responses []string
	for _, e := range events {
		ev := e.(map[string]any)
		responses = append(responses, ev["EventResponse"].(string))
		cr := ev["ChallengeResponses"].([]any)[0].(map[string]any)
		want := map[string]string{"Pass": "Success", "Fail": "Failure"}[ev["EventResponse"].(string)]
		if ev["EventType"] != "SignIn" || cr["ChallengeName"] != "Password" || cr["ChallengeResponse"] != want ||
			ev["EventRisk"].(map[string]any)["RiskDecision"] != "NoRisk" || ev["EventId"] == "" {
			t.Errorf("event = %v", ev)
		}
	}
	if responses[0] != "Pass" || responses[1] != "Fail" || responses[2] != "Pass" {
		t.Errorf("EventResponse newest first = %v; want Pass, Fail, Pass", responses)
	}
	if first, last := events[0].(map[string]any)["CreationDate"].(float64), events[2].(map[string]any)["CreationDate"].(float64); first != last+2 {
		t.Errorf("CreationDate newest %v, oldest %v; want 2 s apart, newest first", first, last)
	}

	// Pages.
	page := list(m{"MaxResults": 2})
	if n := len(page.body["AuthEvents"].([]any)); n != 2 || page.str("NextToken") == "" {
		t.Fatalf("first page = %s", page.raw)
	}
	rest := list(m{"MaxResults": 2, "NextToken": page.str("NextToken")})
	if n := len(rest.body["AuthEvents"].([]any)); n != 1 || rest.str("NextToken") != "" {
		t.Fatalf("second page = %s", rest.raw)
	}
	wantErr(t, "a made-up NextToken", h.call("AdminListUserAuthEvents", m{"UserPoolId": demoPool, "Username": demoUser, "NextToken": "nope"}, true),
		"InvalidParameterException", "Invalid NextToken.")
	wantErr(t, "an unknown user", h.call("AdminListUserAuthEvents", m{"UserPoolId": demoPool, "Username": "nobody"}, true),
		"UserNotFoundException", "User does not exist.")
	wantErr(t, "a bad mode", h.call("UpdateUserPool", m{"UserPoolId": demoPool, "UserPoolAddOns": m{"AdvancedSecurityMode": "MAX"}}, true),
		"InvalidParameterException", "1 validation error detected: Value 'MAX' at 'userPoolAddOns.advancedSecurityMode' failed to satisfy constraint: Member must satisfy enum value set: [OFF, AUDIT, ENFORCED]")

	// UpdateUserPool without UserPoolAddOns turns it off again.
	wantOK(t, "UpdateUserPool", h.admin("UpdateUserPool", m{"UserPoolId": demoPool}))
	wantErr(t, "after turning it off", h.call("AdminListUserAuthEvents", m{"UserPoolId": demoPool, "Username": demoUser}, true),
		"UserPoolAddOnNotEnabledException", "Threat protection is not enabled for this user pool.")
}

func TestAuthEventLogIsBounded(t *testing.T) {
	var l authEventLog
	for i := range maxUserAuthEvents + 5 {
		l.add("u", authEventRecord{EventId: string(rune('A' + i))})
	}
	got := l.list("u")
	if len(got) != maxUserAuthEvents || got[0].EventId != string(rune('A'+maxUserAuthEvents+4)) {
		t.Fatalf("kept %d events, newest %q", len(got), got[0].EventId)
	}
	for i := range maxAuthEventUsers + 3 {
		l.add(string(rune(i+1000)), authEventRecord{})
	}
	if n := len(l.byUser); n > maxAuthEventUsers {
		t.Fatalf("%d users kept; want at most %d", n, maxAuthEventUsers)
	}
}

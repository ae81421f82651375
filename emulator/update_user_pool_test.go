package emulator

import (
	"net/http"
	"testing"
)

func TestUpdateUserPoolReplacesSettings(t *testing.T) {
	h, fl := triggerHarness(t)
	fl.set("pre", func(map[string]any) (map[string]any, string) { return nil, "Closed for maintenance" })
	r := h.call("UpdateUserPool", m{"UserPoolId": demoPool, "LambdaConfig": m{"PreAuthentication": lambdaARN + "pre"},
		"Policies":               m{"PasswordPolicy": m{"MinimumLength": 12}, "SignInPolicy": m{"AllowedFirstAuthFactors": []string{"PASSWORD", "EMAIL_OTP"}}},
		"AutoVerifiedAttributes": []string{"email"}}, true)
	if r.status != http.StatusOK || len(r.body) != 0 {
		t.Fatalf("UpdateUserPool = %d %s", r.status, r.raw)
	}
	h.wantError(h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}),
		"UserLambdaValidationException", "PreAuthentication failed with error Closed for maintenance.")
	pool := h.admin("DescribeUserPool", m{"UserPoolId": demoPool}).body["UserPool"].(map[string]any)
	if pool["Name"] != "demo" || pool["LambdaConfig"].(map[string]any)["PreAuthentication"] != lambdaARN+"pre" ||
		pool["Policies"].(map[string]any)["PasswordPolicy"].(map[string]any)["MinimumLength"] != float64(12) {
		t.Fatalf("pool = %v", pool)
	}

	// Left out, a setting goes back to its default: no trigger, the default policy.
	r = h.call("UpdateUserPool", m{"UserPoolId": demoPool, "PoolName": "renamed"}, true)
	if r.status != http.StatusOK {
		t.Fatalf("UpdateUserPool = %d %s", r.status, r.raw)
	}
	h.wantTokens(h.passwordAuth(demoClient, map[string]string{"USERNAME": "alice", "PASSWORD": demoPass}))
	pool = h.admin("DescribeUserPool", m{"UserPoolId": demoPool}).body["UserPool"].(map[string]any)
	if pool["Name"] != "renamed" || len(pool["LambdaConfig"].(map[string]any)) != 0 ||
		pool["Policies"].(map[string]any)["PasswordPolicy"].(map[string]any)["MinimumLength"] != float64(8) {
		t.Fatalf("pool = %v", pool)
	}
}

func TestUpdateUserPoolRefusals(t *testing.T) {
	h := demoHarness(t)
	for _, tc := range []struct {
		name      string
		body      m
		typ, want string
	}{
		{"unknown pool", m{"UserPoolId": "us-east-1_nothere1"}, "ResourceNotFoundException", "User pool us-east-1_nothere1 does not exist."},
		{"bad ARN", m{"UserPoolId": demoPool, "LambdaConfig": m{"DefineAuthChallenge": "lambda:define"}}, "InvalidParameterException",
			"2 validation errors detected: Value at 'lambdaConfig.defineAuthChallenge' failed to satisfy constraint: Member must have length greater than or equal to 20; " +
				`Value 'lambda:define' at 'lambdaConfig.defineAuthChallenge' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`},
		{"MFA without a factor", m{"UserPoolId": demoPool, "MfaConfiguration": "ON"}, "InvalidParameterException",
			"Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."},
		{"short password policy", m{"UserPoolId": demoPool, "Policies": m{"PasswordPolicy": m{"MinimumLength": 4}}}, "InvalidParameterException",
			"1 validation error detected: Value '4' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value between 6 and 99"},
		{"unknown first factor", m{"UserPoolId": demoPool, "Policies": m{"SignInPolicy": m{"AllowedFirstAuthFactors": []string{"PASSWORD", "CARRIER_PIGEON"}}}}, "InvalidParameterException",
			"1 validation error detected: Value 'CARRIER_PIGEON' at 'policies.signInPolicy.allowedFirstAuthFactors.2.member' failed to satisfy constraint: Member must satisfy enum value set: [PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sub := *h
			sub.t = t
			sub.wantError(sub.call("UpdateUserPool", tc.body, true), tc.typ, tc.want)
		})
	}
	h.wantError(h.call("UpdateUserPool", m{"UserPoolId": demoPool}, false), "MissingAuthenticationTokenException", "Missing Authentication Token")
}

func TestUpdateUserPoolMFA(t *testing.T) {
	h := demoHarness(t)
	r := h.call("UpdateUserPool", m{"UserPoolId": demoPool, "MfaConfiguration": "OPTIONAL", "AutoVerifiedAttributes": []string{"phone_number"},
		"SmsConfiguration": m{"SnsCallerArn": "arn:aws:iam::123456789012:role/sns"}}, true)
	if r.status != http.StatusOK {
		t.Fatalf("UpdateUserPool = %d %s", r.status, r.raw)
	}
	cfg := h.admin("GetUserPoolMfaConfig", m{"UserPoolId": demoPool})
	if cfg.str("MfaConfiguration") != "OPTIONAL" || cfg.body["SmsMfaConfiguration"] == nil {
		t.Fatalf("GetUserPoolMfaConfig = %s", cfg.raw)
	}
	// Left out, MFA goes back to OFF.
	h.call("UpdateUserPool", m{"UserPoolId": demoPool}, true)
	if cfg := h.admin("GetUserPoolMfaConfig", m{"UserPoolId": demoPool}); cfg.str("MfaConfiguration") != "OFF" {
		t.Fatalf("GetUserPoolMfaConfig = %s", cfg.raw)
	}
}

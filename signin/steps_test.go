//go:build !(js && wasm)

package signin

import (
	"reflect"
	"testing"
)

// TestNextStepMapping: each challenge that needs a person maps to Amplify's
// step with its parameters parsed as Amplify parses them.
func TestNextStepMapping(t *testing.T) {
	delivery := map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******0100"}
	tests := []struct {
		r    reply
		want NextStep
	}{
		{reply{challenge: "SMS_MFA", params: delivery}, NextStep{SignInStep: StepSMSCode, CodeDeliveryDetails: &CodeDeliveryDetails{DeliveryMedium: "SMS", Destination: "+*******0100"}}},
		{reply{challenge: "SMS_OTP", params: delivery}, NextStep{SignInStep: StepSMSCode, CodeDeliveryDetails: &CodeDeliveryDetails{DeliveryMedium: "SMS", Destination: "+*******0100"}}},
		{reply{challenge: "EMAIL_OTP", params: map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "a***@e***"}},
			NextStep{SignInStep: StepEmailCode, CodeDeliveryDetails: &CodeDeliveryDetails{DeliveryMedium: "EMAIL", Destination: "a***@e***"}}},
		{reply{challenge: "SOFTWARE_TOKEN_MFA", params: map[string]string{}}, NextStep{SignInStep: StepTOTPCode}},
		{reply{challenge: "SELECT_MFA_TYPE", params: map[string]string{"MFAS_CAN_CHOOSE": `["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP","FUTURE_MFA"]`}},
			NextStep{SignInStep: StepMFASelection, AllowedMFATypes: []string{"SMS", "TOTP", "EMAIL"}}},
		{reply{challenge: "NEW_PASSWORD_REQUIRED", params: map[string]string{"requiredAttributes": `["userAttributes.name","userAttributes.family_name"]`}},
			NextStep{SignInStep: StepNewPasswordRequired, MissingAttributes: []string{"name", "family_name"}}},
		{reply{challenge: "CUSTOM_CHALLENGE", params: map[string]string{"question": "2+2?"}},
			NextStep{SignInStep: StepCustomChallenge, AdditionalInfo: map[string]string{"question": "2+2?"}}},
		{reply{challenge: "SELECT_CHALLENGE", params: map[string]string{}, available: []string{"PASSWORD", "EMAIL_OTP"}},
			NextStep{SignInStep: StepFirstFactorSelection, AvailableChallenges: []string{"PASSWORD", "EMAIL_OTP"}}},
	}
	for _, tt := range tests {
		t.Run(tt.r.challenge, func(t *testing.T) {
			got, err := nextStep(&tt.r)
			tt.want.ChallengeName, tt.want.ChallengeParameters = tt.r.challenge, tt.r.params
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("nextStep(%+v) = %+v, %v; want %+v", tt.r, got, err, tt.want)
			}
		})
	}
	for _, bad := range []reply{
		{challenge: "SELECT_MFA_TYPE", params: map[string]string{"MFAS_CAN_CHOOSE": "SMS_MFA"}},
		{challenge: "NEW_PASSWORD_REQUIRED", params: map[string]string{"requiredAttributes": "{"}},
		{challenge: "SOMETHING_NEW", params: map[string]string{}},
	} {
		if got, err := nextStep(&bad); err == nil {
			t.Errorf("nextStep(%+v) = %+v; want a ServerError", bad, got)
		} else if code, _ := apiCode(err); code != CodeInvalidServerResponse {
			t.Errorf("nextStep(%+v) error %v; want %s", bad, err, CodeInvalidServerResponse)
		}
	}
}

func TestSetupURI(t *testing.T) {
	d := &TOTPSetupDetails{SharedSecret: "JBSWY3DPEHPK3PXP", AccountName: "alice"}
	for _, tt := range []struct{ app, account, want string }{
		{"MyApp", "", "otpauth://totp/MyApp:alice?issuer=MyApp&secret=JBSWY3DPEHPK3PXP"},
		{"My App", "a@b.c", "otpauth://totp/My%20App:a@b.c?issuer=My+App&secret=JBSWY3DPEHPK3PXP"},
	} {
		if got := d.SetupURI(tt.app, tt.account); got != tt.want {
			t.Errorf("SetupURI(%q, %q) = %q; want %q", tt.app, tt.account, got, tt.want)
		}
	}
}

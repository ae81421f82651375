package signin

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// Amplify JS v6's signInStep values.
const (
	StepDone                 = "DONE"
	StepSMSCode              = "CONFIRM_SIGN_IN_WITH_SMS_CODE"
	StepTOTPCode             = "CONFIRM_SIGN_IN_WITH_TOTP_CODE"
	StepEmailCode            = "CONFIRM_SIGN_IN_WITH_EMAIL_CODE"
	StepMFASelection         = "CONTINUE_SIGN_IN_WITH_MFA_SELECTION"
	StepMFASetupSelection    = "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION"
	StepTOTPSetup            = "CONTINUE_SIGN_IN_WITH_TOTP_SETUP"
	StepEmailSetup           = "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP"
	StepFirstFactorSelection = "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION"
	StepConfirmPassword      = "CONFIRM_SIGN_IN_WITH_PASSWORD"
	StepNewPasswordRequired  = "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED"
	StepCustomChallenge      = "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE"
	StepConfirmSignUp        = "CONFIRM_SIGN_UP"
	StepResetPassword        = "RESET_PASSWORD"
)

// NextStep says what the person must do next, with the challenge's
// parameters parsed as Amplify parses them.
type NextStep struct {
	SignInStep          string
	CodeDeliveryDetails *CodeDeliveryDetails // SMS and email codes: where the code went
	AllowedMFATypes     []string             // "SMS" | "TOTP" | "EMAIL"
	TOTPSetupDetails    *TOTPSetupDetails
	MissingAttributes   []string          // NEW_PASSWORD_REQUIRED's required attributes, prefix removed
	AdditionalInfo      map[string]string // CUSTOM_CHALLENGE's parameters
	AvailableChallenges []string          // first-factor choices
	// CredentialRequestOptions (StepWebAuthn) is the JSON for navigator.credentials.get, binary members base64url.
	CredentialRequestOptions string
	// The raw challenge, for the curious.
	ChallengeName       string
	ChallengeParameters map[string]string
}

// CodeDeliveryDetails says where Cognito sent a code.
type CodeDeliveryDetails struct {
	DeliveryMedium string // "SMS" | "EMAIL"
	Destination    string // masked, e.g. "+*******0100"
	AttributeName  string
}

// TOTPSetupDetails carries the secret an authenticator app needs.
type TOTPSetupDetails struct {
	SharedSecret string
	AccountName  string // the username, SetupURI's default account name
}

// SetupURI is the otpauth:// URI authenticator apps read from a QR code.
// accountName defaults to the username.
func (d *TOTPSetupDetails) SetupURI(appName, accountName string) string {
	if accountName == "" {
		accountName = d.AccountName
	}
	return TOTPSetupURI(d.SharedSecret, appName, accountName)
}

// TOTPSetupURI is the otpauth:// URI (Google Authenticator's key URI
// format) for a shared secret, labelled appName:accountName.
func TOTPSetupURI(secret, appName, accountName string) string {
	label := url.PathEscape(appName) + ":" + url.PathEscape(accountName)
	q := url.Values{"secret": {secret}, "issuer": {appName}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// nextStep maps a challenge that needs a person to Amplify's step.
func nextStep(r *reply) (NextStep, error) {
	p := r.params
	ns := NextStep{ChallengeName: r.challenge, ChallengeParameters: p}
	delivery := func() *CodeDeliveryDetails {
		if p["CODE_DELIVERY_DELIVERY_MEDIUM"] == "" && p["CODE_DELIVERY_DESTINATION"] == "" {
			return nil
		}
		return &CodeDeliveryDetails{DeliveryMedium: p["CODE_DELIVERY_DELIVERY_MEDIUM"], Destination: p["CODE_DELIVERY_DESTINATION"]}
	}
	switch r.challenge {
	case "SMS_MFA", "SMS_OTP":
		ns.SignInStep, ns.CodeDeliveryDetails = StepSMSCode, delivery()
	case "EMAIL_OTP":
		ns.SignInStep, ns.CodeDeliveryDetails = StepEmailCode, delivery()
	case "SOFTWARE_TOKEN_MFA":
		ns.SignInStep = StepTOTPCode
	case "SELECT_MFA_TYPE":
		types, err := mfaTypes(r.challenge, p["MFAS_CAN_CHOOSE"])
		if err != nil {
			return ns, err
		}
		ns.SignInStep, ns.AllowedMFATypes = StepMFASelection, types
	case "NEW_PASSWORD_REQUIRED":
		ns.SignInStep = StepNewPasswordRequired
		if raw := p["requiredAttributes"]; raw != "" {
			var attrs []string
			ns.MissingAttributes = []string{}
			if err := json.Unmarshal([]byte(raw), &attrs); err != nil {
				return ns, &ServerError{Challenge: r.challenge, Err: fmt.Errorf("requiredAttributes is not a JSON list of names: %v", err)}
			}
			for _, a := range attrs {
				ns.MissingAttributes = append(ns.MissingAttributes, strings.TrimPrefix(a, "userAttributes."))
			}
		}
	case "CUSTOM_CHALLENGE":
		ns.SignInStep, ns.AdditionalInfo = StepCustomChallenge, p
	case ChallengeSelectFirst:
		ns.SignInStep, ns.AvailableChallenges = StepFirstFactorSelection, r.available
	case ChallengeWebAuthn:
		return ns, webAuthnStep(&ns, p)
	default:
		return ns, &ServerError{Challenge: r.challenge, Err: errString("the engine does not know this challenge")}
	}
	return ns, nil
}

// mfaTypes parses a JSON list of Cognito MFA names into Amplify's names,
// dropping names Amplify has none for.
func mfaTypes(challenge, raw string) ([]string, error) {
	if raw == "" {
		return nil, nil
	}
	var names []string
	if err := json.Unmarshal([]byte(raw), &names); err != nil {
		return nil, &ServerError{Challenge: challenge, Err: fmt.Errorf("MFA list %q is not a JSON list of names", raw)}
	}
	out := []string{}
	for _, n := range names {
		for amplify, cognito := range mfaChallenge {
			if n == cognito {
				out = append(out, amplify)
			}
		}
	}
	return out, nil
}

// setupTypes is MFAS_CAN_SETUP's types that can be set up during sign-in
// (TOTP and email; SMS needs a verified phone number first).
func setupTypes(raw string) ([]string, error) {
	all, err := mfaTypes(ChallengeMFASetup, raw)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, t := range all {
		if t == "TOTP" || t == "EMAIL" {
			out = append(out, t)
		}
	}
	return out, nil
}

package lambda

import "encoding/json"

// Trigger names, as Cognito's LambdaConfig and its error messages spell them.
const (
	DefineAuthChallenge         = "DefineAuthChallenge"
	CreateAuthChallenge         = "CreateAuthChallenge"
	VerifyAuthChallengeResponse = "VerifyAuthChallengeResponse"
	PreAuthentication           = "PreAuthentication"
	PostAuthentication          = "PostAuthentication"
	PreSignUp                   = "PreSignUp"
	PostConfirmation            = "PostConfirmation"
	UserMigration               = "UserMigration"
	CustomMessage               = "CustomMessage"
	PreTokenGeneration          = "PreTokenGeneration"
)

// Caller is what every trigger event carries about who is signing in where:
// the common parameters Cognito adds to all trigger requests.
type Caller struct {
	Region     string
	UserPoolID string
	UserName   string
	ClientID   string
	// SDKVersion is callerContext.awsSdkVersion; empty sends Cognito's
	// "aws-sdk-unknown-unknown".
	SDKVersion string
}

// ChallengeResult is one entry of a custom-auth session: a challenge the
// user was given in this sign-in and whether they passed it.
type ChallengeResult struct {
	ChallengeName     string
	ChallengeResult   bool
	ChallengeMetadata string // sent as null when empty, as Cognito does
}

// MarshalJSON writes the entry as Cognito does, challengeMetadata null when unset.
func (c ChallengeResult) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ChallengeName     string  `json:"challengeName"`
		ChallengeResult   bool    `json:"challengeResult"`
		ChallengeMetadata *string `json:"challengeMetadata"`
	}{c.ChallengeName, c.ChallengeResult, nullable(c.ChallengeMetadata)})
}

// DefineAuthChallengeRequest is request{} of DefineAuthChallenge_Authentication.
type DefineAuthChallengeRequest struct {
	UserAttributes map[string]string
	Session        []ChallengeResult
	ClientMetadata map[string]string // omitted when nil
	UserNotFound   bool
}

// DefineAuthChallengeResponse is the trigger's decision. Exactly one outcome
// holds: IssueTokens, FailAuthentication, or a next ChallengeName.
type DefineAuthChallengeResponse struct {
	ChallengeName      string
	IssueTokens        bool
	FailAuthentication bool
}

// CreateAuthChallengeRequest is request{} of CreateAuthChallenge_Authentication.
type CreateAuthChallengeRequest struct {
	UserAttributes map[string]string
	ChallengeName  string
	Session        []ChallengeResult
	ClientMetadata map[string]string
	UserNotFound   bool
}

// CreateAuthChallengeResponse is the challenge the trigger made: public
// parameters go to the client, private ones only to the verify trigger.
type CreateAuthChallengeResponse struct {
	PublicChallengeParameters  map[string]string
	PrivateChallengeParameters map[string]string
	ChallengeMetadata          string
}

// VerifyAuthChallengeRequest is request{} of VerifyAuthChallengeResponse_Authentication.
type VerifyAuthChallengeRequest struct {
	UserAttributes             map[string]string
	PrivateChallengeParameters map[string]string
	ChallengeAnswer            string
	ClientMetadata             map[string]string
	UserNotFound               bool
}

// PreAuthenticationRequest is request{} of PreAuthentication_Authentication.
// ValidationData carries the ClientMetadata of InitiateAuth.
type PreAuthenticationRequest struct {
	UserAttributes map[string]string
	ValidationData map[string]string
	UserNotFound   bool
}

// PostAuthenticationRequest is request{} of PostAuthentication_Authentication.
type PostAuthenticationRequest struct {
	UserAttributes map[string]string
	NewDeviceUsed  bool
	ClientMetadata map[string]string
}

// PreSignUpRequest is request{} of PreSignUp_SignUp: the attributes the
// user signs up with, SignUp's ValidationData and ClientMetadata.
type PreSignUpRequest struct {
	UserAttributes map[string]string
	ValidationData map[string]string
	ClientMetadata map[string]string
}

// PreSignUpResponse is what the trigger decided for the new user.
type PreSignUpResponse struct {
	AutoConfirmUser bool
	AutoVerifyEmail bool
	AutoVerifyPhone bool
}

// PostConfirmationRequest is request{} of PostConfirmation_ConfirmSignUp
// and PostConfirmation_ConfirmForgotPassword.
type PostConfirmationRequest struct {
	UserAttributes map[string]string
	ClientMetadata map[string]string
}

// UserMigrationRequest is request{} of UserMigration_Authentication (with
// the password the user typed) and UserMigration_ForgotPassword (without).
type UserMigrationRequest struct {
	Password       string
	ValidationData map[string]string
	ClientMetadata map[string]string
}

// UserMigrationResponse is the user the trigger found elsewhere.
type UserMigrationResponse struct {
	UserAttributes     map[string]string
	FinalUserStatus    string // CONFIRMED or RESET_REQUIRED; empty: CONFIRMED
	MessageAction      string
	ForceAliasCreation bool
}

// CustomMessageRequest is request{} of CustomMessage_SignUp, _ResendCode,
// _ForgotPassword, _UpdateUserAttribute, _VerifyUserAttribute,
// _Authentication and _AdminCreateUser. UsernameParameter is the
// username's placeholder, set for _AdminCreateUser only (null otherwise).
type CustomMessageRequest struct {
	UserAttributes    map[string]string
	ClientMetadata    map[string]string
	UsernameParameter string
}

// CustomMessageResponse is the message the trigger wrote, with the
// code's placeholder ({####}) where the code goes; empty keeps Cognito's.
type CustomMessageResponse struct {
	SMSMessage   string
	EmailMessage string
	EmailSubject string
}

// GroupConfiguration is the user's groups as the tokens would carry them:
// request.groupConfiguration, and the shape of groupOverrideDetails.
type GroupConfiguration struct {
	GroupsToOverride   []string `json:"groupsToOverride"`
	IAMRolesToOverride []string `json:"iamRolesToOverride"`
	PreferredRole      *string  `json:"preferredRole"`
}

// PreTokenGenerationRequest is request{} of TokenGeneration_*. Version is
// the event's version: "1" (V1_0, id token only), "2" or "3" (V2_0 and
// V3_0, which add the access token and its scopes).
type PreTokenGenerationRequest struct {
	Version        string
	UserAttributes map[string]string
	Groups         GroupConfiguration
	Scopes         []string // V2_0 and V3_0 only
	ClientMetadata map[string]string
}

// TokenClaimsOverride is one token's claimsToAddOrOverride and
// claimsToSuppress, with the access token's scopes.
type TokenClaimsOverride struct {
	ClaimsToAddOrOverride map[string]any
	ClaimsToSuppress      []string
	ScopesToAdd           []string
	ScopesToSuppress      []string
}

// PreTokenGenerationResponse is what the trigger changes: the id token's
// claims, the access token's (V2_0 and V3_0 only) and the groups both carry
// (nil keeps them).
type PreTokenGenerationResponse struct {
	ID     TokenClaimsOverride
	Access TokenClaimsOverride
	Groups *GroupConfiguration
}

// CodeParameter is the placeholder CustomMessage puts where the code goes.
const CodeParameter = "{####}"

// event is the whole JSON document a trigger receives, members in
// Cognito's order.
type event struct {
	Version       string        `json:"version"`
	Region        string        `json:"region"`
	UserPoolID    string        `json:"userPoolId"`
	UserName      string        `json:"userName"`
	CallerContext callerContext `json:"callerContext"`
	TriggerSource string        `json:"triggerSource"`
	Request       any           `json:"request"`
	Response      any           `json:"response"`
}

type callerContext struct {
	AWSSDKVersion string `json:"awsSdkVersion"`
	ClientID      string `json:"clientId"`
}

func newEvent(trigger string, c Caller, req, resp any) event {
	return newEventFrom(trigger, trigger+"_Authentication", c, req, resp)
}

// newEventFrom is newEvent for triggers whose triggerSource names the
// operation that ran them (PreSignUp_SignUp, PostConfirmation_ConfirmForgotPassword).
func newEventFrom(trigger, source string, c Caller, req, resp any) event {
	sdk := c.SDKVersion
	if sdk == "" {
		sdk = "aws-sdk-unknown-unknown"
	}
	return event{
		Version:       "1",
		Region:        c.Region,
		UserPoolID:    c.UserPoolID,
		UserName:      c.UserName,
		CallerContext: callerContext{AWSSDKVersion: sdk, ClientID: c.ClientID},
		TriggerSource: source,
		Request:       req,
		Response:      resp,
	}
}

// The wire forms of each request: maps never null, members named as Cognito names them.

type defineRequestWire struct {
	UserAttributes map[string]string `json:"userAttributes"`
	Session        []ChallengeResult `json:"session"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound   bool              `json:"userNotFound"`
}

type defineResponseWire struct {
	ChallengeName      *string `json:"challengeName"`
	IssueTokens        *bool   `json:"issueTokens"`
	FailAuthentication *bool   `json:"failAuthentication"`
}

type createRequestWire struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ChallengeName  string            `json:"challengeName"`
	Session        []ChallengeResult `json:"session"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound   bool              `json:"userNotFound"`
}

type createResponseWire struct {
	PublicChallengeParameters  map[string]string `json:"publicChallengeParameters"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeMetadata          *string           `json:"challengeMetadata"`
}

type verifyRequestWire struct {
	UserAttributes             map[string]string `json:"userAttributes"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeAnswer            string            `json:"challengeAnswer"`
	ClientMetadata             map[string]string `json:"clientMetadata,omitempty"`
	UserNotFound               bool              `json:"userNotFound"`
}

type verifyResponseWire struct {
	AnswerCorrect *bool `json:"answerCorrect"`
}

type preAuthRequestWire struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ValidationData map[string]string `json:"validationData,omitempty"`
	UserNotFound   bool              `json:"userNotFound"`
}

type postAuthRequestWire struct {
	UserAttributes map[string]string `json:"userAttributes"`
	NewDeviceUsed  bool              `json:"newDeviceUsed"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

type preSignUpRequestWire struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

type preSignUpResponseWire struct {
	AutoConfirmUser bool `json:"autoConfirmUser"`
	AutoVerifyEmail bool `json:"autoVerifyEmail"`
	AutoVerifyPhone bool `json:"autoVerifyPhone"`
}

type postConfirmationRequestWire struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

type userMigrationRequestWire struct {
	Password       string            `json:"password,omitempty"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata,omitempty"`
}

type userMigrationResponseWire struct {
	UserAttributes     map[string]string `json:"userAttributes"`
	FinalUserStatus    *string           `json:"finalUserStatus"`
	MessageAction      *string           `json:"messageAction"`
	ForceAliasCreation *bool             `json:"forceAliasCreation"`
}

type customMessageRequestWire struct {
	UserAttributes    map[string]string `json:"userAttributes"`
	CodeParameter     string            `json:"codeParameter"`
	LinkParameter     string            `json:"linkParameter"`
	UsernameParameter *string           `json:"usernameParameter"`
	ClientMetadata    map[string]string `json:"clientMetadata,omitempty"`
}

type customMessageResponseWire struct {
	SMSMessage   *string `json:"smsMessage"`
	EmailMessage *string `json:"emailMessage"`
	EmailSubject *string `json:"emailSubject"`
}

type preTokenRequestWire struct {
	UserAttributes     map[string]string  `json:"userAttributes"`
	Scopes             []string           `json:"scopes,omitempty"`
	GroupConfiguration GroupConfiguration `json:"groupConfiguration"`
	ClientMetadata     map[string]string  `json:"clientMetadata,omitempty"`
}

type claimsWire struct {
	ClaimsToAddOrOverride map[string]any `json:"claimsToAddOrOverride"`
	ClaimsToSuppress      []string       `json:"claimsToSuppress"`
	ScopesToAdd           []string       `json:"scopesToAdd"`
	ScopesToSuppress      []string       `json:"scopesToSuppress"`
}

type claimsOverrideV1Wire struct {
	ClaimsToAddOrOverride map[string]any      `json:"claimsToAddOrOverride"`
	ClaimsToSuppress      []string            `json:"claimsToSuppress"`
	GroupOverrideDetails  *GroupConfiguration `json:"groupOverrideDetails"`
}

type claimsOverrideV2Wire struct {
	IDTokenGeneration     *claimsWire         `json:"idTokenGeneration"`
	AccessTokenGeneration *claimsWire         `json:"accessTokenGeneration"`
	GroupOverrideDetails  *GroupConfiguration `json:"groupOverrideDetails"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func orEmptySession(s []ChallengeResult) []ChallengeResult {
	if s == nil {
		return []ChallengeResult{}
	}
	return s
}

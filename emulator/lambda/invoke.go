// Package lambda runs a Cognito user pool's Lambda triggers the way Cognito
// does: it sends Cognito's trigger event JSON through the Lambda Invoke API
// (POST {endpoint}/2015-03-31/functions/{name}/invocations), which is what
// `sam local start-lambda` serves, so people run their real trigger code
// against the emulator. Invocations are SigV4-signed (key "test", the ARN's
// region) for Lambda emulators that read the credential scope (LocalStack).
// Failures come back as *Error carrying the Cognito exception name and
// message the emulator must answer with.
//
// The package never logs: events hold private challenge parameters and
// answers, which must not reach a log.
package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/cognito-wasm/cognito-wasm/emulator/sigv4"
)

// Cognito's exception names for trigger failures.
const (
	// TypeUserLambdaValidation: the function ran and reported an error.
	TypeUserLambdaValidation = "UserLambdaValidationException"
	// TypeInvalidLambdaResponse: the function's output is not JSON or not the trigger's shape.
	TypeInvalidLambdaResponse = "InvalidLambdaResponseException"
	// TypeUnexpectedLambda: the function could not be invoked (unreachable, timed out, refused).
	TypeUnexpectedLambda = "UnexpectedLambdaException"
)

// Error is a trigger failure as Cognito reports it to the API caller:
// Type is the exception name (__type), Message its message.
type Error struct {
	Type    string
	Message string
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// Cognito's wordings.
func errFunction(trigger, msg string) *Error {
	return &Error{TypeUserLambdaValidation, trigger + " failed with error " + msg + "."}
}

func errInvalidJSON() *Error {
	return &Error{TypeInvalidLambdaResponse, "Invalid lambda function output : Invalid JSON"}
}

func errUnrecognizable() *Error {
	return &Error{TypeInvalidLambdaResponse, "Unrecognizable lambda output"}
}

func errInvocation(trigger, cause string) *Error {
	return &Error{TypeUnexpectedLambda, trigger + " invocation failed due to error " + cause + "."}
}

const (
	// DefaultTimeout is how long Cognito waits for a trigger.
	DefaultTimeout = 5 * time.Second
	// MaxResponseBytes bounds what is read of a trigger's answer (Lambda's own
	// synchronous limit is 6 MB; a trigger's answer is a few KiB).
	MaxResponseBytes = 1 << 20
	// maxErrorMessage bounds the function's error message echoed to the caller.
	maxErrorMessage = 1024
	// MaxChallengeBytes bounds what a create trigger's challenge may hold
	// (public and private parameters and metadata together): the emulator
	// keeps it in memory with the session until answered. Real challenges
	// are a few hundred bytes.
	MaxChallengeBytes = 16 << 10
)

// Client invokes trigger functions at one Lambda Invoke API endpoint.
// A nil *Client is valid: every invocation fails with UnexpectedLambdaException,
// which is what a pool with triggers but no -lambda-endpoint gets.
type Client struct {
	base    *url.URL
	http    *http.Client
	timeout time.Duration
}

// New returns a Client for the Invoke API at endpoint (http or https URL,
// e.g. http://127.0.0.1:3001 for sam local start-lambda). httpClient may be
// nil. timeout <= 0 means DefaultTimeout.
func New(endpoint string, httpClient *http.Client, timeout time.Duration) (*Client, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("lambda: endpoint %q is not an http(s) URL without query", endpoint)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if httpClient == nil {
		httpClient = &http.Client{}
	}
	// Never follow redirects: the Invoke API does not send them, and following
	// one would post the event (with private challenge parameters) elsewhere.
	hc := *httpClient
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Client{base: u, http: &hc, timeout: timeout}, nil
}

// functionARN matches arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER].
var functionARN = regexp.MustCompile(`^arn:(aws[a-zA-Z-]*):lambda:([a-z]{2}(?:-[a-z]+)+-\d{1}):(\d{12}):function:([a-zA-Z0-9_-]{1,64})(?::(\$LATEST|[a-zA-Z0-9_-]{1,128}))?$`)

// ParseFunctionARN returns the function name and qualifier (version or
// alias, may be empty) of a Lambda function ARN, as Cognito's LambdaConfig holds.
func ParseFunctionARN(arn string) (name, qualifier string, err error) {
	_, name, qualifier, err = parseARN(arn)
	return name, qualifier, err
}

func parseARN(arn string) (region, name, qualifier string, err error) {
	m := functionARN.FindStringSubmatch(arn)
	if m == nil {
		return "", "", "", fmt.Errorf("lambda: %q is not a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])", arn)
	}
	return m[2], m[4], m[5], nil
}

// invokeCredentials sign the invocations: LocalStack's default key, which
// it maps to its default account; sam local ignores signatures.
var invokeCredentials = sigv4.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}

// invoke posts ev to the function of arn and returns its output, or the
// *Error Cognito would report for trigger.
func (c *Client) invoke(ctx context.Context, trigger, arn string, ev event) ([]byte, error) {
	if c == nil {
		return nil, errInvocation(trigger, "no Lambda endpoint is configured (start the emulator with -lambda-endpoint)")
	}
	region, name, qualifier, err := parseARN(arn)
	if err != nil {
		return nil, errInvocation(trigger, "InvalidParameterValueException")
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, errInvocation(trigger, "the event could not be encoded")
	}
	u := *c.base
	u.Path += "/2015-03-31/functions/" + name + "/invocations"
	if qualifier != "" {
		u.RawQuery = url.Values{"Qualifier": {qualifier}}.Encode()
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, errInvocation(trigger, "the invocation request could not be built")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Amz-Invocation-Type", "RequestResponse")
	req.Header.Set("X-Amz-Log-Type", "None")
	sigv4.Sign(req, body, invokeCredentials, region, "lambda", time.Now())
	resp, err := c.http.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			return nil, errInvocation(trigger, "Socket timeout while invoking Lambda function")
		}
		return nil, errInvocation(trigger, "Lambda endpoint unreachable")
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			return nil, errInvocation(trigger, "Socket timeout while invoking Lambda function")
		}
		return nil, errInvocation(trigger, "the Lambda response could not be read")
	}
	if resp.StatusCode != http.StatusOK {
		return nil, errInvocation(trigger, serviceErrorType(resp, out))
	}
	if len(out) > MaxResponseBytes {
		return nil, &Error{TypeInvalidLambdaResponse, fmt.Sprintf("Invalid lambda function output : larger than %d bytes", MaxResponseBytes)}
	}
	if resp.Header.Get("X-Amz-Function-Error") != "" {
		return nil, errFunction(trigger, functionErrorMessage(out, resp.Header.Get("X-Amz-Function-Error")))
	}
	if !json.Valid(out) {
		return nil, errInvalidJSON()
	}
	return out, nil
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

// serviceErrorType names the Lambda service's refusal (ResourceNotFoundException, ...)
// from X-Amzn-ErrorType (which may carry ":detail") or the JSON body.
func serviceErrorType(resp *http.Response, body []byte) string {
	t := resp.Header.Get("X-Amzn-ErrorType")
	if t == "" {
		var b struct {
			Type  string `json:"__type"`
			Type2 string `json:"Type"`
		}
		if json.Unmarshal(body, &b) == nil {
			t = b.Type
			if t == "" && b.Type2 != "" && b.Type2 != "User" && b.Type2 != "Service" {
				t = b.Type2
			}
		}
	}
	t, _, _ = strings.Cut(t, ":") // "ResourceNotFoundException:http://..."
	if i := strings.LastIndex(t, "#"); i >= 0 {
		t = t[i+1:] // "com.amazonaws.lambda#ResourceNotFoundException"
	}
	t = strings.TrimSpace(t)
	if t == "" || len(t) > 128 {
		return fmt.Sprintf("Lambda endpoint answered HTTP %d", resp.StatusCode)
	}
	return t
}

// functionErrorMessage is the errorMessage of a function error payload
// ({"errorMessage","errorType","stackTrace"}), else its errorType, else the
// X-Amz-Function-Error value (Unhandled/Handled).
func functionErrorMessage(body []byte, header string) string {
	var p struct {
		ErrorMessage any `json:"errorMessage"`
		ErrorType    any `json:"errorType"`
	}
	msg := header
	if json.Unmarshal(body, &p) == nil {
		if s, ok := p.ErrorMessage.(string); ok && strings.TrimSpace(s) != "" {
			msg = s
		} else if s, ok := p.ErrorType.(string); ok && strings.TrimSpace(s) != "" {
			msg = s
		}
	}
	if r := []rune(msg); len(r) > maxErrorMessage {
		msg = string(r[:maxErrorMessage])
	}
	return msg
}

// responseMembers returns the members of the output's "response" object,
// matched case-sensitively as Cognito matches them. A missing or null
// response is no members; anything else not an object is unrecognizable.
func responseMembers(out []byte) (map[string]json.RawMessage, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(out, &top); err != nil {
		return nil, errUnrecognizable()
	}
	raw, ok := top["response"]
	if !ok || string(raw) == "null" {
		return map[string]json.RawMessage{}, nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, errUnrecognizable()
	}
	return members, nil
}

// member decodes members[name] into dst; absent or null leaves dst as is.
func member(members map[string]json.RawMessage, name string, dst any) error {
	raw, ok := members[name]
	if !ok || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return errUnrecognizable()
	}
	return nil
}

// challengeNames are those a define trigger may name next.
var challengeNames = map[string]bool{
	"CUSTOM_CHALLENGE": true, "PASSWORD_VERIFIER": true, "SRP_A": true, "SMS_MFA": true,
	"EMAIL_OTP": true, "SOFTWARE_TOKEN_MFA": true, "DEVICE_SRP_AUTH": true,
	"DEVICE_PASSWORD_VERIFIER": true, "ADMIN_NO_SRP_AUTH": true,
}

// DefineAuthChallenge asks the define trigger what comes next in a custom
// sign-in. Its answer must be exactly one of: issue tokens, fail, or a
// known challenge name.
func (c *Client) DefineAuthChallenge(ctx context.Context, arn string, caller Caller, r DefineAuthChallengeRequest) (DefineAuthChallengeResponse, error) {
	ev := newEvent(DefineAuthChallenge, caller, defineRequestWire{
		UserAttributes: orEmpty(r.UserAttributes), Session: orEmptySession(r.Session),
		ClientMetadata: r.ClientMetadata, UserNotFound: r.UserNotFound,
	}, defineResponseWire{})
	out, err := c.invoke(ctx, DefineAuthChallenge, arn, ev)
	if err != nil {
		return DefineAuthChallengeResponse{}, err
	}
	m, err := responseMembers(out)
	if err != nil {
		return DefineAuthChallengeResponse{}, err
	}
	var res DefineAuthChallengeResponse
	if err := errors.Join(member(m, "challengeName", &res.ChallengeName), member(m, "issueTokens", &res.IssueTokens),
		member(m, "failAuthentication", &res.FailAuthentication)); err != nil {
		return DefineAuthChallengeResponse{}, errUnrecognizable()
	}
	switch {
	case res.IssueTokens && res.FailAuthentication:
		return DefineAuthChallengeResponse{}, errUnrecognizable()
	case res.IssueTokens || res.FailAuthentication:
		res.ChallengeName = ""
	case !challengeNames[res.ChallengeName]:
		return DefineAuthChallengeResponse{}, errUnrecognizable()
	}
	return res, nil
}

// CreateAuthChallenge asks the create trigger for the challenge named by define.
func (c *Client) CreateAuthChallenge(ctx context.Context, arn string, caller Caller, r CreateAuthChallengeRequest) (CreateAuthChallengeResponse, error) {
	ev := newEvent(CreateAuthChallenge, caller, createRequestWire{
		UserAttributes: orEmpty(r.UserAttributes), ChallengeName: r.ChallengeName,
		Session: orEmptySession(r.Session), ClientMetadata: r.ClientMetadata, UserNotFound: r.UserNotFound,
	}, createResponseWire{})
	out, err := c.invoke(ctx, CreateAuthChallenge, arn, ev)
	if err != nil {
		return CreateAuthChallengeResponse{}, err
	}
	m, err := responseMembers(out)
	if err != nil {
		return CreateAuthChallengeResponse{}, err
	}
	var res CreateAuthChallengeResponse
	if err := errors.Join(member(m, "publicChallengeParameters", &res.PublicChallengeParameters),
		member(m, "privateChallengeParameters", &res.PrivateChallengeParameters),
		member(m, "challengeMetadata", &res.ChallengeMetadata)); err != nil {
		return CreateAuthChallengeResponse{}, errUnrecognizable()
	}
	res.PublicChallengeParameters = orEmpty(res.PublicChallengeParameters)
	res.PrivateChallengeParameters = orEmpty(res.PrivateChallengeParameters)
	size := len(res.ChallengeMetadata)
	for _, m := range []map[string]string{res.PublicChallengeParameters, res.PrivateChallengeParameters} {
		for k, v := range m {
			size += len(k) + len(v)
		}
	}
	if size > MaxChallengeBytes {
		return CreateAuthChallengeResponse{}, &Error{TypeInvalidLambdaResponse,
			fmt.Sprintf("Invalid lambda function output : challenge larger than %d bytes", MaxChallengeBytes)}
	}
	return res, nil
}

// VerifyAuthChallengeResponse asks the verify trigger whether the answer is
// right. A missing or null answerCorrect is a wrong answer.
func (c *Client) VerifyAuthChallengeResponse(ctx context.Context, arn string, caller Caller, r VerifyAuthChallengeRequest) (answerCorrect bool, err error) {
	ev := newEvent(VerifyAuthChallengeResponse, caller, verifyRequestWire{
		UserAttributes: orEmpty(r.UserAttributes), PrivateChallengeParameters: orEmpty(r.PrivateChallengeParameters),
		ChallengeAnswer: r.ChallengeAnswer, ClientMetadata: r.ClientMetadata, UserNotFound: r.UserNotFound,
	}, verifyResponseWire{})
	out, err := c.invoke(ctx, VerifyAuthChallengeResponse, arn, ev)
	if err != nil {
		return false, err
	}
	m, err := responseMembers(out)
	if err != nil {
		return false, err
	}
	if err := member(m, "answerCorrect", &answerCorrect); err != nil {
		return false, err
	}
	return answerCorrect, nil
}

// PreAuthentication runs the pre-authentication trigger; an error from the
// function denies the sign-in. Cognito reads nothing from its response.
func (c *Client) PreAuthentication(ctx context.Context, arn string, caller Caller, r PreAuthenticationRequest) error {
	ev := newEvent(PreAuthentication, caller, preAuthRequestWire{
		UserAttributes: orEmpty(r.UserAttributes), ValidationData: r.ValidationData, UserNotFound: r.UserNotFound,
	}, struct{}{})
	_, err := c.invoke(ctx, PreAuthentication, arn, ev)
	return err
}

// PostAuthentication runs the post-authentication trigger after a sign-in
// succeeded; an error from the function withholds the tokens.
func (c *Client) PostAuthentication(ctx context.Context, arn string, caller Caller, r PostAuthenticationRequest) error {
	ev := newEvent(PostAuthentication, caller, postAuthRequestWire{
		UserAttributes: orEmpty(r.UserAttributes), NewDeviceUsed: r.NewDeviceUsed, ClientMetadata: r.ClientMetadata,
	}, struct{}{})
	_, err := c.invoke(ctx, PostAuthentication, arn, ev)
	return err
}

// PreSignUp runs the pre-sign-up trigger for source (SignUp, AdminCreateUser):
// an error from the function refuses the sign-up; its answer may confirm
// the user and verify their email address or phone number.
func (c *Client) PreSignUp(ctx context.Context, arn, source string, caller Caller, r PreSignUpRequest) (PreSignUpResponse, error) {
	ev := newEventFrom(PreSignUp, PreSignUp+"_"+source, caller, preSignUpRequestWire{
		UserAttributes: orEmpty(r.UserAttributes), ValidationData: orEmpty(r.ValidationData), ClientMetadata: r.ClientMetadata,
	}, preSignUpResponseWire{})
	out, err := c.invoke(ctx, PreSignUp, arn, ev)
	if err != nil {
		return PreSignUpResponse{}, err
	}
	m, err := responseMembers(out)
	if err != nil {
		return PreSignUpResponse{}, err
	}
	var res PreSignUpResponse
	if err := errors.Join(member(m, "autoConfirmUser", &res.AutoConfirmUser), member(m, "autoVerifyEmail", &res.AutoVerifyEmail),
		member(m, "autoVerifyPhone", &res.AutoVerifyPhone)); err != nil {
		return PreSignUpResponse{}, errUnrecognizable()
	}
	return res, nil
}

// PostConfirmation runs the post-confirmation trigger for source
// (ConfirmSignUp, ConfirmForgotPassword). Cognito reads nothing from its
// response; an error from the function is the caller's error, though the
// confirmation it follows stands.
func (c *Client) PostConfirmation(ctx context.Context, arn, source string, caller Caller, r PostConfirmationRequest) error {
	ev := newEventFrom(PostConfirmation, PostConfirmation+"_"+source, caller, postConfirmationRequestWire{
		UserAttributes: orEmpty(r.UserAttributes), ClientMetadata: r.ClientMetadata,
	}, struct{}{})
	_, err := c.invoke(ctx, PostConfirmation, arn, ev)
	return err
}

// UserMigration asks the user-migration trigger for a user Cognito does not
// know, on sign-in (source Authentication) or ForgotPassword. A function
// error or an answer without userAttributes means no user was found.
func (c *Client) UserMigration(ctx context.Context, arn, source string, caller Caller, r UserMigrationRequest) (UserMigrationResponse, error) {
	ev := newEventFrom(UserMigration, UserMigration+"_"+source, caller, userMigrationRequestWire{
		Password: r.Password, ValidationData: orEmpty(r.ValidationData), ClientMetadata: r.ClientMetadata,
	}, userMigrationResponseWire{})
	out, err := c.invoke(ctx, UserMigration, arn, ev)
	if err != nil {
		return UserMigrationResponse{}, err
	}
	m, err := responseMembers(out)
	if err != nil {
		return UserMigrationResponse{}, err
	}
	var res UserMigrationResponse
	if err := errors.Join(member(m, "userAttributes", &res.UserAttributes), member(m, "finalUserStatus", &res.FinalUserStatus),
		member(m, "messageAction", &res.MessageAction), member(m, "forceAliasCreation", &res.ForceAliasCreation)); err != nil {
		return UserMigrationResponse{}, errUnrecognizable()
	}
	switch res.FinalUserStatus {
	case "", "CONFIRMED", "RESET_REQUIRED":
	default:
		return UserMigrationResponse{}, errUnrecognizable()
	}
	return res, nil
}

// CustomMessage asks the custom-message trigger for the text of a code's
// message, for source (SignUp, ResendCode, ForgotPassword,
// UpdateUserAttribute, VerifyUserAttribute, Authentication,
// AdminCreateUser).
func (c *Client) CustomMessage(ctx context.Context, arn, source string, caller Caller, r CustomMessageRequest) (CustomMessageResponse, error) {
	wire := customMessageRequestWire{
		UserAttributes: orEmpty(r.UserAttributes), CodeParameter: CodeParameter, LinkParameter: "{##Click Here##}",
		ClientMetadata: r.ClientMetadata,
	}
	if r.UsernameParameter != "" {
		wire.UsernameParameter = &r.UsernameParameter
	}
	ev := newEventFrom(CustomMessage, CustomMessage+"_"+source, caller, wire, customMessageResponseWire{})
	out, err := c.invoke(ctx, CustomMessage, arn, ev)
	if err != nil {
		return CustomMessageResponse{}, err
	}
	m, err := responseMembers(out)
	if err != nil {
		return CustomMessageResponse{}, err
	}
	var res CustomMessageResponse
	if err := errors.Join(member(m, "smsMessage", &res.SMSMessage), member(m, "emailMessage", &res.EmailMessage),
		member(m, "emailSubject", &res.EmailSubject)); err != nil {
		return CustomMessageResponse{}, errUnrecognizable()
	}
	return res, nil
}

// PreTokenGeneration asks the pre-token-generation trigger how to change
// the tokens about to be issued, for source (HostedAuth, Authentication,
// NewPasswordChallenge, AuthenticateDevice, RefreshTokens). A version "1"
// event reads claimsOverrideDetails, which changes the id token only;
// "2" and "3" read claimsAndScopeOverrideDetails, for both tokens.
func (c *Client) PreTokenGeneration(ctx context.Context, arn, source string, caller Caller, r PreTokenGenerationRequest) (PreTokenGenerationResponse, error) {
	wire := preTokenRequestWire{
		UserAttributes: orEmpty(r.UserAttributes), GroupConfiguration: r.Groups, ClientMetadata: r.ClientMetadata,
	}
	if wire.GroupConfiguration.GroupsToOverride == nil {
		wire.GroupConfiguration.GroupsToOverride = []string{}
	}
	if wire.GroupConfiguration.IAMRolesToOverride == nil {
		wire.GroupConfiguration.IAMRolesToOverride = []string{}
	}
	v1 := r.Version == "" || r.Version == "1"
	var resp any = map[string]any{"claimsOverrideDetails": nil}
	if !v1 {
		wire.Scopes = r.Scopes
		if wire.Scopes == nil {
			wire.Scopes = []string{}
		}
		resp = map[string]any{"claimsAndScopeOverrideDetails": nil}
	}
	ev := newEventFrom(PreTokenGeneration, "TokenGeneration_"+source, caller, wire, resp)
	if !v1 {
		ev.Version = r.Version
	}
	out, err := c.invoke(ctx, PreTokenGeneration, arn, ev)
	if err != nil {
		return PreTokenGenerationResponse{}, err
	}
	m, err := responseMembers(out)
	if err != nil {
		return PreTokenGenerationResponse{}, err
	}
	var res PreTokenGenerationResponse
	if v1 {
		var d claimsOverrideV1Wire
		if err := member(m, "claimsOverrideDetails", &d); err != nil {
			return PreTokenGenerationResponse{}, err
		}
		res.ID = TokenClaimsOverride{ClaimsToAddOrOverride: d.ClaimsToAddOrOverride, ClaimsToSuppress: d.ClaimsToSuppress}
		res.Groups = d.GroupOverrideDetails
		return res, nil
	}
	var d claimsOverrideV2Wire
	if err := member(m, "claimsAndScopeOverrideDetails", &d); err != nil {
		return PreTokenGenerationResponse{}, err
	}
	if d.IDTokenGeneration != nil {
		res.ID = TokenClaimsOverride{ClaimsToAddOrOverride: d.IDTokenGeneration.ClaimsToAddOrOverride, ClaimsToSuppress: d.IDTokenGeneration.ClaimsToSuppress}
	}
	if d.AccessTokenGeneration != nil {
		a := d.AccessTokenGeneration
		res.Access = TokenClaimsOverride{ClaimsToAddOrOverride: a.ClaimsToAddOrOverride, ClaimsToSuppress: a.ClaimsToSuppress,
			ScopesToAdd: a.ScopesToAdd, ScopesToSuppress: a.ScopesToSuppress}
	}
	res.Groups = d.GroupOverrideDetails
	return res, nil
}

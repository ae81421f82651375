package signin

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// Flow and challenge names the engine treats specially.
const (
	FlowUserSRP         = "USER_SRP_AUTH"
	FlowUserPassword    = "USER_PASSWORD_AUTH"
	FlowRefreshToken    = "REFRESH_TOKEN_AUTH"
	FlowRefresh         = "REFRESH_TOKEN"
	ChallengePasswordVf = "PASSWORD_VERIFIER"
)

// InitiateInput is InitiateAuth's request as the caller gives it. For
// USER_SRP_AUTH, AuthParameters holds USERNAME and PASSWORD; the password is
// used locally and never sent.
type InitiateInput struct {
	AuthFlow       string
	AuthParameters map[string]string
	ClientMetadata map[string]string
}

// RespondInput is RespondToAuthChallenge's request. ChallengeResponses must
// carry USERNAME (the challenge's USERNAME); SECRET_HASH is added when missing.
type RespondInput struct {
	ChallengeName      string
	ChallengeResponses map[string]string
	Session            string
	ClientMetadata     map[string]string
}

// Step is where a flow stands: tokens (AuthenticationResult set) or the next
// challenge to answer with Respond.
type Step struct {
	ChallengeName        string
	ChallengeParameters  map[string]string
	Session              string
	AvailableChallenges  []string // USER_AUTH only
	AuthenticationResult *Tokens
}

// Tokens is Cognito's AuthenticationResult.
type Tokens struct {
	AccessToken       string
	IdToken           string
	RefreshToken      string
	ExpiresIn         int32
	TokenType         string
	NewDeviceMetadata *DeviceMetadata
}

// DeviceMetadata names a device Cognito offers to remember.
type DeviceMetadata struct {
	DeviceKey      string
	DeviceGroupKey string
}

// Initiate starts a flow. USER_SRP_AUTH runs both legs (InitiateAuth and the
// PASSWORD_VERIFIER answer) and returns what follows them.
func (c *Client) Initiate(ctx context.Context, in InitiateInput) (*Step, error) {
	if err := checkFlowName("AuthFlow", in.AuthFlow); err != nil {
		return nil, err
	}
	if err := checkMap("AuthParameters", in.AuthParameters); err != nil {
		return nil, err
	}
	if err := checkMap("ClientMetadata", in.ClientMetadata); err != nil {
		return nil, err
	}
	params := copyMap(in.AuthParameters)
	switch in.AuthFlow {
	case FlowUserSRP:
		return c.userSRP(ctx, params, in.ClientMetadata)
	case FlowUserPassword:
		if err := require(params, "AuthParameters", "USERNAME", "PASSWORD"); err != nil {
			return nil, err
		}
		c.addSecretHash(params, params["USERNAME"])
	case FlowRefreshToken, FlowRefresh:
		if err := require(params, "AuthParameters", "REFRESH_TOKEN"); err != nil {
			return nil, err
		}
		if c.cfg.ClientSecret != "" && params["SECRET_HASH"] == "" && params["USERNAME"] == "" {
			return nil, paramErr("AuthParameters.USERNAME", "is required to compute SECRET_HASH for %s (the real username, not an alias)", in.AuthFlow)
		}
		c.addSecretHash(params, params["USERNAME"])
		delete(params, "USERNAME")
	default:
		if u, ok := params["USERNAME"]; ok {
			c.addSecretHash(params, u)
		}
	}
	return c.initiate(ctx, in.AuthFlow, params, in.ClientMetadata)
}

// userSRP sends SRP_A instead of the password and answers PASSWORD_VERIFIER.
func (c *Client) userSRP(ctx context.Context, params, meta map[string]string) (*Step, error) {
	if err := require(params, "AuthParameters", "USERNAME", "PASSWORD"); err != nil {
		return nil, err
	}
	password := params["PASSWORD"]
	delete(params, "PASSWORD")
	var opts []srp.Option
	if c.cfg.Random != nil {
		opts = append(opts, srp.WithRandom(c.cfg.Random))
	}
	sc, err := srp.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("signin: %w", err)
	}
	params["SRP_A"] = sc.A()
	c.addSecretHash(params, params["USERNAME"])
	step, err := c.initiate(ctx, FlowUserSRP, params, meta)
	if err != nil || step.ChallengeName != ChallengePasswordVf {
		return step, err
	}
	cp := step.ChallengeParameters
	userID := cp["USER_ID_FOR_SRP"]
	if userID == "" {
		return nil, &ServerError{Challenge: ChallengePasswordVf, Err: fmt.Errorf("USER_ID_FOR_SRP is missing")}
	}
	claim, err := sc.PasswordClaim(srp.ClaimInput{
		PoolName:    c.poolName,
		UserID:      userID,
		Password:    password,
		Salt:        cp["SALT"],
		SRPB:        cp["SRP_B"],
		SecretBlock: cp["SECRET_BLOCK"],
		Now:         c.cfg.Now(),
	})
	if err != nil {
		return nil, &ServerError{Challenge: ChallengePasswordVf, Err: err}
	}
	// Cognito's USERNAME in the challenge is the canonical username (equal to
	// USER_ID_FOR_SRP); fall back to the latter when a server omits it.
	username := cp["USERNAME"]
	if username == "" {
		username = userID
	}
	answers := map[string]string{
		"USERNAME":                    username,
		"PASSWORD_CLAIM_SECRET_BLOCK": cp["SECRET_BLOCK"],
		"TIMESTAMP":                   claim.Timestamp,
		"PASSWORD_CLAIM_SIGNATURE":    claim.Signature,
	}
	if dk := params["DEVICE_KEY"]; dk != "" {
		answers["DEVICE_KEY"] = dk
	}
	c.addSecretHash(answers, username)
	return c.respond(ctx, ChallengePasswordVf, answers, step.Session, meta)
}

// Respond answers a challenge. USERNAME is required; SECRET_HASH is computed
// over it when the client has a secret and the caller did not give one.
func (c *Client) Respond(ctx context.Context, in RespondInput) (*Step, error) {
	if err := checkFlowName("ChallengeName", in.ChallengeName); err != nil {
		return nil, err
	}
	if err := checkMap("ChallengeResponses", in.ChallengeResponses); err != nil {
		return nil, err
	}
	if err := checkMap("ClientMetadata", in.ClientMetadata); err != nil {
		return nil, err
	}
	if len(in.Session) > MaxSessionLen {
		return nil, paramErr("Session", "is longer than %d bytes", MaxSessionLen)
	}
	answers := copyMap(in.ChallengeResponses)
	if err := require(answers, "ChallengeResponses", "USERNAME"); err != nil {
		return nil, err
	}
	c.addSecretHash(answers, answers["USERNAME"])
	return c.respond(ctx, in.ChallengeName, answers, in.Session, in.ClientMetadata)
}

func (c *Client) initiate(ctx context.Context, flow string, params, meta map[string]string) (*Step, error) {
	out, err := c.api.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowType(flow),
		ClientId:       aws.String(c.cfg.ClientID),
		AuthParameters: params,
		ClientMetadata: meta,
	})
	if err != nil {
		return nil, err
	}
	step := newStep(string(out.ChallengeName), out.ChallengeParameters, out.Session, out.AuthenticationResult)
	for _, ch := range out.AvailableChallenges {
		step.AvailableChallenges = append(step.AvailableChallenges, string(ch))
	}
	return step, nil
}

func (c *Client) respond(ctx context.Context, challenge string, answers map[string]string, session string, meta map[string]string) (*Step, error) {
	in := &cip.RespondToAuthChallengeInput{
		ChallengeName:      types.ChallengeNameType(challenge),
		ClientId:           aws.String(c.cfg.ClientID),
		ChallengeResponses: answers,
		ClientMetadata:     meta,
	}
	if session != "" {
		in.Session = aws.String(session)
	}
	out, err := c.api.RespondToAuthChallenge(ctx, in)
	if err != nil {
		return nil, err
	}
	return newStep(string(out.ChallengeName), out.ChallengeParameters, out.Session, out.AuthenticationResult), nil
}

func newStep(challenge string, params map[string]string, session *string, res *types.AuthenticationResultType) *Step {
	s := &Step{ChallengeName: challenge, ChallengeParameters: params, Session: aws.ToString(session)}
	if res != nil {
		t := &Tokens{
			AccessToken:  aws.ToString(res.AccessToken),
			IdToken:      aws.ToString(res.IdToken),
			RefreshToken: aws.ToString(res.RefreshToken),
			ExpiresIn:    res.ExpiresIn,
			TokenType:    aws.ToString(res.TokenType),
		}
		if d := res.NewDeviceMetadata; d != nil {
			t.NewDeviceMetadata = &DeviceMetadata{DeviceKey: aws.ToString(d.DeviceKey), DeviceGroupKey: aws.ToString(d.DeviceGroupKey)}
		}
		s.AuthenticationResult = t
	}
	return s
}

// addSecretHash sets SECRET_HASH over username unless the client has no
// secret or the caller already supplied one.
func (c *Client) addSecretHash(m map[string]string, username string) {
	if h := c.secretHash(username); h != "" && m["SECRET_HASH"] == "" {
		m["SECRET_HASH"] = h
	}
}

func checkFlowName(field, v string) error {
	if err := checkName(field, v, maxNameLen); err != nil {
		return err
	}
	for _, c := range []byte(v) {
		if !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_' {
			return paramErr(field, "may hold only A-Z, 0-9 and '_' (got an invalid name)")
		}
	}
	return nil
}

// checkMap bounds a caller's map and refuses strings that are not UTF-8,
// which JSON could not carry faithfully.
func checkMap(field string, m map[string]string) error {
	if len(m) > MaxMapEntries {
		return paramErr(field, "has %d entries, more than the %d allowed", len(m), MaxMapEntries)
	}
	for k, v := range m {
		if k == "" || len(k) > MaxKeyLen || !utf8.ValidString(k) {
			return paramErr(field, "has a key that is empty, longer than %d bytes or not UTF-8", MaxKeyLen)
		}
		if len(v) > MaxValueLen {
			return paramErr(field+"."+k, "is longer than %d bytes", MaxValueLen)
		}
		if !utf8.ValidString(v) {
			return paramErr(field+"."+k, "is not valid UTF-8")
		}
	}
	return nil
}

func require(m map[string]string, field string, keys ...string) error {
	for _, k := range keys {
		if m[k] == "" {
			return paramErr(field+"."+k, "is required")
		}
	}
	return nil
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+2)
	for k, v := range m {
		out[k] = v
	}
	return out
}

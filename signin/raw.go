package signin

import (
	"context"
)

// Flow and challenge names the engine treats specially.
const (
	FlowUserSRP          = "USER_SRP_AUTH"
	FlowUserPassword     = "USER_PASSWORD_AUTH"
	FlowAdminUserPass    = "ADMIN_USER_PASSWORD_AUTH"
	FlowCustom           = "CUSTOM_AUTH"
	FlowUserAuth         = "USER_AUTH"
	FlowRefreshToken     = "REFRESH_TOKEN_AUTH"
	FlowRefresh          = "REFRESH_TOKEN"
	ChallengePasswordVf  = "PASSWORD_VERIFIER"
	ChallengeMFASetup    = "MFA_SETUP"
	ChallengeSelectFirst = "SELECT_CHALLENGE"
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

// Step is where a raw flow stands: tokens (AuthenticationResult set) or the
// next challenge to answer with Respond.
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

// Initiate is InitiateAuth, Cognito-shaped: the escape hatch under SignIn.
// USER_SRP_AUTH runs both legs (InitiateAuth and the PASSWORD_VERIFIER
// answer) and returns what follows them.
func (c *Client) Initiate(ctx context.Context, in InitiateInput) (*Step, error) {
	return c.rawInitiate(ctx, false, in)
}

// AdminInitiate is AdminInitiateAuth, signed with Config.Credentials.
func (c *Client) AdminInitiate(ctx context.Context, in InitiateInput) (*Step, error) {
	return c.rawInitiate(ctx, true, in)
}

// Respond is RespondToAuthChallenge. USERNAME is required; SECRET_HASH is
// computed over it when the client has a secret and the caller gave none.
// It is sent at most once (see onceOnly).
func (c *Client) Respond(ctx context.Context, in RespondInput) (*Step, error) {
	return c.rawRespond(ctx, false, in)
}

// AdminRespond is AdminRespondToAuthChallenge, signed with Config.Credentials.
func (c *Client) AdminRespond(ctx context.Context, in RespondInput) (*Step, error) {
	return c.rawRespond(ctx, true, in)
}

func (c *Client) rawInitiate(ctx context.Context, admin bool, in InitiateInput) (*Step, error) {
	defer c.eph.refill()
	if err := checkName("AuthFlow", in.AuthFlow, true); err != nil {
		return nil, err
	}
	if err := checkMap("AuthParameters", in.AuthParameters); err != nil {
		return nil, err
	}
	if err := checkMap("ClientMetadata", in.ClientMetadata); err != nil {
		return nil, err
	}
	if admin {
		if err := c.needCredentials(); err != nil {
			return nil, err
		}
	}
	params := copyMap(in.AuthParameters)
	switch in.AuthFlow {
	case FlowUserSRP:
		if err := require(params, "AuthParameters", "USERNAME", "PASSWORD"); err != nil {
			return nil, err
		}
		password := params["PASSWORD"]
		delete(params, "PASSWORD")
		sc, err := c.eph.take(ctx)
		if err != nil {
			return nil, err
		}
		params["SRP_A"] = sc.A()
		c.addSecretHash(params, params["USERNAME"])
		r, err := c.initiateCall(ctx, admin, FlowUserSRP, params, "", in.ClientMetadata)
		if err != nil {
			return nil, err
		}
		if r.challenge == ChallengePasswordVf {
			if r, err = c.answerVerifier(ctx, admin, sc, password, params["DEVICE_KEY"], r, in.ClientMetadata, nil); err != nil {
				return nil, err
			}
		}
		return r.step(), nil
	case FlowUserPassword, FlowAdminUserPass:
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
	r, err := c.initiateCall(ctx, admin, in.AuthFlow, params, "", in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return r.step(), nil
}

func (c *Client) rawRespond(ctx context.Context, admin bool, in RespondInput) (*Step, error) {
	if err := checkName("ChallengeName", in.ChallengeName, true); err != nil {
		return nil, err
	}
	if err := checkMap("ChallengeResponses", in.ChallengeResponses); err != nil {
		return nil, err
	}
	if err := checkMap("ClientMetadata", in.ClientMetadata); err != nil {
		return nil, err
	}
	if err := checkString("Session", in.Session, MaxSessionLen, false); err != nil {
		return nil, err
	}
	answers := copyMap(in.ChallengeResponses)
	if err := require(answers, "ChallengeResponses", "USERNAME"); err != nil {
		return nil, err
	}
	c.addSecretHash(answers, answers["USERNAME"])
	r, err := c.respondCall(ctx, admin, in.ChallengeName, answers, in.Session, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return r.step(), nil
}

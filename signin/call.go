package signin

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// reply is what InitiateAuth, RespondToAuthChallenge and their Admin twins
// answer, in one shape.
type reply struct {
	challenge string
	params    map[string]string
	session   string
	available []string
	tokens    *Tokens
}

func (r *reply) step() *Step {
	return &Step{ChallengeName: r.challenge, ChallengeParameters: r.params, Session: r.session,
		AvailableChallenges: r.available, AuthenticationResult: r.tokens}
}

// initiateCall sends InitiateAuth, or AdminInitiateAuth when admin.
// Starting a flow consumes no session, so the client's retryer applies,
// except with a Session (sign-up's, single-use), which is sent once.
func (c *Client) initiateCall(ctx context.Context, admin bool, flow string, params map[string]string, session string, meta map[string]string) (*reply, error) {
	var sess *string
	var opts []func(*cip.Options)
	if session != "" {
		sess, opts = aws.String(session), []func(*cip.Options){sendOnce}
	}
	if admin {
		if err := c.needCredentials(); err != nil {
			return nil, err
		}
		retryer := c.retryer
		if session != "" {
			retryer = onceOnly
		}
		return c.adminCall(ctx, "AdminInitiateAuth", retryer, adminRequest{AuthFlow: flow, UserPoolId: c.cfg.UserPoolID, ClientId: c.cfg.ClientID,
			AuthParameters: params, ClientMetadata: meta, Session: session})
	}
	out, err := c.api.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowType(flow),
		ClientId:       aws.String(c.cfg.ClientID),
		AuthParameters: params,
		ClientMetadata: meta,
		Session:        sess,
	}, opts...)
	if err != nil {
		return nil, err
	}
	return newReply(string(out.ChallengeName), out.ChallengeParameters, out.Session, out.AvailableChallenges, out.AuthenticationResult), nil
}

// respondCall answers a challenge, sent at most once (see onceOnly).
func (c *Client) respondCall(ctx context.Context, admin bool, challenge string, answers map[string]string, session string, meta map[string]string) (*reply, error) {
	var sess *string
	if session != "" {
		sess = aws.String(session)
	}
	if admin {
		if err := c.needCredentials(); err != nil {
			return nil, err
		}
		return c.adminCall(ctx, "AdminRespondToAuthChallenge", onceOnly, adminRequest{ChallengeName: challenge, UserPoolId: c.cfg.UserPoolID,
			ClientId: c.cfg.ClientID, ChallengeResponses: answers, ClientMetadata: meta, Session: session})
	}
	out, err := c.api.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
		ChallengeName:      types.ChallengeNameType(challenge),
		ClientId:           aws.String(c.cfg.ClientID),
		ChallengeResponses: answers,
		Session:            sess,
		ClientMetadata:     meta,
	}, sendOnce)
	if err != nil {
		return nil, err
	}
	return newReply(string(out.ChallengeName), out.ChallengeParameters, out.Session, nil, out.AuthenticationResult), nil
}

// associate starts TOTP setup inside a sign-in: a secret and a new session.
// Like the challenge answers it spends the session, so it is resent only
// when it provably never left (onceOnly).
func (c *Client) associate(ctx context.Context, session string) (secret, newSession string, err error) {
	var out struct{ SecretCode, Session string }
	if err := sendRetried(ctx, c.rpc, onceOnly, "AssociateSoftwareToken", struct{ Session string }{session}, &out); err != nil {
		return "", "", err
	}
	if out.SecretCode == "" {
		return "", "", &ServerError{Challenge: ChallengeMFASetup, Err: errString("AssociateSoftwareToken answered no SecretCode")}
	}
	return out.SecretCode, out.Session, nil
}

// verify proves the authenticator app holds the secret: a new session for
// MFA_SETUP. Sent under onceOnly, as associate.
func (c *Client) verify(ctx context.Context, session, code, deviceName string) (string, error) {
	in := struct {
		Session, UserCode  string
		FriendlyDeviceName string `json:",omitempty"`
	}{session, code, deviceName}
	var out struct{ Status, Session string }
	if err := sendRetried(ctx, c.rpc, onceOnly, "VerifySoftwareToken", in, &out); err != nil {
		return "", err
	}
	if out.Status != "SUCCESS" {
		return "", &ServerError{Challenge: ChallengeMFASetup, Err: errString("VerifySoftwareToken answered status " + out.Status)}
	}
	return out.Session, nil
}

// adminRequest is AdminInitiateAuth's and AdminRespondToAuthChallenge's
// request. The Admin operations go through cognitorpc, signed by
// sigv4Client, rather than the SDK: two SDK operations cost the wasm
// module about 20 KB of brotli.
type adminRequest struct {
	AuthFlow           string `json:",omitempty"`
	ChallengeName      string `json:",omitempty"`
	UserPoolId         string
	ClientId           string
	AuthParameters     map[string]string `json:",omitempty"`
	ChallengeResponses map[string]string `json:",omitempty"`
	ClientMetadata     map[string]string `json:",omitempty"`
	Session            string            `json:",omitempty"`
}

// adminReply is what both answer.
type adminReply struct {
	ChallengeName        string
	ChallengeParameters  map[string]string
	Session              string
	AvailableChallenges  []string
	AuthenticationResult *struct {
		AccessToken, IdToken, RefreshToken, TokenType string
		ExpiresIn                                     int32
		NewDeviceMetadata                             *struct{ DeviceKey, DeviceGroupKey string }
	}
}

// adminCall sends an Admin operation under retryer, the rules the SDK
// client applied to it: the client's for AdminInitiateAuth (onceOnly with
// a Session), onceOnly for AdminRespondToAuthChallenge, whose resent
// answer would be refused.
func (c *Client) adminCall(ctx context.Context, op string, retryer aws.Retryer, in adminRequest) (*reply, error) {
	var out adminReply
	if err := sendRetried(ctx, c.admin, retryer, op, in, &out); err != nil {
		return nil, err
	}
	r := &reply{challenge: out.ChallengeName, params: out.ChallengeParameters, session: out.Session, available: out.AvailableChallenges}
	if a := out.AuthenticationResult; a != nil {
		r.tokens = &Tokens{AccessToken: a.AccessToken, IdToken: a.IdToken, RefreshToken: a.RefreshToken, ExpiresIn: a.ExpiresIn, TokenType: a.TokenType}
		if d := a.NewDeviceMetadata; d != nil {
			r.tokens.NewDeviceMetadata = &DeviceMetadata{DeviceKey: d.DeviceKey, DeviceGroupKey: d.DeviceGroupKey}
		}
	}
	return r, nil
}

type errString string

func (e errString) Error() string { return string(e) }

func newReply(challenge string, params map[string]string, session *string, available []types.ChallengeNameType, res *types.AuthenticationResultType) *reply {
	r := &reply{challenge: challenge, params: params, session: aws.ToString(session)}
	for _, a := range available {
		r.available = append(r.available, string(a))
	}
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
		r.tokens = t
	}
	return r
}

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
		out, err := c.api.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{
			AuthFlow:       types.AuthFlowType(flow),
			UserPoolId:     aws.String(c.cfg.UserPoolID),
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
		out, err := c.api.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{
			ChallengeName:      types.ChallengeNameType(challenge),
			UserPoolId:         aws.String(c.cfg.UserPoolID),
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
// Like the challenge answers it spends the session, so it is never resent
// (cognitorpc retries nothing).
func (c *Client) associate(ctx context.Context, session string) (secret, newSession string, err error) {
	var out struct{ SecretCode, Session string }
	if err := c.rpc.Call(ctx, "AssociateSoftwareToken", struct{ Session string }{session}, &out); err != nil {
		return "", "", err
	}
	if out.SecretCode == "" {
		return "", "", &ServerError{Challenge: ChallengeMFASetup, Err: errString("AssociateSoftwareToken answered no SecretCode")}
	}
	return out.SecretCode, out.Session, nil
}

// verify proves the authenticator app holds the secret: a new session for MFA_SETUP.
func (c *Client) verify(ctx context.Context, session, code, deviceName string) (string, error) {
	in := struct {
		Session, UserCode  string
		FriendlyDeviceName string `json:",omitempty"`
	}{session, code, deviceName}
	var out struct{ Status, Session string }
	if err := c.rpc.Call(ctx, "VerifySoftwareToken", in, &out); err != nil {
		return "", err
	}
	if out.Status != "SUCCESS" {
		return "", &ServerError{Challenge: ChallengeMFASetup, Err: errString("VerifySoftwareToken answered status " + out.Status)}
	}
	return out.Session, nil
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

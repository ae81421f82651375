package emulator

import "context"

// AdminInitiateAuth and AdminRespondToAuthChallenge: the same sign-in as
// InitiateAuth / RespondToAuthChallenge (signin.go), called by a trusted
// server with SigV4 and the pool named, so that the admin-only flows
// (ADMIN_USER_PASSWORD_AUTH) are open to it.

// contextDataType is ContextData: what the server saw of the user's
// request, for advanced security (which the emulator does not score).
type contextDataType struct {
	IpAddress   *string
	ServerName  *string
	ServerPath  *string
	HttpHeaders *[]struct {
		HeaderName  string `json:"headerName"`
		HeaderValue string `json:"headerValue"`
	}
	EncodedData *string
}

// validate checks ContextData's required members as Cognito's model does.
func (c *contextDataType) validate(v *validation) {
	if c == nil {
		return
	}
	v.required("contextData.ipAddress", c.IpAddress != nil)
	v.required("contextData.serverName", c.ServerName != nil)
	v.required("contextData.serverPath", c.ServerPath != nil)
	v.required("contextData.httpHeaders", c.HttpHeaders != nil)
	if c.IpAddress != nil {
		v.length("contextData.ipAddress", *c.IpAddress, 0, 131072)
	}
	if c.ServerName != nil {
		v.length("contextData.serverName", *c.ServerName, 0, 131072)
	}
	if c.ServerPath != nil {
		v.length("contextData.serverPath", *c.ServerPath, 0, 131072)
	}
	if c.EncodedData != nil {
		v.length("contextData.encodedData", *c.EncodedData, 0, 131072)
	}
}

type adminInitiateAuthRequest struct {
	UserPoolId     string
	ClientId       string
	AuthFlow       string
	AuthParameters map[string]string
	ClientMetadata map[string]string
	ContextData    *contextDataType
	Session        string // ConfirmSignUp's, for USER_AUTH (signup_session.go)
}

func (r adminInitiateAuthRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.clientID("clientId", r.ClientId)
	v.length("session", r.Session, 0, 2048)
	v.required("authFlow", r.AuthFlow != "")
	v.enum("authFlow", r.AuthFlow, authFlows...)
	r.ContextData.validate(&v)
	if err := v.err(); err != nil {
		return err
	}
	if err := checkParams("AuthParameters", r.AuthParameters); err != nil {
		return err
	}
	return checkParams("ClientMetadata", r.ClientMetadata)
}

func (e *Emulator) adminInitiateAuth(ctx context.Context, req *adminInitiateAuthRequest) (*authResponse, error) {
	sc, err := e.loadAdminClient(req.UserPoolId, req.ClientId)
	if err != nil {
		return nil, err
	}
	sc.clientMetadata, sc.signUpSession = req.ClientMetadata, req.Session
	return e.initiate(ctx, sc, req.AuthFlow, req.AuthParameters)
}

type adminRespondToAuthChallengeRequest struct {
	UserPoolId         string
	ClientId           string
	ChallengeName      string
	Session            string
	ChallengeResponses map[string]string
	ClientMetadata     map[string]string
	ContextData        *contextDataType
}

func (r adminRespondToAuthChallengeRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.clientID("clientId", r.ClientId)
	v.required("challengeName", r.ChallengeName != "")
	v.enum("challengeName", r.ChallengeName, challengeNames...)
	v.length("session", r.Session, 0, 2048)
	r.ContextData.validate(&v)
	if err := v.err(); err != nil {
		return err
	}
	if err := checkParams("ChallengeResponses", r.ChallengeResponses); err != nil {
		return err
	}
	return checkParams("ClientMetadata", r.ClientMetadata)
}

func (e *Emulator) adminRespondToAuthChallenge(ctx context.Context, req *adminRespondToAuthChallengeRequest) (*authResponse, error) {
	sc, err := e.loadAdminClient(req.UserPoolId, req.ClientId)
	if err != nil {
		return nil, err
	}
	sc.clientMetadata = req.ClientMetadata
	return e.respond(ctx, sc, req.ChallengeName, req.Session, req.ChallengeResponses)
}

// loadAdminClient resolves the client and checks it belongs to the pool
// the request names: an unknown pool is reported as such, a client of
// another pool as not existing.
func (e *Emulator) loadAdminClient(poolID, clientID string) (*signInContext, error) {
	var exists bool
	if err := e.store.view(func(t *txn) error {
		p, err := t.pool(poolID)
		exists = p != nil
		return err
	}); err != nil {
		return nil, err
	}
	if !exists {
		return nil, errPoolNotFound(poolID)
	}
	sc, err := e.loadClient(clientID)
	if err != nil {
		return nil, err
	}
	if sc.pool.ID != poolID {
		return nil, errClientNotFound(clientID)
	}
	sc.admin = true
	return sc, nil
}

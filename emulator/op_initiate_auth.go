package emulator

import "context"

// InitiateAuth: the first step of every public sign-in. The flows
// themselves are in flow_*.go, dispatched by initiate (signin.go).

type initiateAuthRequest struct {
	AuthFlow       string
	ClientId       string
	AuthParameters map[string]string
	ClientMetadata map[string]string
	Session        string // ConfirmSignUp's, for USER_AUTH (signup_session.go)
}

func (r initiateAuthRequest) validate() error {
	var v validation
	v.required("authFlow", r.AuthFlow != "")
	v.enum("authFlow", r.AuthFlow, authFlows...)
	v.clientID("clientId", r.ClientId)
	v.length("session", r.Session, 0, 2048)
	if err := v.err(); err != nil {
		return err
	}
	if err := checkParams("AuthParameters", r.AuthParameters); err != nil {
		return err
	}
	return checkParams("ClientMetadata", r.ClientMetadata)
}

func (e *Emulator) initiateAuth(ctx context.Context, req *initiateAuthRequest) (*authResponse, error) {
	sc, err := e.loadClient(req.ClientId)
	if err != nil {
		return nil, err
	}
	sc.clientMetadata, sc.signUpSession = req.ClientMetadata, req.Session
	return e.initiate(ctx, sc, req.AuthFlow, req.AuthParameters)
}

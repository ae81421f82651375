package emulator

import "context"

// RespondToAuthChallenge: every later step of a public sign-in. The
// challenges themselves are in challenge_*.go, dispatched by respond
// (signin.go).

type respondToAuthChallengeRequest struct {
	ClientId           string
	ChallengeName      string
	Session            string
	ChallengeResponses map[string]string
	ClientMetadata     map[string]string
}

func (r respondToAuthChallengeRequest) validate() error {
	var v validation
	v.clientID("clientId", r.ClientId)
	v.required("challengeName", r.ChallengeName != "")
	v.enum("challengeName", r.ChallengeName, challengeNames...)
	v.length("session", r.Session, 0, 2048)
	if err := v.err(); err != nil {
		return err
	}
	if err := checkParams("ChallengeResponses", r.ChallengeResponses); err != nil {
		return err
	}
	return checkParams("ClientMetadata", r.ClientMetadata)
}

func (e *Emulator) respondToAuthChallenge(ctx context.Context, req *respondToAuthChallengeRequest) (*authResponse, error) {
	sc, err := e.loadClient(req.ClientId)
	if err != nil {
		return nil, err
	}
	sc.clientMetadata = req.ClientMetadata
	return e.respond(ctx, sc, req.ChallengeName, req.Session, req.ChallengeResponses)
}

package emulator

import (
	"context"
	"slices"
	"sync"
)

// AdminListUserAuthEvents: the user's recent sign-ins, newest first, as
// Cognito keeps them for pools with threat protection (UserPoolAddOns
// AdvancedSecurityMode AUDIT or ENFORCED; OFF, the default, refuses the
// call as Cognito does). The emulator scores no risk: every event is
// NoRisk / Low. Events are kept in memory, at most maxUserAuthEvents per
// user and maxAuthEventUsers users, so a sign-in still writes nothing to
// the store; a restart forgets them.

const (
	maxUserAuthEvents = 50
	maxAuthEventUsers = 10000
)

// authEventRecord is one sign-in as AdminListUserAuthEvents shows it.
type authEventRecord struct {
	EventId            string
	EventType          string // SignIn
	CreationDate       epoch
	EventResponse      string // Pass | Fail
	EventRisk          eventRisk
	ChallengeResponses []challengeResponse
	EventContextData   *eventContextData `json:",omitempty"`
}

type eventRisk struct {
	RiskDecision                   string
	RiskLevel                      string
	CompromisedCredentialsDetected bool
}

type challengeResponse struct {
	ChallengeName     string // Password | Mfa
	ChallengeResponse string // Success | Failure
}

type eventContextData struct {
	IpAddress string `json:",omitempty"`
}

// authEventLog holds the events by pool and user sub, oldest first. The
// zero value is ready to use.
type authEventLog struct {
	mu     sync.Mutex
	byUser map[string][]authEventRecord
}

func (l *authEventLog) add(key string, ev authEventRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byUser == nil {
		l.byUser = map[string][]authEventRecord{}
	}
	list, ok := l.byUser[key]
	if !ok && len(l.byUser) >= maxAuthEventUsers {
		for k := range l.byUser { // forget some user's events to make room
			delete(l.byUser, k)
			break
		}
	}
	if len(list) >= maxUserAuthEvents {
		list = slices.Delete(list, 0, 1)
	}
	l.byUser[key] = append(list, ev)
}

// list returns the user's events, newest first.
func (l *authEventLog) list(key string) []authEventRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := slices.Clone(l.byUser[key])
	slices.Reverse(out)
	return out
}

func authEventKey(poolID, sub string) string { return poolID + "\x00" + sub }

// recordSignIn notes a sign-in of u ending in response (Pass or Fail),
// with its password step when it had one, in a pool with threat protection.
func (e *Emulator) recordSignIn(ctx context.Context, p *poolRecord, u *userRecord, response string, password bool) {
	if u == nil || p.AdvancedSecurityMode == "" || p.AdvancedSecurityMode == "OFF" {
		return
	}
	ev := authEventRecord{EventId: newUUID(), EventType: "SignIn", CreationDate: epoch(e.now()), EventResponse: response,
		EventRisk: eventRisk{RiskDecision: "NoRisk", RiskLevel: "Low"}, ChallengeResponses: []challengeResponse{}}
	if password {
		outcome := "Success"
		if response == "Fail" {
			outcome = "Failure"
		}
		ev.ChallengeResponses = append(ev.ChallengeResponses, challengeResponse{ChallengeName: "Password", ChallengeResponse: outcome})
	}
	if ip := clientIP(ctx); ip != "" {
		ev.EventContextData = &eventContextData{IpAddress: ip}
	}
	e.authEvents.add(authEventKey(p.ID, u.Sub), ev)
}

// passwordFailed counts a wrong password of u (lockout) and records it.
func (e *Emulator) passwordFailed(ctx context.Context, p *poolRecord, u *userRecord) {
	e.lockout.fail(lockKey(p.ID, u.Username), e.now())
	e.recordSignIn(ctx, p, u, "Fail", true)
}

type adminListUserAuthEventsRequest struct {
	adminUserRequest
	MaxResults *int
	NextToken  string
}

func (r adminListUserAuthEventsRequest) validate() error {
	var v validation
	v.poolID(r.UserPoolId)
	v.username("username", r.Username)
	if r.MaxResults != nil {
		v.rangeInt("maxResults", *r.MaxResults, 0, 60)
	}
	v.length("nextToken", r.NextToken, 0, 131072)
	return v.err()
}

type adminListUserAuthEventsResponse struct {
	AuthEvents []authEventRecord
	NextToken  string `json:",omitempty"`
}

func (e *Emulator) adminListUserAuthEvents(_ context.Context, req *adminListUserAuthEventsRequest) (*adminListUserAuthEventsResponse, error) {
	var key string
	err := e.withAdminUser(req.adminUserRequest, false, func(_ *txn, p *poolRecord, u *userRecord) error {
		if p.AdvancedSecurityMode == "" || p.AdvancedSecurityMode == "OFF" {
			return errf("UserPoolAddOnNotEnabledException", "Threat protection is not enabled for this user pool.")
		}
		key = authEventKey(p.ID, u.Sub)
		return nil
	})
	if err != nil {
		return nil, err
	}
	all := e.authEvents.list(key)
	start := 0
	if req.NextToken != "" {
		start = slices.IndexFunc(all, func(ev authEventRecord) bool { return ev.EventId == req.NextToken })
		if start < 0 {
			return nil, errInvalidParam("Invalid NextToken.")
		}
	}
	limit := 10
	if req.MaxResults != nil && *req.MaxResults > 0 {
		limit = *req.MaxResults
	}
	out := &adminListUserAuthEventsResponse{AuthEvents: append([]authEventRecord{}, all[start:min(start+limit, len(all))]...)}
	if start+limit < len(all) {
		out.NextToken = all[start+limit].EventId
	}
	return out, nil
}

package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"time"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// Bounds on what sign-in requests may carry, beyond the body limit.
const (
	maxAuthParams   = 32
	maxParamValue   = 8 << 10
	secretBlockSize = 512
	sessionBytes    = 96
	// timestampSkew is how far a PASSWORD_VERIFIER TIMESTAMP may be from now.
	timestampSkew = 5 * time.Minute
)

var authFlows = []string{"USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH",
	"USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH", "USER_AUTH"}

var challengeNames = []string{"SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP",
	"PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER",
	"ADMIN_NO_SRP_AUTH", "NEW_PASSWORD_REQUIRED", "SMS_OTP", "PASSWORD", "WEB_AUTHN", "PASSWORD_SRP"}

type initiateAuthRequest struct {
	AuthFlow       string
	ClientId       string
	AuthParameters map[string]string
	ClientMetadata map[string]string
}

type challengeResult struct {
	ChallengeName        string                `json:"ChallengeName,omitempty"`
	Session              string                `json:"Session,omitempty"`
	ChallengeParameters  map[string]string     `json:"ChallengeParameters"`
	AuthenticationResult *authenticationResult `json:"AuthenticationResult,omitempty"`
}

func checkParams(field string, m map[string]string) error {
	if len(m) > maxAuthParams {
		return errInvalidParam("Too many entries in %s (at most %d).", field, maxAuthParams)
	}
	for k, v := range m {
		if len(k) > 128 || len(v) > maxParamValue {
			return errInvalidParam("An entry in %s is too long.", field)
		}
	}
	return nil
}

// requireParams answers Cognito's "Missing required parameter" for the first
// of keys that is absent or empty, in the order given.
func requireParams(m map[string]string, keys ...string) error {
	for _, k := range keys {
		if m[k] == "" {
			return errMissingParam(k)
		}
	}
	return nil
}

// signInContext is what every sign-in step resolves first.
type signInContext struct {
	pool   *poolRecord
	client *clientRecord
}

func (e *Emulator) loadClient(clientID string) (*signInContext, error) {
	var sc signInContext
	err := e.store.view(func(t *txn) error {
		c, err := t.client(clientID)
		if err != nil {
			return err
		}
		if c == nil {
			return errClientNotFound(clientID)
		}
		p, err := t.pool(c.PoolID)
		if err != nil {
			return err
		}
		if p == nil {
			return errClientNotFound(clientID)
		}
		sc = signInContext{pool: p, client: c}
		return nil
	})
	return &sc, err
}

// checkSecretHash enforces SECRET_HASH for clients with a secret, comparing
// in constant time.
func checkSecretHash(c *clientRecord, username, got string) error {
	if c.Secret == "" {
		return nil
	}
	if got == "" {
		return errNotAuthorized("Client " + c.ID + " is configured for secret but secret was not received")
	}
	want := srp.SecretHash(username, c.ID, c.Secret)
	if !hmac.Equal([]byte(want), []byte(got)) {
		return errNotAuthorized("Unable to verify secret hash for client " + c.ID)
	}
	return nil
}

func (e *Emulator) sessionTTL(c *clientRecord) time.Duration {
	if c.AuthSessionValidity == 3 {
		return e.cfg.SessionTTL
	}
	return time.Duration(c.AuthSessionValidity) * time.Minute
}

func (e *Emulator) initiateAuth(r *http.Request) (any, error) {
	var req initiateAuthRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var v validation
	v.required("authFlow", req.AuthFlow != "")
	v.enum("authFlow", req.AuthFlow, authFlows...)
	v.clientID("clientId", req.ClientId)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkParams("AuthParameters", req.AuthParameters); err != nil {
		return nil, err
	}
	if err := checkParams("ClientMetadata", req.ClientMetadata); err != nil {
		return nil, err
	}
	flow := req.AuthFlow
	if flow == "REFRESH_TOKEN" {
		flow = "REFRESH_TOKEN_AUTH"
	}
	switch flow {
	case "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		return nil, errInvalidParam("Initiate Auth method not supported.")
	case "CUSTOM_AUTH", "USER_AUTH":
		return nil, errInvalidParam("%s is not supported by this emulator yet.", flow)
	}
	sc, err := e.loadClient(req.ClientId)
	if err != nil {
		return nil, err
	}
	if !sc.client.allows(flow) {
		return nil, errInvalidParam("%s flow not enabled for this client", flow)
	}
	params := req.AuthParameters
	switch flow {
	case "USER_SRP_AUTH":
		return e.startSRP(sc, params)
	case "USER_PASSWORD_AUTH":
		return e.passwordAuth(sc, params)
	default:
		return e.refreshAuth(sc, params)
	}
}

// startSRP answers USER_SRP_AUTH with a PASSWORD_VERIFIER challenge.
func (e *Emulator) startSRP(sc *signInContext, params map[string]string) (any, error) {
	if err := requireParams(params, "USERNAME", "SRP_A"); err != nil {
		return nil, err
	}
	typed := params["USERNAME"]
	if err := checkSecretHash(sc.client, typed, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	if _, err := srp.ParseHex("SRP_A", params["SRP_A"]); err != nil {
		return nil, errInvalidParam("SRP_A is not a valid hex number.")
	}
	p := sc.pool
	u, err := e.findUser(p, typed)
	if err != nil {
		return nil, err
	}
	ss := &session{id: newOpaque(sessionBytes), poolID: p.ID, clientID: sc.client.ID,
		challenge: "PASSWORD_VERIFIER", secretBlock: base64.StdEncoding.EncodeToString(randomBytes(secretBlockSize)),
		expires: e.now().Add(e.sessionTTL(sc.client))}
	var ver srp.Verifier
	if u == nil {
		if sc.client.PreventUserExistenceErrors != "ENABLED" {
			return nil, errUserNotFound()
		}
		// Simulate a challenge that looks like a real one and is the same for
		// the same name every time; it can never be answered.
		ss.simulated = true
		ss.username = typed
		ver = simulatedVerifier(p, typed)
	} else {
		if err := e.checkUsable(p, u); err != nil {
			return nil, err
		}
		ss.username = u.Username
		ss.verifier = u.Verifier
		salt, err1 := srp.ParseHex("SALT", u.Salt)
		vv, err2 := srp.ParseHex("verifier", u.Verifier)
		if err1 != nil || err2 != nil {
			return nil, errInternal
		}
		ver = srp.Verifier{Salt: salt, V: vv}
	}
	server, err := srp.NewServer(ver, params["SRP_A"])
	if err != nil {
		return nil, errInvalidParam("SRP_A is not valid: %v", err)
	}
	ss.key = server.Key()
	e.sessions.put(ss, e.now())
	return challengeResult{
		ChallengeName: "PASSWORD_VERIFIER",
		Session:       ss.id,
		ChallengeParameters: map[string]string{
			"SALT":            srp.Hex(ver.Salt),
			"SRP_B":           server.B(),
			"SECRET_BLOCK":    ss.secretBlock,
			"USERNAME":        ss.username,
			"USER_ID_FOR_SRP": ss.username,
		},
	}, nil
}

// simulatedVerifier derives a stable salt and verifier for a name that is not
// a user, keyed by the pool's secret, so repeated tries look alike.
func simulatedVerifier(p *poolRecord, name string) srp.Verifier {
	mac := func(label string) *big.Int {
		h := hmac.New(sha256.New, p.Secret)
		h.Write([]byte(label))
		h.Write([]byte{0})
		h.Write([]byte(p.fold(name)))
		return new(big.Int).SetBytes(h.Sum(nil))
	}
	salt := new(big.Int).Rsh(mac("salt"), 128) // 16 bytes, like a real salt
	v := new(big.Int).Exp(srp.G(), mac("verifier"), srp.N())
	return srp.Verifier{Salt: salt, V: v}
}

// findUser resolves a typed name to a user (nil if none).
func (e *Emulator) findUser(p *poolRecord, name string) (*userRecord, error) {
	var u *userRecord
	err := e.store.view(func(t *txn) (err error) {
		u, err = t.resolveUser(p, name)
		return err
	})
	return u, err
}

// checkUsable refuses disabled and locked-out users before any password work.
func (e *Emulator) checkUsable(p *poolRecord, u *userRecord) error {
	if !u.Enabled {
		return errNotAuthorized("User is disabled.")
	}
	if e.lockout.locked(lockKey(p.ID, u.Username), e.now()) {
		return errNotAuthorized("Password attempts exceeded")
	}
	return nil
}

func (e *Emulator) passwordAuth(sc *signInContext, params map[string]string) (any, error) {
	if err := requireParams(params, "USERNAME", "PASSWORD"); err != nil {
		return nil, err
	}
	typed := params["USERNAME"]
	if err := checkSecretHash(sc.client, typed, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	p := sc.pool
	u, err := e.findUser(p, typed)
	if err != nil {
		return nil, err
	}
	if u == nil {
		if sc.client.PreventUserExistenceErrors == "ENABLED" {
			return nil, errBadCredentials()
		}
		return nil, errUserNotFound()
	}
	if err := e.checkUsable(p, u); err != nil {
		return nil, err
	}
	if !passwordMatches(p, u, params["PASSWORD"]) {
		e.lockout.fail(lockKey(p.ID, u.Username), e.now())
		return nil, errBadCredentials()
	}
	return e.passwordVerified(sc, u)
}

// passwordVerified finishes a sign-in whose password was proven: a status
// challenge, or tokens.
func (e *Emulator) passwordVerified(sc *signInContext, u *userRecord) (any, error) {
	e.lockout.succeed(lockKey(sc.pool.ID, u.Username))
	switch u.Status {
	case statusUnconfirmed:
		return nil, errf("UserNotConfirmedException", "User is not confirmed.")
	case statusForceChangePassword:
		ss := &session{id: newOpaque(sessionBytes), poolID: sc.pool.ID, clientID: sc.client.ID,
			username: u.Username, challenge: "NEW_PASSWORD_REQUIRED", verifier: u.Verifier,
			expires: e.now().Add(e.sessionTTL(sc.client))}
		e.sessions.put(ss, e.now())
		attrs := map[string]string{}
		for _, a := range u.Attributes {
			if a.Name != "sub" {
				attrs[a.Name] = a.Value
			}
		}
		ab, _ := json.Marshal(attrs)
		return challengeResult{ChallengeName: "NEW_PASSWORD_REQUIRED", Session: ss.id,
			ChallengeParameters: map[string]string{"USER_ID_FOR_SRP": u.Username, "requiredAttributes": "[]",
				"userAttributes": string(ab)}}, nil
	}
	ev := authEvent{originJTI: newUUID(), eventID: newUUID(), authTime: e.now()}
	res, err := e.issueTokens(sc.pool, sc.client, u, ev, true)
	if err != nil {
		return nil, err
	}
	return challengeResult{ChallengeParameters: map[string]string{}, AuthenticationResult: res}, nil
}

func (e *Emulator) refreshAuth(sc *signInContext, params map[string]string) (any, error) {
	tok := params["REFRESH_TOKEN"]
	if tok == "" {
		return nil, errMissingParam("REFRESH_TOKEN")
	}
	invalid := errNotAuthorized("Invalid Refresh Token")
	var rec refreshRecord
	var found bool
	if err := e.store.view(func(t *txn) (err error) {
		found, err = t.get(bucketRefresh, refreshKey(tok), &rec)
		return err
	}); err != nil {
		return nil, err
	}
	if !found || rec.ClientID != sc.client.ID || rec.PoolID != sc.pool.ID {
		return nil, invalid
	}
	if !e.now().Before(rec.Expires) {
		return nil, errNotAuthorized("Refresh Token has expired")
	}
	if sc.client.Secret != "" {
		// SECRET_HASH for a refresh is over the real username (or the sub).
		got := params["SECRET_HASH"]
		if got == "" {
			return nil, errNotAuthorized("Client " + sc.client.ID + " is configured for secret but secret was not received")
		}
		okUser := checkSecretHash(sc.client, rec.Username, got) == nil
		okSub := checkSecretHash(sc.client, rec.Sub, got) == nil
		if !okUser && !okSub {
			return nil, errNotAuthorized("Unable to verify secret hash for client " + sc.client.ID)
		}
	}
	var u *userRecord
	if err := e.store.view(func(t *txn) (err error) {
		u, err = t.user(sc.pool.ID, sc.pool.fold(rec.Username))
		return err
	}); err != nil {
		return nil, err
	}
	if u == nil || u.Sub != rec.Sub {
		return nil, invalid
	}
	if !u.Enabled {
		return nil, errNotAuthorized("User is disabled.")
	}
	res, err := e.issueTokens(sc.pool, sc.client, u, authEvent{originJTI: rec.OriginJTI, eventID: rec.EventID, authTime: rec.AuthTime}, false)
	if err != nil {
		return nil, err
	}
	return challengeResult{ChallengeParameters: map[string]string{}, AuthenticationResult: res}, nil
}

type respondRequest struct {
	ClientId           string
	ChallengeName      string
	Session            string
	ChallengeResponses map[string]string
	ClientMetadata     map[string]string
}

func (e *Emulator) respondToAuthChallenge(r *http.Request) (any, error) {
	var req respondRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	var v validation
	v.clientID("clientId", req.ClientId)
	v.required("challengeName", req.ChallengeName != "")
	v.enum("challengeName", req.ChallengeName, challengeNames...)
	v.length("session", req.Session, 0, 2048)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkParams("ChallengeResponses", req.ChallengeResponses); err != nil {
		return nil, err
	}
	if err := checkParams("ClientMetadata", req.ClientMetadata); err != nil {
		return nil, err
	}
	sc, err := e.loadClient(req.ClientId)
	if err != nil {
		return nil, err
	}
	resp := req.ChallengeResponses
	switch req.ChallengeName {
	case "PASSWORD_VERIFIER":
		return e.answerPasswordVerifier(sc, req.Session, resp)
	case "NEW_PASSWORD_REQUIRED":
		return e.answerNewPassword(sc, req.Session, resp)
	}
	return nil, errInvalidParam("%s is not supported by this emulator yet.", req.ChallengeName)
}

func (e *Emulator) answerPasswordVerifier(sc *signInContext, sessionID string, resp map[string]string) (any, error) {
	if err := requireParams(resp, "USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE"); err != nil {
		return nil, err
	}
	username := resp["USERNAME"]
	if err := checkSecretHash(sc.client, username, resp["SECRET_HASH"]); err != nil {
		return nil, err
	}
	block := resp["PASSWORD_CLAIM_SECRET_BLOCK"]
	ss := e.sessions.take(sessionID, block, e.now())
	if ss == nil || ss.challenge != "PASSWORD_VERIFIER" || ss.clientID != sc.client.ID || ss.poolID != sc.pool.ID {
		return nil, errInvalidSession()
	}
	if subtle.ConstantTimeCompare([]byte(ss.secretBlock), []byte(block)) != 1 {
		return nil, errBadCredentials()
	}
	if sc.pool.fold(username) != sc.pool.fold(ss.username) {
		return nil, errInvalidSession()
	}
	if ss.simulated {
		return nil, errBadCredentials()
	}
	key := lockKey(sc.pool.ID, ss.username)
	if e.lockout.locked(key, e.now()) {
		return nil, errNotAuthorized("Password attempts exceeded")
	}
	poolName, err := srp.PoolName(sc.pool.ID)
	if err != nil {
		return nil, err
	}
	ts, err := srp.ParseTimestamp(resp["TIMESTAMP"])
	skewOK := err == nil && ts.Sub(e.now()) <= timestampSkew && e.now().Sub(ts) <= timestampSkew
	if !skewOK || !srp.VerifyClaim(ss.key, poolName, ss.username, block, resp["TIMESTAMP"], resp["PASSWORD_CLAIM_SIGNATURE"]) {
		e.lockout.fail(key, e.now())
		return nil, errBadCredentials()
	}
	u, err := e.findUser(sc.pool, ss.username)
	if err != nil {
		return nil, err
	}
	// The user may have been deleted, disabled or given a new password since
	// the challenge; the proof was for the verifier of that moment.
	if u == nil || u.Username != ss.username || u.Verifier != ss.verifier {
		return nil, errBadCredentials()
	}
	if !u.Enabled {
		return nil, errNotAuthorized("User is disabled.")
	}
	return e.passwordVerified(sc, u)
}

// answerNewPassword completes NEW_PASSWORD_REQUIRED: the user sets a
// permanent password and signs in.
func (e *Emulator) answerNewPassword(sc *signInContext, sessionID string, resp map[string]string) (any, error) {
	if sessionID == "" {
		return nil, errMissingParam("Session")
	}
	if err := requireParams(resp, "USERNAME", "NEW_PASSWORD"); err != nil {
		return nil, err
	}
	username := resp["USERNAME"]
	if err := checkSecretHash(sc.client, username, resp["SECRET_HASH"]); err != nil {
		return nil, err
	}
	var v validation
	v.password("NEW_PASSWORD", resp["NEW_PASSWORD"], true)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkPassword(sc.pool, resp["NEW_PASSWORD"]); err != nil {
		return nil, err
	}
	ss := e.sessions.take(sessionID, "", e.now())
	if ss == nil || ss.challenge != "NEW_PASSWORD_REQUIRED" || ss.clientID != sc.client.ID || ss.poolID != sc.pool.ID {
		return nil, errInvalidSession()
	}
	var u *userRecord
	err := e.store.update(func(t *txn) error {
		p, err := mustPool(t, sc.pool.ID)
		if err != nil {
			return err
		}
		cur, err := t.resolveUser(p, username)
		if err != nil {
			return err
		}
		if cur == nil || cur.Username != ss.username || cur.Verifier != ss.verifier {
			return errInvalidSession()
		}
		old := *cur
		if err := setVerifier(p, cur, resp["NEW_PASSWORD"]); err != nil {
			return err
		}
		cur.Status, cur.Modified = statusConfirmed, e.now().UTC()
		u = cur
		return t.putUser(p, &old, cur)
	})
	if err != nil {
		return nil, err
	}
	return e.passwordVerified(sc, u)
}

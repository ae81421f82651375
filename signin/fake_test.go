package signin

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cognito-wasm/cognito-wasm/srp"
)

// fakeCognito is a small in-test Cognito: InitiateAuth (USER_SRP_AUTH,
// USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH) and RespondToAuthChallenge
// (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED), with real SRP from srp.NewServer.
type fakeCognito struct {
	t        testing.TB
	poolID   string
	clientID string
	secret   string
	users    []*fakeUser

	// tamper, when set, edits PASSWORD_VERIFIER parameters before they are sent.
	tamper func(cp map[string]string)
	// failWith, when set, answers every request with this status and __type.
	failStatus int
	failType   string

	mu       sync.Mutex
	bodies   []string // every request body, to prove what was (not) sent
	attempts map[string]int
	sessions map[string]*fakeSession
}

type fakeUser struct {
	username, email, password string
	newPasswordRequired       bool
	verifier                  srp.Verifier
}

type fakeSession struct {
	user        *fakeUser
	challenge   string
	key         []byte
	secretBlock string
}

func newFake(t testing.TB, poolID, clientID, secret string, users ...*fakeUser) (*fakeCognito, *httptest.Server) {
	t.Helper()
	f := &fakeCognito{t: t, poolID: poolID, clientID: clientID, secret: secret, users: users,
		attempts: map[string]int{}, sessions: map[string]*fakeSession{}}
	name, err := srp.PoolName(poolID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.verifier, err = srp.NewVerifier(name, u.username, u.password); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeCognito) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		AuthFlow           string
		ClientId           string
		AuthParameters     map[string]string
		ChallengeName      string
		ChallengeResponses map[string]string
		Session            string
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(raw, &body)
	}
	if err != nil {
		writeFakeError(w, 400, "SerializationException", err.Error())
		return
	}
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bodies = append(f.bodies, string(raw))
	f.attempts[op]++
	if f.failStatus != 0 {
		writeFakeError(w, f.failStatus, f.failType, "injected failure")
		return
	}
	if body.ClientId != f.clientID {
		writeFakeError(w, 400, "ResourceNotFoundException", "User pool client "+body.ClientId+" does not exist.")
		return
	}
	switch op {
	case "InitiateAuth":
		f.initiate(w, body.AuthFlow, body.AuthParameters)
	case "RespondToAuthChallenge":
		f.respond(w, body.ChallengeName, body.ChallengeResponses, body.Session)
	default:
		writeFakeError(w, 400, "UnknownOperationException", op)
	}
}

func (f *fakeCognito) find(name string) *fakeUser {
	for _, u := range f.users {
		if u.username == name || (u.email != "" && u.email == name) {
			return u
		}
	}
	return nil
}

func (f *fakeCognito) checkHash(w http.ResponseWriter, got, username string) bool {
	if f.secret == "" {
		return true
	}
	if got != srp.SecretHash(username, f.clientID, f.secret) {
		writeFakeError(w, 400, "NotAuthorizedException", "Client "+f.clientID+" cannot be authenticated with the provided SECRET_HASH.")
		return false
	}
	return true
}

func (f *fakeCognito) initiate(w http.ResponseWriter, flow string, p map[string]string) {
	switch flow {
	case "USER_SRP_AUTH":
		if !f.checkHash(w, p["SECRET_HASH"], p["USERNAME"]) {
			return
		}
		u := f.find(p["USERNAME"])
		if u == nil {
			writeFakeError(w, 400, "UserNotFoundException", "User does not exist.")
			return
		}
		srv, err := srp.NewServer(u.verifier, p["SRP_A"])
		if err != nil {
			writeFakeError(w, 400, "InvalidParameterException", "SRP_A: "+err.Error())
			return
		}
		block := make([]byte, 64)
		rand.Read(block)
		sb := base64.StdEncoding.EncodeToString(block)
		cp := map[string]string{
			"SALT": srp.Hex(u.verifier.Salt), "SRP_B": srv.B(), "SECRET_BLOCK": sb,
			"USERNAME": u.username, "USER_ID_FOR_SRP": u.username,
		}
		if f.tamper != nil {
			f.tamper(cp)
		}
		writeFakeJSON(w, map[string]any{"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": cp,
			"Session": f.newSession(&fakeSession{user: u, challenge: "PASSWORD_VERIFIER", key: srv.Key(), secretBlock: sb})})
	case "USER_PASSWORD_AUTH":
		if !f.checkHash(w, p["SECRET_HASH"], p["USERNAME"]) {
			return
		}
		u := f.find(p["USERNAME"])
		if u == nil {
			writeFakeError(w, 400, "UserNotFoundException", "User does not exist.")
			return
		}
		if p["PASSWORD"] != u.password {
			writeFakeError(w, 400, "NotAuthorizedException", "Incorrect username or password.")
			return
		}
		f.signedIn(w, u, true)
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		if _, ok := p["USERNAME"]; ok {
			writeFakeError(w, 400, "InvalidParameterException", "USERNAME is not a refresh parameter")
			return
		}
		u := f.find(strings.TrimPrefix(p["REFRESH_TOKEN"], "refresh-"))
		if u == nil || !strings.HasPrefix(p["REFRESH_TOKEN"], "refresh-") {
			writeFakeError(w, 400, "NotAuthorizedException", "Invalid Refresh Token")
			return
		}
		if !f.checkHash(w, p["SECRET_HASH"], u.username) {
			return
		}
		f.signedIn(w, u, false)
	default:
		writeFakeError(w, 400, "InvalidParameterException", "Unsupported AuthFlow "+flow)
	}
}

func (f *fakeCognito) respond(w http.ResponseWriter, name string, a map[string]string, session string) {
	s := f.sessions[session]
	delete(f.sessions, session)
	if s == nil || s.challenge != name || a["USERNAME"] != s.user.username {
		writeFakeError(w, 400, "NotAuthorizedException", "Invalid session for the user.")
		return
	}
	if !f.checkHash(w, a["SECRET_HASH"], a["USERNAME"]) {
		return
	}
	switch name {
	case "PASSWORD_VERIFIER":
		name, _ := srp.PoolName(f.poolID)
		if _, err := srp.ParseTimestamp(a["TIMESTAMP"]); err != nil ||
			a["PASSWORD_CLAIM_SECRET_BLOCK"] != s.secretBlock ||
			!srp.VerifyClaim(s.key, name, s.user.username, a["PASSWORD_CLAIM_SECRET_BLOCK"], a["TIMESTAMP"], a["PASSWORD_CLAIM_SIGNATURE"]) {
			writeFakeError(w, 400, "NotAuthorizedException", "Incorrect username or password.")
			return
		}
		if s.user.newPasswordRequired {
			writeFakeJSON(w, map[string]any{"ChallengeName": "NEW_PASSWORD_REQUIRED",
				"ChallengeParameters": map[string]string{"USER_ID_FOR_SRP": s.user.username, "requiredAttributes": "[]", "userAttributes": "{}"},
				"Session":             f.newSession(&fakeSession{user: s.user, challenge: "NEW_PASSWORD_REQUIRED"})})
			return
		}
		f.signedIn(w, s.user, true)
	case "NEW_PASSWORD_REQUIRED":
		if len(a["NEW_PASSWORD"]) < 8 {
			writeFakeError(w, 400, "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
			return
		}
		s.user.password, s.user.newPasswordRequired = a["NEW_PASSWORD"], false
		f.signedIn(w, s.user, true)
	default:
		writeFakeError(w, 400, "InvalidParameterException", "Unsupported challenge "+name)
	}
}

func (f *fakeCognito) newSession(s *fakeSession) string {
	b := make([]byte, 24)
	rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	f.sessions[id] = s
	return id
}

func (f *fakeCognito) signedIn(w http.ResponseWriter, u *fakeUser, withRefresh bool) {
	res := map[string]any{"AccessToken": "access-" + u.username, "IdToken": "id-" + u.username,
		"ExpiresIn": 3600, "TokenType": "Bearer"}
	if withRefresh {
		res["RefreshToken"] = "refresh-" + u.username
	}
	writeFakeJSON(w, map[string]any{"AuthenticationResult": res, "ChallengeParameters": map[string]string{}})
}

// sent reports whether any request body so far contained s.
func (f *fakeCognito) sent(s string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, b := range f.bodies {
		if strings.Contains(b, s) {
			return true
		}
	}
	return false
}

func (f *fakeCognito) attemptsOf(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts[op]
}

func writeFakeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(v)
}

func writeFakeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"__type":%q,"message":%q}`, typ, msg)
}

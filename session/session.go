package session

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/smithy-go"

	"github.com/cognito-wasm/cognito-wasm/signin"
)

// RefreshBefore is how long before expiry tokens are refreshed (less for
// tokens that live under four times as long).
const RefreshBefore = time.Minute

// TokenAPI is the slice of Cognito the session calls; the account package's
// client provides it (its calls carry the client ID and secret).
type TokenAPI interface {
	// GetTokensFromRefreshToken returns new tokens; RefreshToken is set
	// only when the client rotates refresh tokens. deviceKey may be "".
	GetTokensFromRefreshToken(ctx context.Context, refreshToken, deviceKey string) (*signin.Tokens, error)
	RevokeToken(ctx context.Context, refreshToken string) error
	GlobalSignOut(ctx context.Context, accessToken string) error
}

// Initiator starts InitiateAuth (signin.Client has it): the refresh of a
// server without GetTokensFromRefreshToken.
type Initiator interface {
	Initiate(ctx context.Context, in signin.InitiateInput) (*signin.Step, error)
}

// Event types, Amplify's Hub auth events.
const (
	EventSignedIn           = "signedIn"
	EventSignedOut          = "signedOut"
	EventTokenRefresh       = "tokenRefresh"
	EventTokenRefreshFailed = "tokenRefresh_failure"
)

// Event is what Config.OnEvent hears.
type Event struct {
	Type             string
	Username, UserID string // signedIn; signedOut: who was signed in, when known
	Err              error  // tokenRefresh_failure; signedOut: a failed RevokeToken / GlobalSignOut
}

// Config builds a Manager.
type Config struct {
	ClientID string
	Storage  Storage   // nil: a new MemoryStorage
	API      TokenAPI  // required
	Initiate Initiator // REFRESH_TOKEN_AUTH fallback; nil: none
	Now      func() time.Time
	// OnEvent is called after the change it reports, outside any lock,
	// on the goroutine that made the change.
	OnEvent func(Event)
}

// SignInDetails is how the user signed in, as Amplify keeps it.
type SignInDetails struct {
	LoginID      string `json:"loginId,omitempty"`
	AuthFlowType string `json:"authFlowType,omitempty"`
}

// User is Amplify's AuthUser.
type User struct {
	Username      string // the id token's cognito:username (else the access token's username)
	UserID        string // sub
	SignInDetails *SignInDetails
}

// Tokens is a stored session.
type Tokens struct {
	AccessToken   *JWT
	IDToken       *JWT // nil when none was issued
	Username      string
	ClockDrift    time.Duration // server clock minus local clock, from iat
	SignInDetails *SignInDetails
	refreshToken  string
	deviceKey     string
}

// User says who the tokens belong to.
func (t *Tokens) User() *User {
	u := &User{Username: t.AccessToken.Username, UserID: t.AccessToken.Sub, SignInDetails: t.SignInDetails}
	if id := t.IDToken; id != nil {
		if id.CognitoUsername != "" {
			u.Username = id.CognitoUsername
		}
		if id.Sub != "" {
			u.UserID = id.Sub
		}
	}
	return u
}

// CodeUnauthenticated is Amplify's error name when no one is signed in.
const CodeUnauthenticated = "UserUnAuthenticatedException"

// ErrUnauthenticated is returned by calls that need a signed-in user.
var ErrUnauthenticated error = &unauthenticated{}

type unauthenticated struct{}

const msgUnauthenticated = "User needs to be authenticated to call this API."

func (*unauthenticated) Error() string                 { return "session: " + msgUnauthenticated }
func (*unauthenticated) ErrorCode() string             { return CodeUnauthenticated }
func (*unauthenticated) ErrorMessage() string          { return msgUnauthenticated }
func (*unauthenticated) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// Manager keeps one app client's session. Safe for concurrent use.
type Manager struct {
	cfg       Config
	noGetToks atomic.Bool // the server lacks GetTokensFromRefreshToken

	mu     sync.Mutex
	flight *flight // the load (and refresh) in progress
	// gen counts sign-ins and sign-outs: a refresh that started before one
	// does not write its tokens over it.
	gen uint64
	wmu sync.Mutex // serialises writes to storage
}

var errFlight = errors.New("session: the shared load or refresh failed")

// flight is one load-and-maybe-refresh that concurrent callers share.
type flight struct {
	force bool
	done  chan struct{}
	joins int // callers waiting on it (tests)
	t     *Tokens
	err   error
}

// New checks cfg.
func New(cfg Config) (*Manager, error) {
	if cfg.ClientID == "" {
		return nil, &signin.ParamError{Field: "ClientId", Problem: "is required"}
	}
	if cfg.API == nil {
		return nil, errors.New("session: Config.API is required")
	}
	if cfg.Storage == nil {
		cfg.Storage = NewMemoryStorage()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.OnEvent == nil {
		cfg.OnEvent = func(Event) {}
	}
	return &Manager{cfg: cfg}, nil
}

func (m *Manager) key(user, name string) string { return UserKey(m.cfg.ClientID, user, name) }

// Store keeps a sign-in's tokens, replacing any session, and reports signedIn.
func (m *Manager) Store(ctx context.Context, res *signin.Tokens, details *SignInDetails) (*User, error) {
	if res == nil {
		return nil, errors.New("session: no tokens to store")
	}
	t, err := m.tokensFrom(res, "", "")
	if err != nil {
		return nil, err
	}
	t.SignInDetails = details
	m.mu.Lock()
	m.gen++
	gen := m.gen
	m.mu.Unlock()
	if _, err := m.save(ctx, gen, t, true); err != nil {
		return nil, err
	}
	u := t.User()
	m.cfg.OnEvent(Event{Type: EventSignedIn, Username: u.Username, UserID: u.UserID})
	return u, nil
}

// tokensFrom reads Cognito's answer; username and oldRefresh are the
// session's when it is a refresh.
func (m *Manager) tokensFrom(res *signin.Tokens, username, oldRefresh string) (*Tokens, error) {
	at, err := parseJWT(res.AccessToken)
	if err != nil {
		return nil, err
	}
	t := &Tokens{AccessToken: at, Username: username, refreshToken: res.RefreshToken}
	if t.Username == "" {
		t.Username = at.Username
	}
	if t.Username == "" || strings.ContainsAny(t.Username, "\x00") {
		return nil, errors.New("session: access token has no username claim")
	}
	if res.IdToken != "" {
		if t.IDToken, err = parseJWT(res.IdToken); err != nil {
			return nil, err
		}
	}
	if t.refreshToken == "" {
		t.refreshToken = oldRefresh // no rotation: the old one stays valid
	}
	t.ClockDrift = driftFromIat(at.Iat, m.cfg.Now())
	return t, nil
}

// userKeys are a user's session values; save and load go through them in this order.
var userKeys = [...]string{KeyAccessToken, KeyIDToken, KeyRefreshToken, KeyClockDrift, KeySignInDetails}

// save writes t unless a sign-in or sign-out came after gen; replace also
// removes another user's stored session first.
func (m *Manager) save(ctx context.Context, gen uint64, t *Tokens, replace bool) (bool, error) {
	m.wmu.Lock()
	defer m.wmu.Unlock()
	m.mu.Lock()
	stale := m.gen != gen
	m.mu.Unlock()
	if stale {
		return false, nil
	}
	st := m.cfg.Storage
	if replace {
		if err := m.removeLast(ctx, t.Username); err != nil {
			return false, err
		}
	}
	var vals [len(userKeys)]string
	vals[0], vals[2] = t.AccessToken.Raw, t.refreshToken
	if t.IDToken != nil {
		vals[1] = t.IDToken.Raw
	}
	vals[3] = strconv.FormatInt(t.ClockDrift.Milliseconds(), 10)
	if t.SignInDetails != nil {
		b, _ := json.Marshal(t.SignInDetails)
		vals[4] = string(b)
	}
	if err := st.Set(ctx, LastAuthUserKey(m.cfg.ClientID), t.Username); err != nil {
		return false, err
	}
	for i, v := range vals {
		key := m.key(t.Username, userKeys[i])
		var err error
		if v == "" {
			err = st.Remove(ctx, key)
		} else {
			err = st.Set(ctx, key, v)
		}
		if err != nil {
			return false, err
		}
	}
	return true, nil
}

// removeLast removes the session values of the user LastAuthUser names,
// unless that is except (not its device keys: a remembered device outlives
// sign-out).
func (m *Manager) removeLast(ctx context.Context, except string) error {
	st := m.cfg.Storage
	last, _, err := st.Get(ctx, LastAuthUserKey(m.cfg.ClientID))
	if err != nil || last == "" || last == except {
		return err
	}
	for _, name := range append(userKeys[:], keyUserData) {
		if err := st.Remove(ctx, m.key(last, name)); err != nil {
			return err
		}
	}
	return nil
}

// load reads the stored session: nil when there is none (or what is stored
// is not a session).
func (m *Manager) load(ctx context.Context) (*Tokens, error) {
	st := m.cfg.Storage
	user, ok, err := st.Get(ctx, LastAuthUserKey(m.cfg.ClientID))
	if err != nil || !ok || user == "" {
		return nil, err
	}
	var vals [len(userKeys)]string
	for i, name := range userKeys {
		if vals[i], _, err = st.Get(ctx, m.key(user, name)); err != nil {
			return nil, err
		}
	}
	at, err := parseJWT(vals[0])
	if err != nil {
		return nil, nil
	}
	t := &Tokens{AccessToken: at, Username: user, refreshToken: vals[2]}
	if vals[1] != "" {
		if t.IDToken, err = parseJWT(vals[1]); err != nil {
			return nil, nil
		}
	}
	t.ClockDrift = parseDrift(vals[3])
	if vals[4] != "" {
		var d SignInDetails
		if json.Unmarshal([]byte(vals[4]), &d) == nil {
			t.SignInDetails = &d
		}
	}
	if t.deviceKey, _, err = st.Get(ctx, m.key(user, KeyDeviceKey)); err != nil {
		return nil, err
	}
	return t, nil
}

// Fresh returns the session's tokens, refreshed first when force is set or
// they are about to expire; nil (and no error) when no one is signed in or
// the refresh found the session over. Callers that ask meanwhile share the
// same load and refresh.
func (m *Manager) Fresh(ctx context.Context, force bool) (*Tokens, error) {
	for {
		m.mu.Lock()
		f := m.flight
		if f == nil {
			f = &flight{force: force, done: make(chan struct{})}
			m.flight = f
			m.mu.Unlock()
			m.lead(ctx, f)
			return f.t, f.err
		}
		f.joins++
		m.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.force || !force {
			return f.t, f.err
		}
		// A forced refresh asked during a plain load: run it next.
	}
}

// lead runs f for everyone waiting on it.
func (m *Manager) lead(ctx context.Context, f *flight) {
	defer func() {
		m.mu.Lock()
		m.flight = nil
		m.mu.Unlock()
		close(f.done)
	}()
	// What the waiters see if loadFresh panics (the panic goes on here).
	f.err = errFlight
	// Shared with other callers: not ended by this caller's ctx.
	f.t, f.err = m.loadFresh(context.WithoutCancel(ctx), f.force)
}

func (m *Manager) loadFresh(ctx context.Context, force bool) (*Tokens, error) {
	m.mu.Lock()
	gen := m.gen
	m.mu.Unlock()
	t, err := m.load(ctx)
	if err != nil || t == nil {
		return nil, err
	}
	expiring := m.expiring(t)
	if !force && !expiring {
		return t, nil
	}
	if t.refreshToken == "" { // nothing to refresh with
		if expiring {
			return nil, nil
		}
		return t, nil
	}
	nt, err := m.refresh(ctx, t)
	if err != nil {
		if sessionOver(err) {
			m.clear(ctx)
		}
		m.cfg.OnEvent(Event{Type: EventTokenRefreshFailed, Err: err})
		var api smithy.APIError
		if errors.As(err, &api) && api.ErrorCode() == "NotAuthorizedException" {
			return nil, nil
		}
		return nil, err
	}
	nt.SignInDetails = t.SignInDetails
	saved, err := m.save(ctx, gen, nt, false)
	if err != nil {
		return nil, err
	}
	if !saved { // signed in or out meanwhile: that session wins
		return m.load(ctx)
	}
	m.cfg.OnEvent(Event{Type: EventTokenRefresh})
	return nt, nil
}

// expiring reports whether the access or id token expires soon on the
// server's clock.
func (m *Manager) expiring(t *Tokens) bool {
	now := m.cfg.Now().Add(t.ClockDrift)
	if t.AccessToken.expiresWithin(now, t.AccessToken.window()) {
		return true
	}
	return t.IDToken != nil && t.IDToken.expiresWithin(now, t.IDToken.window())
}

func (m *Manager) refresh(ctx context.Context, t *Tokens) (*Tokens, error) {
	if !m.noGetToks.Load() {
		res, err := m.cfg.API.GetTokensFromRefreshToken(ctx, t.refreshToken, t.deviceKey)
		if err == nil {
			return m.tokensFrom(res, t.Username, t.refreshToken)
		}
		if !unknownOperation(err) || m.cfg.Initiate == nil {
			return nil, err
		}
		m.noGetToks.Store(true)
	}
	params := map[string]string{"REFRESH_TOKEN": t.refreshToken, "USERNAME": t.Username}
	if t.deviceKey != "" {
		params["DEVICE_KEY"] = t.deviceKey
	}
	step, err := m.cfg.Initiate.Initiate(ctx, signin.InitiateInput{AuthFlow: signin.FlowRefreshToken, AuthParameters: params})
	if err != nil {
		return nil, err
	}
	if step.AuthenticationResult == nil {
		return nil, &signin.ServerError{Challenge: step.ChallengeName, Err: errors.New("REFRESH_TOKEN_AUTH answered a challenge instead of tokens")}
	}
	return m.tokensFrom(step.AuthenticationResult, t.Username, t.refreshToken)
}

// unknownOperation reports a server that lacks the operation: Cognito's
// UnknownOperationException, or cognito-local's "Unsupported" answer.
func unknownOperation(err error) bool {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	c := api.ErrorCode()
	return c == "UnknownOperationException" || strings.HasSuffix(c, "Unsupported")
}

// sessionOver reports a refusal after which the stored session is useless
// (Amplify's list).
func sessionOver(err error) bool {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	switch api.ErrorCode() {
	case "NotAuthorizedException", "TokenRevokedException", "UserNotFoundException",
		"PasswordResetRequiredException", "UserNotConfirmedException", "RefreshTokenReuseException":
		return true
	}
	return false
}

// AccessToken returns a fresh access token for calls made on the user's
// behalf, or ErrUnauthenticated.
func (m *Manager) AccessToken(ctx context.Context) (string, error) {
	t, err := m.Fresh(ctx, false)
	if err != nil {
		return "", err
	}
	if t == nil {
		return "", ErrUnauthenticated
	}
	return t.AccessToken.Raw, nil
}

// CurrentUser is Amplify's getCurrentUser: the signed-in user (tokens
// refreshed first if they are expiring), or ErrUnauthenticated.
func (m *Manager) CurrentUser(ctx context.Context) (*User, error) {
	t, err := m.Fresh(ctx, false)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, ErrUnauthenticated
	}
	return t.User(), nil
}

// SignOut revokes the refresh token (global: signs the user out of every
// device with GlobalSignOut), then clears the stored session whether or not
// that call succeeded, and reports signedOut (with the call's error, if
// any). It fails only when storage cannot be cleared.
func (m *Manager) SignOut(ctx context.Context, global bool) error {
	var t *Tokens
	var err error
	if global {
		t, err = m.Fresh(ctx, false) // GlobalSignOut needs a live access token
	}
	if t == nil {
		t, err = m.load(ctx)
	}
	if err != nil {
		return err
	}
	var callErr error
	switch {
	case t == nil:
	case global:
		callErr = m.cfg.API.GlobalSignOut(ctx, t.AccessToken.Raw)
	case t.refreshToken != "" && t.AccessToken.OriginJTI != "": // revocable (Amplify's test)
		callErr = m.cfg.API.RevokeToken(ctx, t.refreshToken)
	}
	return m.forget(ctx, t, callErr)
}

// Forget clears the stored session without calling Cognito (after
// DeleteUser, say) and reports signedOut.
func (m *Manager) Forget(ctx context.Context) error {
	t, err := m.load(ctx)
	if err != nil {
		return err
	}
	return m.forget(ctx, t, nil)
}

func (m *Manager) forget(ctx context.Context, t *Tokens, callErr error) error {
	if err := m.clear(ctx); err != nil {
		return err
	}
	ev := Event{Type: EventSignedOut, Err: callErr}
	if t != nil {
		u := t.User()
		ev.Username, ev.UserID = u.Username, u.UserID
	}
	m.cfg.OnEvent(ev)
	return nil
}

// clear removes the stored session and ends any refresh's claim to write.
func (m *Manager) clear(ctx context.Context) error {
	m.wmu.Lock()
	defer m.wmu.Unlock()
	m.mu.Lock()
	m.gen++
	m.mu.Unlock()
	if err := m.removeLast(ctx, ""); err != nil {
		return err
	}
	return m.cfg.Storage.Remove(ctx, LastAuthUserKey(m.cfg.ClientID))
}

package emulator

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/cognito-wasm/cognito-wasm/emulator/lambda"
	"github.com/cognito-wasm/cognito-wasm/emulator/sigv4"
)

// Config sets up an Emulator. The zero value is usable.
type Config struct {
	// DataDir holds the durable store. Empty means a temporary store that is
	// removed on Close.
	DataDir string
	// Region appears in new pool IDs and the default issuer. Default us-east-1.
	Region string
	// Issuer is the base of the tokens' iss claim; the pool ID is appended.
	// Default https://cognito-idp.{Region}.amazonaws.com.
	Issuer string
	// Now is the clock (default time.Now); tests move it to expire sessions.
	Now func() time.Time
	// SessionTTL is how long a challenge session lives. Default 3 minutes,
	// Cognito's default AuthSessionValidity.
	SessionTTL time.Duration
	// MaxSessions caps the in-memory challenge sessions. Default 10000.
	MaxSessions int
	// SigningKey fixes one RS256 key for every pool's id and access tokens
	// (tests share one to save key generation). Nil: each pool has its own
	// two keys, one for id and one for access tokens, as with Cognito, made
	// on first use and persisted in the store.
	SigningKey *rsa.PrivateKey
	// Logger receives operational logs (operation names and outcomes, never
	// secrets). Nil discards them.
	Logger *slog.Logger
	// Credentials, when set, are the only keys admin and management
	// operations may be signed with, and their SigV4 signatures are checked
	// as AWS checks them. Empty accepts any SigV4-signed request.
	Credentials []sigv4.Credentials
	// LambdaEndpoint is the Lambda Invoke API the pools' triggers are
	// invoked at (sam local start-lambda serves one). Empty: a sign-in that
	// reaches a configured trigger fails with UnexpectedLambdaException.
	LambdaEndpoint string
}

// Emulator is a Cognito user-pool compatible http.Handler.
type Emulator struct {
	cfg      Config
	now      func() time.Time
	log      *slog.Logger
	store    *store
	sessions *sessionStore
	lockout  *lockout
	keys     *keyring
	refresh  *refreshSealer
	codes    *codeHasher
	ops      map[string]operation
	lambda   *lambda.Client  // nil without LambdaEndpoint
	verifier *sigv4.Verifier // nil without Credentials
	outbox   outbox
	// authEvents are the sign-ins AdminListUserAuthEvents lists (auth_events.go).
	authEvents authEventLog

	// purgeMu guards lastPurge, when expired revocations were last purged.
	purgeMu   sync.Mutex
	lastPurge time.Time
}

// New opens the store and prepares the signing key.
func New(cfg Config) (*Emulator, error) {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if !validRegion(cfg.Region) {
		return nil, fmt.Errorf("emulator: invalid region %q", cfg.Region)
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "https://cognito-idp." + cfg.Region + ".amazonaws.com"
	}
	cfg.Issuer = strings.TrimRight(cfg.Issuer, "/")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 3 * time.Minute
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 10000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	triggers, verifier, err := newTriggersAndVerifier(cfg)
	if err != nil {
		return nil, err
	}
	st, err := openStore(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	e := &Emulator{
		cfg:      cfg,
		now:      cfg.Now,
		log:      cfg.Logger,
		store:    st,
		sessions: newSessionStore(cfg.MaxSessions),
		lockout:  newLockout(),
		ops:      operations(),
		lambda:   triggers,
		verifier: verifier,
	}
	if e.keys, err = loadKeyring(st, cfg.SigningKey); err != nil {
		_ = st.close()
		return nil, err
	}
	if e.refresh, err = loadRefreshSealer(st); err != nil {
		_ = st.close()
		return nil, err
	}
	if e.codes, err = loadCodeHasher(st); err != nil {
		_ = st.close()
		return nil, err
	}
	if n, err := st.purgeExpiredRefresh(e.now()); err != nil {
		_ = st.close()
		return nil, fmt.Errorf("emulator: purge expired refresh tokens: %w", err)
	} else if n > 0 {
		e.log.Info("purged expired refresh-token records", "count", n)
	}
	if n, err := st.purgeExpiredRevocations(e.now()); err != nil {
		_ = st.close()
		return nil, fmt.Errorf("emulator: purge expired revocations: %w", err)
	} else if n > 0 {
		e.log.Info("purged expired revocations", "count", n)
	}
	e.lastPurge = e.now()
	return e, nil
}

// Close releases the store (and removes it when it was temporary).
func (e *Emulator) Close() error { return e.store.close() }

// ServeHTTP answers awsJson1.1 on POST /, the pool's well-known documents on
// GET, and CORS preflights everywhere. A panic becomes a bare 500.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setCORS(w.Header())
	w.Header().Set("X-Amzn-RequestId", newUUID())
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			e.log.Error("handler panic", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			writeError(w, errInternal)
		}
	}()
	switch {
	case r.Method == http.MethodOptions:
		preflight(w)
	case r.Method == http.MethodPost && r.URL.Path == "/":
		e.serveAction(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/_dev/outbox":
		e.serveOutbox(w, r)
	case (r.Method == http.MethodGet || r.Method == http.MethodHead) && strings.Contains(r.URL.Path, "/.well-known/"):
		e.serveWellKnown(w, r)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
	}
}

func (e *Emulator) serveAction(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	name, ok := strings.CutPrefix(target, targetPrefix)
	op, known := e.ops[name]
	if !ok || !known {
		shown := target
		if len(shown) > 128 {
			shown = shown[:128]
		}
		writeError(w, errf("UnknownOperationException", "Unknown operation %q.", shown))
		return
	}
	start := e.now()
	var out any
	body, err := readBody(r)
	if err == nil && op.admin {
		err = e.authorizeAdmin(r, body)
	}
	if err == nil {
		out, err = op.run(e, withClientIP(r.Context(), r), body)
	}
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			if !errors.Is(err, context.Canceled) {
				e.log.Error("operation failed", "op", name, "err", err)
			}
			ae = errInternal
		}
		e.log.Info("request", "op", name, "error", ae.Type, "ms", e.now().Sub(start).Milliseconds())
		writeError(w, ae)
		return
	}
	e.log.Info("request", "op", name, "ms", e.now().Sub(start).Milliseconds())
	writeJSON(w, http.StatusOK, out)
}

// sigV4Signed accepts any request that carries a SigV4 Authorization header,
// whatever its credentials, as local emulators do: the point is to refuse
// an unsigned admin call the way AWS does, not to hold real IAM.
func sigV4Signed(r *http.Request) bool {
	a := r.Header.Get("Authorization")
	return strings.HasPrefix(a, "AWS4-HMAC-SHA256 ") && strings.Contains(a, "Credential=") && strings.Contains(a, "Signature=")
}

func validRegion(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

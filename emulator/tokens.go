package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/cognito-wasm/cognito-wasm/emulator/lambda"
	jose "github.com/go-jose/go-jose/v4"
)

const metaSigningKey = "signing-key" // the one key of stores from before per-pool keys

// signingKeys is one RS256 key with its kid and signer.
type signingKeys struct {
	priv   *rsa.PrivateKey
	kid    string
	signer jose.Signer
}

func newSigningKeys(priv *rsa.PrivateKey) (*signingKeys, error) {
	der, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("emulator: signing key: %w", err)
	}
	sum := sha256.Sum256(der)
	kid := base64.StdEncoding.EncodeToString(sum[:])
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: priv, KeyID: kid}}, nil)
	if err != nil {
		return nil, fmt.Errorf("emulator: signer: %w", err)
	}
	return &signingKeys{priv: priv, kid: kid, signer: signer}, nil
}

// keyring holds each pool's two RS256 keys, one for id tokens and one for
// access tokens, as Cognito's JWKS publishes two per pool: a token of one
// kind or pool is never accepted as another. A pool's keys are made when
// it first needs them (a sign-in, its JWKS) and persisted, so tokens stay
// valid across restarts. A store from before per-pool keys keeps its one
// key published and accepted, so the tokens it signed stay valid too.
type keyring struct {
	st     *store
	fixed  *signingKeys // Config.SigningKey: one key for everything (tests)
	legacy *signingKeys // the store's single key from before, or nil
	mu     sync.Mutex
	pools  map[string]*poolKeys
}

type poolKeys struct{ id, access *signingKeys }

func loadKeyring(st *store, fixed *rsa.PrivateKey) (*keyring, error) {
	kr := &keyring{st: st, pools: map[string]*poolKeys{}}
	var err error
	if fixed != nil {
		if kr.fixed, err = newSigningKeys(fixed); err != nil {
			return nil, err
		}
	}
	var der []byte
	if err := st.view(func(t *txn) error { der = append([]byte(nil), t.meta(metaSigningKey)...); return nil }); err != nil {
		return nil, err
	}
	if len(der) > 0 {
		k, err := x509.ParsePKCS1PrivateKey(der)
		if err != nil {
			return nil, fmt.Errorf("emulator: stored signing key: %w", err)
		}
		if kr.legacy, err = newSigningKeys(k); err != nil {
			return nil, err
		}
	}
	return kr, nil
}

func poolKeyName(poolID, use string) string { return metaSigningKey + ":" + poolID + ":" + use }

// forPool returns a pool's keys, making them if it has none yet: callers
// have checked that the pool exists.
func (kr *keyring) forPool(poolID string) (*poolKeys, error) {
	return kr.get(poolID, true)
}

// existing returns a pool's keys without making any (nil if it has none).
func (kr *keyring) existing(poolID string) (*poolKeys, error) {
	return kr.get(poolID, false)
}

func (kr *keyring) get(poolID string, create bool) (*poolKeys, error) {
	if kr.fixed != nil {
		return &poolKeys{id: kr.fixed, access: kr.fixed}, nil
	}
	kr.mu.Lock()
	defer kr.mu.Unlock()
	if pk := kr.pools[poolID]; pk != nil {
		return pk, nil
	}
	var ders [2][]byte
	uses := [2]string{"id", "access"}
	if err := kr.st.view(func(t *txn) error {
		for i, use := range uses {
			ders[i] = append([]byte(nil), t.meta(poolKeyName(poolID, use))...)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if len(ders[0]) == 0 || len(ders[1]) == 0 {
		if !create {
			return nil, nil
		}
		for i := range ders {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				return nil, fmt.Errorf("emulator: generate signing key: %w", err)
			}
			ders[i] = x509.MarshalPKCS1PrivateKey(k)
		}
		if err := kr.st.update(func(t *txn) error {
			for i, use := range uses {
				if err := t.setMeta(poolKeyName(poolID, use), ders[i]); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	var keys [2]*signingKeys
	for i, der := range ders {
		k, err := x509.ParsePKCS1PrivateKey(der)
		if err != nil {
			return nil, fmt.Errorf("emulator: stored signing key of pool %s: %w", poolID, err)
		}
		if keys[i], err = newSigningKeys(k); err != nil {
			return nil, err
		}
	}
	pk := &poolKeys{id: keys[0], access: keys[1]}
	kr.pools[poolID] = pk
	return pk, nil
}

// forget drops a deleted pool's keys from the cache (deletePool removes
// them from the store).
func (kr *keyring) forget(poolID string) {
	kr.mu.Lock()
	delete(kr.pools, poolID)
	kr.mu.Unlock()
}

// published is what a pool's JWKS lists: its id and access keys, and the
// store's key from before per-pool keys, if any.
func (kr *keyring) published(pk *poolKeys) []*signingKeys {
	out := []*signingKeys{pk.id}
	if pk.access != pk.id {
		out = append(out, pk.access)
	}
	if kr.legacy != nil {
		out = append(out, kr.legacy)
	}
	return out
}

func (k *signingKeys) sign(claims map[string]any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := k.signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

func (e *Emulator) issuer(poolID string) string { return e.cfg.Issuer + "/" + poolID }

// authEvent is one successful authentication: the tokens it yields share
// origin_jti and event_id, and refreshes keep them and auth_time.
type authEvent struct {
	originJTI string
	eventID   string
	authTime  time.Time
	deviceKey string // the access token's device_key, when the sign-in has a device
}

type authenticationResult struct {
	AccessToken  string `json:"AccessToken"`
	ExpiresIn    int64  `json:"ExpiresIn"`
	IdToken      string `json:"IdToken"`
	RefreshToken string `json:"RefreshToken,omitempty"`
	TokenType    string `json:"TokenType"`
	// NewDeviceMetadata is the device key a sign-in hands out (devices.go).
	NewDeviceMetadata *newDeviceMetadata `json:",omitempty"`
}

// accessScope is the scope of every access token from the user-pool API.
const accessScope = "aws.cognito.signin.user.admin"

// issueTokens signs the id and access tokens, and mints a refresh token when
// withRefresh (a sign-in, not a refresh). override is the pre-token-generation
// trigger's answer, or nil.
func (e *Emulator) issueTokens(p *poolRecord, c *clientRecord, u *userRecord, ev authEvent, withRefresh bool, override *lambda.PreTokenGenerationResponse) (*authenticationResult, error) {
	now := e.now()
	iss := e.issuer(p.ID)
	accessTTL, idTTL := c.accessTTL(), c.idTTL()
	access := map[string]any{
		"sub": u.Sub, "iss": iss, "client_id": c.ID, "origin_jti": ev.originJTI,
		"event_id": ev.eventID, "token_use": "access", "scope": accessScope,
		"auth_time": ev.authTime.Unix(), "exp": now.Add(accessTTL).Unix(), "iat": now.Unix(),
		"jti": newUUID(), "username": u.Username,
	}
	id := map[string]any{
		"sub": u.Sub, "iss": iss, "cognito:username": u.Username, "origin_jti": ev.originJTI,
		"aud": c.ID, "event_id": ev.eventID, "token_use": "id", "auth_time": ev.authTime.Unix(),
		"exp": now.Add(idTTL).Unix(), "iat": now.Unix(), "jti": newUUID(),
	}
	if ev.deviceKey != "" {
		access["device_key"] = ev.deviceKey
	}
	if len(u.Groups) > 0 {
		access["cognito:groups"], id["cognito:groups"] = u.Groups, u.Groups
	}
	for _, a := range u.Attributes {
		if a.Name == "sub" {
			continue
		}
		if strings.HasSuffix(a.Name, "_verified") {
			id[a.Name] = a.Value == "true" // Cognito writes these as booleans
			continue
		}
		id[a.Name] = a.Value
	}
	if override != nil {
		applyTokenOverride(id, access, override)
	}
	res := &authenticationResult{ExpiresIn: int64(accessTTL / time.Second), TokenType: "Bearer"}
	keys, err := e.keys.forPool(p.ID)
	if err != nil {
		return nil, err
	}
	if res.AccessToken, err = keys.access.sign(access); err != nil {
		return nil, err
	}
	if res.IdToken, err = keys.id.sign(id); err != nil {
		return nil, err
	}
	if withRefresh {
		rec := refreshRecord{PoolID: p.ID, ClientID: c.ID, Username: u.Username, Sub: u.Sub,
			OriginJTI: ev.originJTI, EventID: ev.eventID, AuthTime: ev.authTime, Expires: now.Add(c.refreshTTL()), DeviceKey: ev.deviceKey}
		if res.RefreshToken, err = e.refresh.seal(rec); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// refreshKey is where a refresh token stored by an earlier version is kept.
func refreshKey(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// accessClaims are the parts of an access token GetUser relies on.
type accessClaims struct {
	Sub      string `json:"sub"`
	Iss      string `json:"iss"`
	TokenUse string `json:"token_use"`
	Username string `json:"username"`
	ClientID string `json:"client_id"`
	Exp      int64  `json:"exp"`
	Origin   string `json:"origin_jti"`
	AuthTime int64  `json:"auth_time"`
}

// verifyAccessToken checks signature, issuer shape, use and expiry, and
// answers in Cognito's words.
func (e *Emulator) verifyAccessToken(tok string) (*accessClaims, string, error) {
	bad := errNotAuthorized("Invalid Access Token")
	if len(tok) > 16<<10 {
		return nil, "", bad
	}
	jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(jws.Signatures) != 1 {
		return nil, "", bad
	}
	// The pool (from iss, not yet trusted) picks the key; the signature
	// then vouches for iss.
	var unverified struct {
		Iss string `json:"iss"`
	}
	if json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &unverified) != nil {
		return nil, "", bad
	}
	poolID, ok := strings.CutPrefix(unverified.Iss, e.cfg.Issuer+"/")
	if !ok || !validPoolID(poolID) {
		return nil, "", bad
	}
	keys, err := e.keys.existing(poolID)
	if err != nil {
		return nil, "", err
	}
	var key *signingKeys
	switch kid := jws.Signatures[0].Header.KeyID; {
	case keys != nil && kid == keys.access.kid:
		key = keys.access
	case e.keys.legacy != nil && kid == e.keys.legacy.kid:
		key = e.keys.legacy
	default:
		return nil, "", bad
	}
	payload, err := jws.Verify(&key.priv.PublicKey)
	if err != nil {
		return nil, "", bad
	}
	var c accessClaims
	if err := json.Unmarshal(payload, &c); err != nil || c.TokenUse != "access" || c.Iss != unverified.Iss {
		return nil, "", bad
	}
	if e.now().Unix() >= c.Exp {
		return nil, "", errNotAuthorized("Access Token has expired")
	}
	return &c, poolID, nil
}

// serveWellKnown answers /{userPoolId}/.well-known/jwks.json and
// /{userPoolId}/.well-known/openid-configuration.
func (e *Emulator) serveWellKnown(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) != 3 || parts[1] != ".well-known" || !validPoolID(parts[0]) {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	poolID := parts[0]
	var p *poolRecord
	if err := e.store.view(func(t *txn) (err error) { p, err = t.pool(poolID); return err }); err != nil {
		e.log.Error("well-known lookup", "err", err)
		writeError(w, errInternal)
		return
	}
	if p == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": fmt.Sprintf("User pool %s does not exist.", poolID)})
		return
	}
	switch parts[2] {
	case "jwks.json":
		keys, err := e.keys.forPool(poolID)
		if err != nil {
			e.log.Error("signing keys", "err", err)
			writeError(w, errInternal)
			return
		}
		var set jose.JSONWebKeySet
		for _, k := range e.keys.published(keys) {
			set.Keys = append(set.Keys, jose.JSONWebKey{Key: &k.priv.PublicKey, KeyID: k.kid, Algorithm: "RS256", Use: "sig"})
		}
		writeWellKnown(w, set)
	case "openid-configuration":
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		self := scheme + "://" + r.Host + "/" + poolID
		writeWellKnown(w, map[string]any{
			"issuer":                                e.issuer(poolID),
			"jwks_uri":                              self + "/.well-known/jwks.json",
			"response_types_supported":              []string{"code", "token"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"scopes_supported":                      []string{"openid", "email", "phone", "profile"},
			"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
			"claims_supported":                      []string{"sub", "email", "email_verified", "phone_number", "phone_number_verified", "cognito:username"},
		})
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
	}
}

func writeWellKnown(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, errInternal)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "max-age=300")
	_, _ = w.Write(b)
}

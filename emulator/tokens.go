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
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

const metaSigningKey = "signing-key"

// signingKeys is the RS256 key every pool's tokens are signed with. It is
// made once and persisted, so tokens stay valid across restarts.
type signingKeys struct {
	priv   *rsa.PrivateKey
	kid    string
	signer jose.Signer
}

func loadSigningKeys(st *store, fixed *rsa.PrivateKey) (*signingKeys, error) {
	priv := fixed
	if priv == nil {
		err := st.update(func(t *txn) error {
			if der := t.meta(metaSigningKey); len(der) > 0 {
				k, err := x509.ParsePKCS1PrivateKey(der)
				if err != nil {
					return fmt.Errorf("emulator: stored signing key: %w", err)
				}
				priv = k
				return nil
			}
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				return fmt.Errorf("emulator: generate signing key: %w", err)
			}
			priv = k
			return t.setMeta(metaSigningKey, x509.MarshalPKCS1PrivateKey(k))
		})
		if err != nil {
			return nil, err
		}
	}
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
}

type authenticationResult struct {
	AccessToken  string `json:"AccessToken"`
	ExpiresIn    int64  `json:"ExpiresIn"`
	IdToken      string `json:"IdToken"`
	RefreshToken string `json:"RefreshToken,omitempty"`
	TokenType    string `json:"TokenType"`
}

// issueTokens signs the id and access tokens, and mints a refresh token when
// withRefresh (a sign-in, not a refresh).
func (e *Emulator) issueTokens(p *poolRecord, c *clientRecord, u *userRecord, ev authEvent, withRefresh bool) (*authenticationResult, error) {
	now := e.now()
	iss := e.issuer(p.ID)
	accessTTL, idTTL := c.accessTTL(), c.idTTL()
	access := map[string]any{
		"sub": u.Sub, "iss": iss, "client_id": c.ID, "origin_jti": ev.originJTI,
		"event_id": ev.eventID, "token_use": "access", "scope": "aws.cognito.signin.user.admin",
		"auth_time": ev.authTime.Unix(), "exp": now.Add(accessTTL).Unix(), "iat": now.Unix(),
		"jti": newUUID(), "username": u.Username,
	}
	id := map[string]any{
		"sub": u.Sub, "iss": iss, "cognito:username": u.Username, "origin_jti": ev.originJTI,
		"aud": c.ID, "event_id": ev.eventID, "token_use": "id", "auth_time": ev.authTime.Unix(),
		"exp": now.Add(idTTL).Unix(), "iat": now.Unix(), "jti": newUUID(),
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
	res := &authenticationResult{ExpiresIn: int64(accessTTL / time.Second), TokenType: "Bearer"}
	var err error
	if res.AccessToken, err = e.keys.sign(access); err != nil {
		return nil, err
	}
	if res.IdToken, err = e.keys.sign(id); err != nil {
		return nil, err
	}
	if withRefresh {
		rec := refreshRecord{PoolID: p.ID, ClientID: c.ID, Username: u.Username, Sub: u.Sub,
			OriginJTI: ev.originJTI, EventID: ev.eventID, AuthTime: ev.authTime, Expires: now.Add(c.refreshTTL())}
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
	jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(jws.Signatures) != 1 || jws.Signatures[0].Header.KeyID != e.keys.kid {
		return nil, "", bad
	}
	payload, err := jws.Verify(&e.keys.priv.PublicKey)
	if err != nil {
		return nil, "", bad
	}
	var c accessClaims
	if err := json.Unmarshal(payload, &c); err != nil || c.TokenUse != "access" {
		return nil, "", bad
	}
	poolID, ok := strings.CutPrefix(c.Iss, e.cfg.Issuer+"/")
	if !ok || !validPoolID(poolID) {
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
		jwk := jose.JSONWebKey{Key: &e.keys.priv.PublicKey, KeyID: e.keys.kid, Algorithm: "RS256", Use: "sig"}
		writeWellKnown(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{jwk}})
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

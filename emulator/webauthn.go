package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
)

// Passkeys (WebAuthn): the pool's WebAuthnConfiguration, the credentials a
// user registered, and the two ceremonies, checked with go-webauthn's
// protocol package (attestation formats, COSE keys, signatures) rather than
// by hand. What the emulator decides itself, in Cognito's terms:
//
//   - RP ID: the pool's WebAuthnConfiguration.RelyingPartyId. Cognito falls
//     back to the pool's domain; the emulator has no domains, so a pool
//     without an RP ID answers WebAuthnConfigurationMissingException.
//   - Origins: https://<rpid> or https://<sub>.<rpid> on any port (what a
//     browser lets a page claim the RP ID from), and for the RP ID
//     "localhost" also http://localhost:<port>, the one insecure origin
//     browsers run WebAuthn on. Anything else is
//     WebAuthnOriginNotAllowedException.
//   - User verification: "required" refuses a ceremony whose authenticator
//     data lacks the UV flag; "preferred" (the default) asks for it and
//     accepts its absence. User presence is always required.
//   - Challenges are single use: a registration challenge is consumed by the
//     first CompleteWebAuthnRegistration, a sign-in's by its session.
//   - The sign counter must grow when either side is non-zero (a cloned
//     authenticator is refused).

// webAuthnConfig is a pool's WebAuthnConfiguration as stored.
type webAuthnConfig struct {
	RelyingPartyId      string `json:",omitempty"`
	UserVerification    string `json:",omitempty"` // required | preferred
	FactorConfiguration string `json:",omitempty"` // SINGLE_FACTOR | MULTI_FACTOR_WITH_USER_VERIFICATION
}

func (c *webAuthnConfig) userVerification() string {
	if c == nil || c.UserVerification == "" {
		return "preferred"
	}
	return c.UserVerification
}

func (c *webAuthnConfig) uvRequired() bool { return c.userVerification() == "required" }

// webAuthnCredential is one registered passkey.
type webAuthnCredential struct {
	ID             string // base64url (no padding) of the raw credential id
	PublicKey      []byte // COSE_Key, as the authenticator gave it
	SignCount      uint32
	AAGUID         []byte `json:",omitempty"`
	Format         string `json:",omitempty"` // attestation statement format
	FriendlyName   string
	RelyingPartyID string
	Attachment     string   `json:",omitempty"` // platform | cross-platform
	Transports     []string `json:",omitempty"`
	Created        time.Time
}

// webAuthnPending is a registration begun by StartWebAuthnRegistration.
type webAuthnPending struct {
	Challenge string // base64url
	ClientID  string
	Expires   time.Time
}

// webAuthnTimeout is the ceremony timeout the options announce (ms), and
// registrationTTL how long a registration challenge is kept.
const (
	webAuthnTimeout = 180000
	registrationTTL = 5 * time.Minute
)

// maxWebAuthnCredentials bounds the passkeys one user may register.
const maxWebAuthnCredentials = 20

func errWebAuthn(typ, msg string) *apiError { return errf(typ, "%s", msg) }

func errWebAuthnConfigMissing() *apiError {
	return errWebAuthn("WebAuthnConfigurationMissingException", "The user pool has no WebAuthn relying party ID configured.")
}

func errWebAuthnNotEnabled() *apiError {
	return errWebAuthn("WebAuthnNotEnabledException", "Passkey sign-in (WEB_AUTHN) is not enabled for this user pool.")
}

// webAuthnEnabled reports whether the pool allows WEB_AUTHN as a first
// factor, which Cognito requires before passkeys can be registered.
func webAuthnEnabled(p *poolRecord) bool {
	if p.SignInPolicy == nil {
		return false
	}
	for _, f := range p.SignInPolicy.AllowedFirstAuthFactors {
		if f == "WEB_AUTHN" {
			return true
		}
	}
	return false
}

// webAuthnRPID is the pool's RP ID, or "" when none is configured.
func webAuthnRPID(p *poolRecord) string {
	if p.WebAuthn == nil {
		return ""
	}
	return p.WebAuthn.RelyingPartyId
}

// originAllowed applies the origin rule above.
func originAllowed(origin, rpID string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	rpID = strings.ToLower(rpID)
	if p := u.Port(); p != "" {
		if _, err := net.LookupPort("tcp", p); err != nil {
			return false
		}
	}
	switch u.Scheme {
	case "https":
		return host == rpID || strings.HasSuffix(host, "."+rpID)
	case "http":
		return rpID == "localhost" && host == "localhost"
	}
	return false
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// credentialDescriptor is a PublicKeyCredentialDescriptor in JSON.
type credentialDescriptor struct {
	Type       string   `json:"type"`
	ID         string   `json:"id"`
	Transports []string `json:"transports,omitempty"`
}

func descriptors(creds []webAuthnCredential) []credentialDescriptor {
	out := make([]credentialDescriptor, 0, len(creds))
	for _, c := range creds {
		out = append(out, credentialDescriptor{Type: "public-key", ID: c.ID, Transports: c.Transports})
	}
	return out
}

// creationOptions is StartWebAuthnRegistration's CredentialCreationOptions:
// PublicKeyCredentialCreationOptions in their JSON form (base64url binary),
// ready for PublicKeyCredential.parseCreationOptionsFromJSON.
type creationOptions struct {
	Challenge              string                 `json:"challenge"`
	RP                     map[string]string      `json:"rp"`
	User                   map[string]string      `json:"user"`
	PubKeyCredParams       []map[string]any       `json:"pubKeyCredParams"`
	Timeout                int                    `json:"timeout"`
	ExcludeCredentials     []credentialDescriptor `json:"excludeCredentials"`
	AuthenticatorSelection map[string]any         `json:"authenticatorSelection"`
}

// requestOptions is WEB_AUTHN's CREDENTIAL_REQUEST_OPTIONS.
type requestOptions struct {
	Challenge        string                 `json:"challenge"`
	Timeout          int                    `json:"timeout"`
	RPID             string                 `json:"rpId"`
	AllowCredentials []credentialDescriptor `json:"allowCredentials"`
	UserVerification string                 `json:"userVerification"`
}

// supportedAlgs are the COSE algorithms offered: ES256 and RS256, as
// Cognito offers.
var supportedAlgs = []webauthncose.COSEAlgorithmIdentifier{webauthncose.AlgES256, webauthncose.AlgRS256}

func credParams() []protocol.CredentialParameter {
	out := make([]protocol.CredentialParameter, 0, len(supportedAlgs))
	for _, a := range supportedAlgs {
		out = append(out, protocol.CredentialParameter{Type: protocol.PublicKeyCredentialType, Algorithm: a})
	}
	return out
}

func newCreationOptions(rpID, uv, challenge string, u *userRecord) *creationOptions {
	params := make([]map[string]any, 0, len(supportedAlgs))
	for _, a := range supportedAlgs {
		params = append(params, map[string]any{"type": "public-key", "alg": int(a)})
	}
	return &creationOptions{
		Challenge:          challenge,
		RP:                 map[string]string{"id": rpID, "name": rpID},
		User:               map[string]string{"id": b64url([]byte(u.Sub)), "name": u.Username, "displayName": u.Username},
		PubKeyCredParams:   params,
		Timeout:            webAuthnTimeout,
		ExcludeCredentials: descriptors(u.WebAuthn),
		AuthenticatorSelection: map[string]any{"requireResidentKey": true, "residentKey": "required",
			"userVerification": uv},
	}
}

// maxCredentialJSON bounds a Credential document (the request body is
// bounded too; this keeps the parse of one member small).
const maxCredentialJSON = 32 << 10

// checkClientData runs the checks whose failures Cognito names, before
// go-webauthn's full verification: ceremony type, challenge, origin.
func checkClientData(cd protocol.CollectedClientData, ceremony protocol.CeremonyType, challenge, rpID string, challengeErr string) *apiError {
	if cd.Type != ceremony {
		return errInvalidParam("The credential's clientDataJSON type is %q; want %q.", truncateRunes(string(cd.Type), 32), string(ceremony))
	}
	if challenge == "" || cd.Challenge != challenge {
		return errWebAuthn(challengeErr, "The credential answers a challenge that was not issued, has expired or was already used.")
	}
	if !originAllowed(cd.Origin, rpID) {
		return errWebAuthn("WebAuthnOriginNotAllowedException", "The origin "+truncateRunes(cd.Origin, 128)+" is not allowed for relying party "+rpID+".")
	}
	if cd.CrossOrigin || cd.TopOrigin != "" {
		return errWebAuthn("WebAuthnOriginNotAllowedException", "A cross-origin ceremony is not allowed.")
	}
	return nil
}

func rpIDHashMatches(authData protocol.AuthenticatorData, rpID string) bool {
	h := sha256.Sum256([]byte(rpID))
	return bytes.Equal(authData.RPIDHash, h[:])
}

// msgRegistrationNotVerified is the whole message for a registration whose
// attestation (or another check go-webauthn makes) fails.
const msgRegistrationNotVerified = "The passkey registration could not be verified."

// verifyRegistration checks a CompleteWebAuthnRegistration Credential
// against the pending challenge and returns the credential to store.
func verifyRegistration(raw []byte, challenge, rpID string, uvRequired bool, now time.Time) (*webAuthnCredential, error) {
	if len(raw) > maxCredentialJSON {
		return nil, errInvalidParam("Credential is too large.")
	}
	pcc, err := protocol.ParseCredentialCreationResponseBytes(raw)
	if err != nil {
		return nil, errInvalidParam("Credential is not a valid passkey registration: %s", protocolReason(err))
	}
	if e := checkClientData(pcc.Response.CollectedClientData, protocol.CreateCeremony, challenge, rpID, "WebAuthnChallengeNotFoundException"); e != nil {
		return nil, e
	}
	authData := pcc.Response.AttestationObject.AuthData
	if !rpIDHashMatches(authData, rpID) {
		return nil, errWebAuthn("WebAuthnRelyingPartyMismatchException", "The credential was made for another relying party than "+rpID+".")
	}
	if uvRequired && !authData.Flags.HasUserVerified() {
		return nil, errWebAuthn("WebAuthnCredentialNotSupportedException", "The user pool requires user verification and the authenticator did not verify the user.")
	}
	origin := pcc.Response.CollectedClientData.Origin
	_, err = pcc.Verify(challenge, rpID, []string{origin}, nil, nil, protocol.TopOriginExplicitVerificationMode,
		false, uvRequired, true, nil, credParams(), protocol.AttestationPolicy{}, protocol.SignaturePolicy{})
	if err != nil {
		// As for assertions: go-webauthn's detail describes its own
		// internals, not the client's mistake, so none of it is sent.
		return nil, errWebAuthn("WebAuthnCredentialNotSupportedException", msgRegistrationNotVerified)
	}
	att := authData.AttData
	c := &webAuthnCredential{ID: b64url(att.CredentialID), PublicKey: att.CredentialPublicKey, SignCount: authData.Counter,
		AAGUID: att.AAGUID, Format: pcc.Response.AttestationObject.Format, RelyingPartyID: rpID, Created: now.UTC()}
	switch pcc.AuthenticatorAttachment {
	case protocol.Platform, protocol.CrossPlatform:
		c.Attachment = string(pcc.AuthenticatorAttachment)
	}
	for _, t := range pcc.Response.Transports {
		if len(c.Transports) < 8 && len(t) <= 32 {
			c.Transports = append(c.Transports, string(t))
		}
	}
	c.FriendlyName = friendlyName(c)
	return c, nil
}

// friendlyName is the name ListWebAuthnCredentials shows. Cognito names a
// passkey after its provider, found by AAGUID; the emulator carries no
// provider list and names it by its attachment.
func friendlyName(c *webAuthnCredential) string {
	switch c.Attachment {
	case "platform":
		return "Platform passkey"
	case "cross-platform":
		return "Security key"
	}
	return "Passkey"
}

// assertion is a parsed WEB_AUTHN CREDENTIAL.
type assertion struct {
	parsed *protocol.ParsedCredentialAssertionData
}

func parseAssertion(raw string) (*assertion, error) {
	if len(raw) > maxCredentialJSON {
		return nil, errInvalidParam("CREDENTIAL is too large.")
	}
	p, err := protocol.ParseCredentialRequestResponseBytes([]byte(raw))
	if err != nil {
		return nil, errInvalidParam("CREDENTIAL is not a valid passkey assertion: %s", protocolReason(err))
	}
	return &assertion{parsed: p}, nil
}

func (a *assertion) credentialID() string { return b64url(a.parsed.RawID) }

// msgAssertionNotVerified is the whole message for an assertion whose
// signature (or another check go-webauthn makes) fails.
const msgAssertionNotVerified = "The passkey assertion could not be verified."

// verify checks the assertion against the stored credential and the
// sign-in's challenge; it returns the new sign count.
func (a *assertion) verify(c *webAuthnCredential, challenge, rpID string, uvRequired bool) (uint32, error) {
	if e := checkClientData(a.parsed.Response.CollectedClientData, protocol.AssertCeremony, challenge, rpID, "NotAuthorizedException"); e != nil {
		return 0, e
	}
	authData := a.parsed.Response.AuthenticatorData
	if !rpIDHashMatches(authData, rpID) || c.RelyingPartyID != rpID {
		return 0, errWebAuthn("WebAuthnRelyingPartyMismatchException", "The passkey belongs to another relying party than "+rpID+".")
	}
	if uvRequired && !authData.Flags.HasUserVerified() {
		return 0, errNotAuthorized("The user pool requires user verification and the authenticator did not verify the user.")
	}
	origin := a.parsed.Response.CollectedClientData.Origin
	err := a.parsed.Verify(challenge, rpID, "", []string{origin}, nil, nil, protocol.TopOriginExplicitVerificationMode,
		false, uvRequired, true, c.PublicKey, protocol.SignaturePolicy{})
	if err != nil {
		// go-webauthn's detail ("Error validating the assertion signature:
		// <nil>") describes its own internals, not the client's mistake;
		// the client learns only that the passkey did not verify.
		return 0, errNotAuthorized(msgAssertionNotVerified)
	}
	n := authData.Counter
	if (n != 0 || c.SignCount != 0) && n <= c.SignCount {
		return 0, errNotAuthorized("The passkey's signature counter did not increase; the authenticator may be cloned.")
	}
	return n, nil
}

// protocolReason is go-webauthn's short description of what failed,
// without the values it compared (which may be long or secret).
func protocolReason(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		if pe.Details != "" {
			return truncateRunes(pe.Details, 200)
		}
		return truncateRunes(pe.Type, 200)
	}
	return "malformed"
}

// encodeOptions renders options as the JSON string Cognito sends.
func encodeOptions(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain structs of strings and numbers
	}
	return string(b)
}

// webAuthnConfigView is GetUserPoolMfaConfig's WebAuthnConfiguration:
// user verification "preferred" unless set, as Cognito reports a pool
// never configured, and no RP ID until one is given.
func webAuthnConfigView(c *webAuthnConfig) *webAuthnConfig {
	out := &webAuthnConfig{UserVerification: c.userVerification()}
	if c != nil {
		out.RelyingPartyId, out.FactorConfiguration = c.RelyingPartyId, c.FactorConfiguration
	}
	return out
}

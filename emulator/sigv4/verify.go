// Package sigv4 verifies AWS Signature Version 4 on incoming requests
// against configured credentials, and refuses bad ones with the exception
// names and messages AWS's JSON services (Cognito among them) answer with,
// so that a client with a wrong secret fails locally the way it would fail
// against AWS. Only the Authorization-header form is supported (the JSON
// services' clients never presign).
package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Error is a refusal as AWS reports it: Type is the exception name
// (__type), Message its message; the HTTP status is 400 for all of them.
type Error struct {
	Type    string
	Message string
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// AWS's wordings.
const (
	msgUnrecognizedClient = "The security token included in the request is invalid."
	msgSignatureMismatch  = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	algorithm             = "AWS4-HMAC-SHA256"
	timeFormat            = "20060102T150405Z"
	dateFormat            = "20060102"
	// MaxSkew is how far a request's signing time may be from the server's clock.
	MaxSkew = 15 * time.Minute
	// maxAuthorization bounds the Authorization header considered (and echoed in messages).
	maxAuthorization = 4096
)

func incomplete(msg string) *Error { return &Error{"IncompleteSignatureException", msg} }
func invalid(msg string) *Error    { return &Error{"InvalidSignatureException", msg} }

// Credentials is one access key the server accepts. SessionToken is set
// for temporary credentials: a request must then carry exactly that token
// in X-Amz-Security-Token. Without one, a request carrying any token is
// refused, as AWS refuses a long-term key sent with a session token.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// Verifier checks requests signed for Service (e.g. "cognito-idp") with any
// of its Credentials. Region, when set, is the only region a credential
// scope may name. Now defaults to time.Now.
type Verifier struct {
	Credentials []Credentials
	Service     string
	Region      string
	Now         func() time.Time
}

// Verify checks r's Authorization header against body (the whole request
// body, already read by the caller). It returns nil or an *Error.
func (v *Verifier) Verify(r *http.Request, body []byte) error {
	authz := r.Header.Get("Authorization")
	if authz == "" {
		return &Error{"MissingAuthenticationTokenException", "Missing Authentication Token"}
	}
	if len(authz) > maxAuthorization {
		return incomplete("Authorization header is too long.")
	}
	a, err := parseAuthorization(authz)
	if err != nil {
		return err
	}
	c, ok := v.credentialsFor(a.accessKeyID)
	if !ok || subtle.ConstantTimeCompare([]byte(c.SessionToken), []byte(r.Header.Get("X-Amz-Security-Token"))) != 1 {
		return &Error{"UnrecognizedClientException", msgUnrecognizedClient}
	}
	secret := c.SecretAccessKey

	signed, err := signingTime(r)
	if err != nil {
		return err
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	t := now().UTC()
	if signed.Before(t.Add(-MaxSkew)) {
		return invalid(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 15 min.)",
			signed.Format(timeFormat), t.Add(-MaxSkew).Format(timeFormat), t.Format(timeFormat)))
	}
	if signed.After(t.Add(MaxSkew)) {
		return invalid(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 15 min.)",
			signed.Format(timeFormat), t.Add(MaxSkew).Format(timeFormat), t.Format(timeFormat)))
	}
	if a.date != signed.Format(dateFormat) {
		return invalid(fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			a.date, signed.Format(dateFormat), signed.Format(timeFormat)))
	}
	if v.Region != "" && a.region != v.Region {
		return invalid(fmt.Sprintf("Credential should be scoped to a valid region, not '%s'. ", a.region))
	}
	if v.Service != "" && a.service != v.Service {
		return invalid(fmt.Sprintf("Credential should be scoped to correct service: '%s'. ", v.Service))
	}
	if a.terminator != "aws4_request" {
		return invalid(fmt.Sprintf("Credential should be scoped with a valid terminator: 'aws4_request', not '%s'. ", a.terminator))
	}

	canonical, err := canonicalRequest(r, a.signedHeaders, body)
	if err != nil {
		return err
	}
	scope := a.date + "/" + a.region + "/" + a.service + "/" + a.terminator
	sum := sha256.Sum256([]byte(canonical))
	toSign := algorithm + "\n" + signed.Format(timeFormat) + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	key := hmacSHA256([]byte("AWS4"+secret), a.date)
	key = hmacSHA256(key, a.region)
	key = hmacSHA256(key, a.service)
	key = hmacSHA256(key, a.terminator)
	want := hex.EncodeToString(hmacSHA256(key, toSign))
	if subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(a.signature))) != 1 {
		return invalid(msgSignatureMismatch)
	}
	return nil
}

// credentialsFor looks the key id up; every configured key is compared, in
// constant time, so the answer's timing does not tell which keys exist.
func (v *Verifier) credentialsFor(id string) (Credentials, bool) {
	var found Credentials
	ok := false
	for _, c := range v.Credentials {
		if subtle.ConstantTimeCompare([]byte(c.AccessKeyID), []byte(id)) == 1 && !ok {
			found, ok = c, true
		}
	}
	return found, ok
}

type authorization struct {
	accessKeyID, date, region, service, terminator string
	signedHeaders                                  []string
	signature                                      string
}

// parseAuthorization reads "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
// SignedHeaders=a;b, Signature=hex" and reports what is missing as AWS does.
func parseAuthorization(h string) (*authorization, error) {
	alg, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	if alg != algorithm {
		return nil, incomplete(fmt.Sprintf("Unsupported AWS 'algorithm': '%s'.", alg))
	}
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			return nil, incomplete(fmt.Sprintf("'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", part, h))
		}
		params[k] = val
	}
	var missing []string
	for _, k := range []string{"Credential", "Signature", "SignedHeaders"} {
		if params[k] == "" {
			missing = append(missing, fmt.Sprintf("Authorization header requires '%s' parameter.", k))
		}
	}
	if len(missing) > 0 {
		return nil, incomplete(strings.Join(missing, " ") + " Authorization=" + h)
	}
	cred := strings.Split(params["Credential"], "/")
	if len(cred) != 5 || cred[0] == "" {
		return nil, incomplete(fmt.Sprintf("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", params["Credential"]))
	}
	a := &authorization{
		accessKeyID: cred[0], date: cred[1], region: cred[2], service: cred[3], terminator: cred[4],
		signedHeaders: strings.Split(params["SignedHeaders"], ";"),
		signature:     params["Signature"],
	}
	hasHost := false
	for _, name := range a.signedHeaders {
		if name == "host" || name == ":authority" {
			hasHost = true
		}
	}
	if !hasHost {
		return nil, incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	return a, nil
}

// signingTime is X-Amz-Date, else Date.
func signingTime(r *http.Request) (time.Time, error) {
	if s := r.Header.Get("X-Amz-Date"); s != "" {
		t, err := time.Parse(timeFormat, s)
		if err != nil {
			return time.Time{}, incomplete(fmt.Sprintf("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", truncate(s, 64)))
		}
		return t, nil
	}
	if s := r.Header.Get("Date"); s != "" {
		t, err := http.ParseTime(s)
		if err != nil {
			return time.Time{}, incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
		}
		return t.UTC(), nil
	}
	return time.Time{}, incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
}

// canonicalRequest is SigV4's: method, URI, query, headers, signed header
// list and payload hash, one per line.
func canonicalRequest(r *http.Request, signedHeaders []string, body []byte) (string, error) {
	sum := sha256.Sum256(body)
	payload := hex.EncodeToString(sum[:])
	// x-amz-content-sha256, when sent, is what was signed; it must also be the
	// body's hash, or the body was changed after signing. UNSIGNED-PAYLOAD is
	// refused: these operations' bodies carry the request itself.
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" && !strings.EqualFold(h, payload) {
		return "", invalid(msgSignatureMismatch)
	}
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.RawQuery))
	b.WriteByte('\n')
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payload)
	return b.String(), nil
}

// headerValue joins a header's values with commas, each trimmed and its
// inner runs of spaces collapsed. Go moves Host and Content-Length out of
// Header on incoming requests; they are read back from the request.
func headerValue(r *http.Request, name string) string {
	var values []string
	switch name {
	case "host", ":authority":
		values = []string{r.Host}
	case "content-length":
		values = r.Header.Values("Content-Length")
		if len(values) == 0 && r.ContentLength >= 0 {
			values = []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	default:
		values = r.Header.Values(name)
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(out, ",")
}

// canonicalURI encodes the request's (already escaped) path once more, as
// SigV4 does for every service but S3.
func canonicalURI(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		return "/"
	}
	return escape(p, false)
}

// canonicalQuery sorts the query by name, then value, each escaped strictly.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type kv struct{ k, v string }
	var pairs []kv
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		pairs = append(pairs, kv{escape(k, true), escape(v, true)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.k + "=" + p.v
	}
	return strings.Join(parts, "&")
}

// escape percent-encodes all but the unreserved characters (and '/' in paths).
func escape(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !encodeSlash) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

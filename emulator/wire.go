package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// MaxBodyBytes bounds every request body. Cognito's largest sign-in request
// (a device-verifier registration) is a few KiB.
const MaxBodyBytes = 64 << 10

const targetPrefix = "AWSCognitoIdentityProviderService."

// apiError is a Cognito exception as the wire carries it: a name in __type
// and Cognito's message. Handlers return it; the dispatcher writes it.
type apiError struct {
	Status  int
	Type    string
	Message string
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

func errf(typ, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Type: typ, Message: fmt.Sprintf(format, args...)}
}

// The messages below are Cognito's own wording, so clients that match on them keep working.
func errNotAuthorized(msg string) *apiError { return errf("NotAuthorizedException", "%s", msg) }
func errBadCredentials() *apiError          { return errNotAuthorized("Incorrect username or password.") }
func errInvalidSession() *apiError          { return errNotAuthorized("Invalid session for the user.") }
func errUserNotFound() *apiError            { return errf("UserNotFoundException", "User does not exist.") }
func errInvalidParam(format string, args ...any) *apiError {
	return errf("InvalidParameterException", format, args...)
}
func errMissingParam(name string) *apiError {
	return errInvalidParam("Missing required parameter %s", name)
}
func errPoolNotFound(id string) *apiError {
	return errf("ResourceNotFoundException", "User pool %s does not exist.", id)
}
func errClientNotFound(id string) *apiError {
	return errf("ResourceNotFoundException", "User pool client %s does not exist.", id)
}

// truncateRunes shortens a caller's value echoed in a message to n
// characters, never cutting one in two.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// errInternal hides the cause: internal failures are logged, never sent.
var errInternal = &apiError{Status: http.StatusInternalServerError, Type: "InternalErrorException", Message: "Internal server error."}

// validation collects Coral-style constraint failures, which Cognito reports
// together: "2 validation errors detected: Value null at 'clientId' ...; ...".
type validation []string

func (v *validation) required(field string, present bool) {
	if !present {
		*v = append(*v, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", field))
	}
}

func (v *validation) length(field, value string, min, max int) {
	n := len([]rune(value))
	if value == "" && min > 0 {
		return // reported by required
	}
	if n < min {
		*v = append(*v, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", field, min))
	}
	if n > max {
		*v = append(*v, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", field, max))
	}
}

func (v *validation) enum(field, value string, allowed ...string) {
	if value == "" {
		return
	}
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	*v = append(*v, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", value, field, strings.Join(allowed, ", ")))
}

func (v *validation) rangeInt(field string, value, min, max int) {
	if value < min {
		*v = append(*v, fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", value, field, min))
	}
	if value > max {
		*v = append(*v, fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", value, field, max))
	}
}

func (v validation) err() error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return errInvalidParam("1 validation error detected: %s", v[0])
	default:
		return errInvalidParam("%d validation errors detected: %s", len(v), strings.Join(v, "; "))
	}
}

// readBody reads an awsJson1.1 request body, bounded by MaxBodyBytes.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, errf("SerializationException", "Unable to read request body.")
	}
	if len(body) > MaxBodyBytes {
		return nil, &apiError{Status: http.StatusRequestEntityTooLarge, Type: "RequestEntityTooLargeException",
			Message: fmt.Sprintf("Request body is larger than %d bytes.", MaxBodyBytes)}
	}
	return body, nil
}

// decodeStrict reads one JSON object into dst the way AWS's awsJson1.1
// deserializers do: member names match exactly (case-sensitive), so
// "authflow" is not AuthFlow but an unknown member, and unknown members are
// ignored. An empty body is {}. Anything that is not one JSON object of the
// right shape is a SerializationException.
func decodeStrict(body []byte, dst any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		body = []byte("{}")
	}
	if body[0] != '{' {
		return errf("SerializationException", "Start of structure or map expected; the request body must be a JSON object.")
	}
	dec := jsontext.NewDecoder(bytes.NewReader(body), jsontext.AllowDuplicateNames(true))
	if _, err := dec.ReadValue(); err != nil {
		if msg := err.Error(); strings.Contains(msg, "UTF-8") || strings.Contains(msg, "surrogate") {
			// Refused, not replaced with U+FFFD: two different passwords
			// must never become one.
			return errf("SerializationException", "A string in the request body is not valid Unicode (invalid UTF-8 or a lone surrogate).")
		}
		return errf("SerializationException", "Unable to parse request body as JSON.")
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return errf("SerializationException", "Unexpected data after the JSON object.")
	}
	if err := jsonv2.Unmarshal(body, dst, jsonv2.MatchCaseInsensitiveNames(false), jsontext.AllowDuplicateNames(true)); err != nil {
		var se *jsonv2.SemanticError
		if errors.As(err, &se) && se.JSONPointer != "" {
			field := strings.TrimPrefix(string(se.JSONPointer), "/")
			if len(field) > 128 {
				field = field[:128]
			}
			return errf("SerializationException", "Invalid value for field %s.", field)
		}
		return errf("SerializationException", "Unable to parse request body as JSON.")
	}
	return nil
}

// writeJSON answers an operation as awsJson1.1.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"__type":"InternalErrorException","message":"Internal server error."}`)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError writes e with its X-Amzn-ErrorType header (which CORS does not
// expose, so browser clients must read __type, as they must with Cognito).
func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("X-Amzn-ErrorType", e.Type)
	writeJSON(w, e.Status, map[string]string{"__type": e.Type, "message": e.Message})
}

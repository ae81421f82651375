package signin

import (
	"fmt"

	"github.com/aws/smithy-go"
)

// CodeInvalidParameter is the code of errors about the caller's arguments,
// the name Cognito itself uses for a bad field.
const CodeInvalidParameter = "InvalidParameterException"

// CodeInvalidServerResponse is the code of errors about values the server
// sent that the SRP step cannot use (B ≡ 0 mod N, bad hex or base64, ...).
const CodeInvalidServerResponse = "InvalidServerResponseException"

// ParamError reports a bad argument before anything is sent. It implements
// smithy.APIError so callers handle it like Cognito's own InvalidParameterException.
type ParamError struct {
	Field   string // e.g. "AuthParameters.USERNAME"
	Problem string // e.g. "is required"
}

func (e *ParamError) Error() string                 { return "signin: " + e.ErrorMessage() }
func (e *ParamError) ErrorCode() string             { return CodeInvalidParameter }
func (e *ParamError) ErrorMessage() string          { return e.Field + " " + e.Problem }
func (e *ParamError) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

func paramErr(field, format string, args ...any) error {
	return &ParamError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// ServerError reports a challenge the engine cannot answer because the server
// sent unusable values. Err says which value; it never holds the password.
type ServerError struct {
	Challenge string
	Err       error
}

func (e *ServerError) Error() string     { return "signin: " + e.ErrorMessage() }
func (e *ServerError) ErrorCode() string { return CodeInvalidServerResponse }
func (e *ServerError) ErrorMessage() string {
	return fmt.Sprintf("%s challenge from the server is unusable: %v", e.Challenge, e.Err)
}
func (e *ServerError) ErrorFault() smithy.ErrorFault { return smithy.FaultServer }
func (e *ServerError) Unwrap() error                 { return e.Err }

// ProgressError is a failure after the server had already moved the
// sign-in on (TOTP setup verified, its session replaced). Pending is where
// the sign-in now stands: ConfirmSignIn on it retries only what failed.
// Callers that keep the pending sign-in (the wasm client) switch to it.
type ProgressError struct {
	Err     error
	Pending *Pending
}

func (e *ProgressError) Error() string { return e.Err.Error() }
func (e *ProgressError) Unwrap() error { return e.Err }

var (
	_ smithy.APIError = (*ParamError)(nil)
	_ smithy.APIError = (*ServerError)(nil)
)

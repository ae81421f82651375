// Package signin is the sign-in engine: Cognito's InitiateAuth and
// RespondToAuthChallenge over aws-sdk-go-v2, with the USER_SRP_AUTH password
// step answered locally so the password never leaves the caller.
//
// Flows:
//
//	USER_SRP_AUTH      caller gives USERNAME, PASSWORD; the engine sends USERNAME, SRP_A
//	                   (and SECRET_HASH), answers PASSWORD_VERIFIER with USER_ID_FOR_SRP
//	                   and returns tokens or the next challenge.
//	USER_PASSWORD_AUTH passed through, SECRET_HASH added.
//	REFRESH_TOKEN_AUTH passed through; USERNAME, if given, only keys SECRET_HASH and is
//	                   not sent (Cognito's refresh takes REFRESH_TOKEN, SECRET_HASH, DEVICE_KEY).
//	anything else      passed through, SECRET_HASH added when USERNAME is known.
//
// SECRET_HASH uses the name Cognito expects at each step: the typed name at
// InitiateAuth, the challenge's USERNAME in responses, the real username for
// refresh. Challenges other than PASSWORD_VERIFIER go back to the caller; the
// caller answers them with Respond, carrying USERNAME (the engine keeps no
// state between calls).
//
// Errors: Cognito's exceptions come back as the SDK's typed errors, reachable
// with errors.As(err, &smithy.APIError) (ErrorCode "NotAuthorizedException",
// Cognito's message). Bad arguments are *ParamError (code
// InvalidParameterException, naming the field); a server that answers the SRP
// step with unusable values is *ServerError (code InvalidServerResponseException).
// No error or log carries the password.
package signin

// Package signin is the sign-in engine: Cognito's InitiateAuth and
// RespondToAuthChallenge (and their Admin twins) as awsJson 1.1 calls
// (internal/cognitorpc, with aws-sdk-go-v2's types, retryers and SigV4), with
// every challenge that needs no person answered here, so the caller only
// ever sees what a person must do.
//
// SignIn / ConfirmSignIn speak Amplify JS v6's terms: authFlowType
// (USER_SRP_AUTH, USER_PASSWORD_AUTH, CUSTOM_WITH_SRP, CUSTOM_WITHOUT_SRP,
// USER_AUTH with a preferred challenge), and a Result whose NextStep has
// Amplify's signInStep and the challenge's parameters parsed (code delivery
// details, allowed MFA types, TOTP setup secret and URI, missing attributes,
// custom challenge parameters, first-factor choices). The engine answers
// PASSWORD_VERIFIER itself (for USER_SRP_AUTH, USER_AUTH's PASSWORD_SRP and
// CUSTOM_AUTH's SRP_A), starts TOTP setup with AssociateSoftwareToken and
// finishes it with VerifySoftwareToken. The session lives in *Pending, which
// ConfirmSignIn never changes: after a wrong code the same Pending answers again.
//
// The raw Initiate / Respond / AdminInitiate / AdminRespond stay as the
// escape hatch, Cognito-shaped (USER_SRP_AUTH still runs both SRP legs).
//
// SRP ephemerals: each Client keeps one (a, A = g^a) ready, built in the
// background through Config.Compute when the client is made and after each
// sign-in that used one has ended (not during it: under wasm the build would
// hold the thread the sign-in's answer is read on), so a sign-in does not
// wait for g^a. Each is handed out once and never
// returned, whether the sign-in succeeds or fails (ephemeral.go).
//
// SECRET_HASH uses the name Cognito expects at each step: the typed name at
// InitiateAuth, the challenge's USERNAME (else USER_ID_FOR_SRP) in answers,
// the real username for refresh.
//
// Retries: starting a flow is retried as the SDK does (never on
// NotAuthorizedException). A challenge answer spends a single-use session,
// so it is sent again only when the transport proves it never left (see
// NotSent); a resent answer would be refused and the sign-in lost. When a
// failure comes after the server moved the sign-in on (TOTP setup verified,
// its session replaced), the error is a *ProgressError carrying the Pending
// to continue from.
//
// Admin operations are signed with SigV4 from Config.Credentials, for Node
// and other trusted contexts; without credentials they are refused before
// anything is sent.
//
// Errors: Cognito's exceptions come back as smithy API errors with Cognito's
// code and message, reachable with errors.As(err, &smithy.APIError), wrapped
// as the SDK client wraps them. Bad arguments are *ParamError (code
// InvalidParameterException, naming the field), checked here and nowhere
// else; a server that sends unusable values is *ServerError (code
// InvalidServerResponseException). No error or log carries the password.
package signin

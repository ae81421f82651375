// Package emulator is a local Amazon Cognito user-pool server, as an
// http.Handler, that does real SRP: the first local emulator to do so.
//
// It speaks awsJson1.1 on POST / (X-Amz-Target:
// AWSCognitoIdentityProviderService.<Operation>), answers CORS preflights for
// any origin, and serves /{userPoolId}/.well-known/jwks.json and
// openid-configuration. Errors are HTTP 400 with {"__type", "message"} in
// Cognito's own words; internal failures are a bare 500.
//
// Sign-in (anonymous, as with Cognito): InitiateAuth USER_SRP_AUTH,
// USER_PASSWORD_AUTH, CUSTOM_AUTH (with or without SRP first), USER_AUTH
// (PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, by PREFERRED_CHALLENGE or
// SELECT_CHALLENGE), REFRESH_TOKEN_AUTH; RespondToAuthChallenge answers
// every challenge they lead to. AdminInitiateAuth and
// AdminRespondToAuthChallenge serve the same plus ADMIN_USER_PASSWORD_AUTH,
// SigV4-signed as management is.
// The pool's PreAuthentication, PostAuthentication, custom-auth, PreSignUp,
// PostConfirmation, UserMigration and CustomMessage Lambda triggers are
// invoked through the Lambda Invoke API at Config.LambdaEndpoint (package
// lambda). Management operations (pools, clients, users, groups) need a
// SigV4 Authorization header, checked against Config.Credentials when set,
// any otherwise (package sigv4); the signed-in user's own operations take
// an access token. The full list is operations(), mirrored in the README.
//
// Accounts (op_sign_up.go, op_password_reset.go, op_user_attributes.go):
// SignUp leaves a user UNCONFIRMED until the code sent to an auto-verified
// attribute comes back; password resets and attribute changes are
// confirmed by codes too (account_codes.go), kept on the user record by
// purpose, sent through the outbox, bounded in tries.
//
// MFA (mfa.go, challenge_mfa*.go): after the first factor, next asks for
// NEW_PASSWORD_REQUIRED, then MFA_SETUP (ON pool, no factor), then
// SELECT_MFA_TYPE or SMS_MFA / SOFTWARE_TOKEN_MFA (RFC 6238 with
// pquerna/otp) / EMAIL_OTP. Codes "sent" by SMS or email go to the outbox
// (outbox.go): the log, and GET /_dev/outbox?userPoolId=&username=.
//
// Passkeys (webauthn.go, op_webauthn.go, challenge_web_authn.go): WebAuthn
// registration and WEB_AUTHN sign-in, every ceremony verified with
// go-webauthn's protocol package; the credentials live on the user record
// and in the alias index, so one passkey belongs to one user of a pool.
//
// Layout: every operation is a typed request (with validate) and a typed
// response, one file per operation or small family (op_*.go), all behind
// one adapter (handle, operations.go) that decodes member names exactly as
// AWS does. Sign-in is a table of flows (flow_*.go), a registry of
// challenges (challenge_*.go) and one walk, next, over what remains after
// the first factor (signin.go). Domain code sits apart: users.go,
// passwords.go, attributes.go, filter.go, the store and its alias index
// (store.go), sessions and lockout (sessions.go).
//
// What it keeps: pools, clients, users (SRP salt and verifier, never the
// password), the RS256 signing key and the key refresh tokens are sealed
// with, in a bbolt file whose commits are fsynced. A refresh token carries
// its own record (refresh_tokens.go), so a sign-in writes nothing to disk
// and the store does not grow with sign-ins. Challenge sessions and lockout
// counters live in memory and are bounded.
//
// It imports srp and never the sign-in engine or the AWS SDK, so it cannot
// share the client's mistakes. The caller owns the listener: the emulator
// is meant for local development and tests, not for holding real users.
package emulator

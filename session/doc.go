// Package session keeps a signed-in user's tokens: it stores them where
// amazon-cognito-identity-js and Amplify JS v6 do (so an app that switches
// keeps its users signed in), hands out fresh ones, refreshing shortly before
// they expire, and signs out.
//
// Storage keys (Amplify's AUTH_KEY_PREFIX, identity-js's keyPrefix):
//
//	CognitoIdentityServiceProvider.<clientId>.LastAuthUser = <username>
//	CognitoIdentityServiceProvider.<clientId>.<username>.{idToken,accessToken,refreshToken,clockDrift,signInDetails}
//
// <username> is the access token's `username` claim: the user's real
// username, which both libraries write (USER_ID_FOR_SRP, or the challenge's
// USERNAME), never an alias the person typed.
//
// clockDrift is written as Amplify v6 writes it (@aws-amplify/auth 6.x,
// cacheCognitoTokens): milliseconds, the access token's iat minus the local
// time at which the tokens arrived (positive when the server's clock is
// ahead), 0 without iat. amazon-cognito-identity-js (CognitoUserSession's
// calculateClockDrift) writes seconds with the opposite sign (local now minus
// iat). The module's API is Amplify's, so it writes Amplify's form, and reads
// any value as Amplify reads it (parseDrift): a value identity-js wrote is
// then a drift of a few milliseconds, off by at most the drift it records
// (zero on a machine whose clock is right), until the next sign-in or
// refresh rewrites it. The two forms cannot be told apart (see parseDrift).
// identity-js reads Amplify's value as seconds (a server 10 minutes ahead
// looks like one a week behind), exactly as after Amplify v6 wrote it.
//
// Refresh: tokens count as expiring when, on the server's clock (local time
// plus drift), the access or id token expires within RefreshBefore (a
// quarter of its lifetime for tokens shorter than four times that). Callers
// that ask while a refresh is running share it. A refresh goes through
// GetTokensFromRefreshToken and keeps the stored refresh token unless a new
// one (rotation) comes back; a server that does not know that operation is
// asked with InitiateAuth REFRESH_TOKEN_AUTH instead, from then on. A
// refresh refused because the session is over (NotAuthorizedException and
// the like) clears the stored session, as Amplify does.
//
// Sign-out calls RevokeToken (GlobalSignOut when global) and clears storage
// even when that call fails; the call's error is reported, not returned.
//
// No token is ever written to a log or an error message.
package session

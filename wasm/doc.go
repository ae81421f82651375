// Command wasm is the WebAssembly module (GOOS=js GOARCH=wasm). It builds the
// sign-in engine over the Fetch transport and registers one namespace,
// globalThis.cognitoWasm, with:
//
//	initiate(config, request)  -> Promise<result>   InitiateAuth (SRP answered inside)
//	respond(config, request)   -> Promise<result>   RespondToAuthChallenge
//	version                    string
//
// config is {userPoolId, clientId, clientSecret?, region?, endpoint?};
// request and result are Cognito-shaped (AuthFlow, AuthParameters,
// ClientMetadata / ChallengeName, ChallengeResponses, Session; ChallengeName,
// ChallengeParameters, Session, AvailableChallenges, AuthenticationResult).
// A rejection is an Error whose name is Cognito's exception name, or
// InvalidParameterException naming the bad argument.
//
// Readiness: after registering, the module calls
// globalThis.__cognitoWasmReady(namespace) if that is a function, so a loader
// sets it before go.run(instance) and awaits it. The program then stays
// alive to serve calls.
package main

// Command wasm is the WebAssembly module (GOOS=js GOARCH=wasm). It builds the
// sign-in engine over the Fetch transport and registers one namespace,
// globalThis.cognitoWasm, with:
//
//	createClient(config)            -> Promise<client>  a module-side client (below)
//	initiate(config, request)       -> Promise<result>  InitiateAuth (SRP answered inside)
//	respond(config, request)        -> Promise<result>  RespondToAuthChallenge
//	adminInitiate(config, request)  -> Promise<result>  AdminInitiateAuth, SigV4 with config.credentials
//	adminRespond(config, request)   -> Promise<result>  AdminRespondToAuthChallenge
//	totpSetupUri(secret, app, acct) -> string           otpauth:// URI (an Error value if bad)
//	stats({gc?})                    -> object           diagnostic figures (below)
//	version                         string
//
// A client holds the engine client and the sign-in in progress, whose
// session never leaves the module: signIn(input) and confirmSignIn(input)
// take and return Amplify JS v6's shapes ({isSignedIn, nextStep: {signInStep,
// ...}, tokens?}); initiate, respond, adminInitiate, adminRespond are the raw
// calls for its config; dispose() releases it (so does garbage collection of
// the client object, where FinalizationRegistry exists), and a disposed
// client's calls reject with InvalidParameterException.
//
// config is {userPoolId, clientId, clientSecret?, region?, endpoint?,
// credentials?: {accessKeyId, secretAccessKey, sessionToken?}}; raw requests
// and results are Cognito-shaped. Arguments are only converted here (a lone
// UTF-16 surrogate or an unreadable value such as a revoked Proxy is
// refused); the engine checks them. A rejection is an Error whose name is
// Cognito's exception name, or InvalidParameterException naming the bad
// argument by its JS path.
//
// stats is a diagnostic for benches and leak hunts, not an API: it answers
// at once with goroutines (runtime.NumGoroutine), jsFuncs (js.Funcs made and
// not released: a fixed few for the namespace plus two per Promise being
// awaited), clients (live handles), running and queued (sign-in calls in
// flight, at most MaxInFlight, and those waiting their turn), and the Go
// runtime's memory figures (heapAlloc, heapInuse, heapSys, stackInuse, sys,
// numGC, totalAlloc, heapObjects); {gc: true} collects garbage first. Its
// fields may change.
//
// Readiness: after registering, the module calls
// globalThis.__cognitoWasmReady(namespace) if that is a function, so a loader
// sets it before go.run(instance) and awaits it. The program then stays
// alive to serve calls.
package main

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/cognito-wasm/cognito-wasm/emulator"
)

// The passkey pool: relying party "localhost", user verification required,
// passwords and passkeys as first factors.
const (
	passkeyPool     = "us-east-1_cwPasskey01"
	passkeyClient   = "cwpasskeyclient000000001"
	passkeyUser     = "passkey-user"
	passkeyPassword = "Passw0rd!passkey"
)

func passkeySeed() emulator.Seed {
	return emulator.Seed{UserPools: []emulator.SeedPool{{
		ID: passkeyPool, Name: "passkeys",
		SignInPolicy:          &emulator.SeedSignInPolicy{AllowedFirstAuthFactors: []string{"PASSWORD", "WEB_AUTHN"}},
		WebAuthnConfiguration: &emulator.SeedWebAuthnConfiguration{RelyingPartyID: "localhost", UserVerification: "required"},
		Clients: []emulator.SeedClient{{ID: passkeyClient, Name: "passkeys-web",
			ExplicitAuthFlows: []string{"ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}},
		Users: []emulator.SeedUser{{Username: passkeyUser, Password: passkeyPassword}},
	}}}
}

// passkeyPage serves the built module and a blank page. It listens on
// 127.0.0.1; the tests open it as http://localhost:<port> (a secure
// context whose RP ID may be "localhost") or under other names.
func passkeyPage(t *testing.T) (port string) {
	t.Helper()
	url := serveBlankPage(t, `<!doctype html><title>passkeys</title><body>passkeys</body>`)
	return url[strings.LastIndex(url, ":")+1:]
}

// passkeyTab opens url in a new tab with a virtual CTAP2 platform
// authenticator that verifies its user (the DevTools WebAuthn domain).
func passkeyTab(t *testing.T, url string) (context.Context, webauthn.AuthenticatorID) {
	t.Helper()
	tab, cancelTab := chromedp.NewContext(env.browser)
	t.Cleanup(cancelTab)
	ctx, cancel := context.WithTimeout(tab, 90*time.Second)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	return ctx, addAuthenticator(t, ctx)
}

// addAuthenticator gives the tab ctx a virtual CTAP2 platform authenticator
// that verifies its user (the DevTools WebAuthn domain).
func addAuthenticator(t *testing.T, ctx context.Context) webauthn.AuthenticatorID {
	t.Helper()
	if _, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		t.Fatalf("WebAuthn.enable: %v", err)
	}
	added, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{Options: &webauthn.VirtualAuthenticatorOptions{
		Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21, Transport: webauthn.AuthenticatorTransportInternal,
		HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true,
	}})
	if err != nil {
		t.Fatalf("WebAuthn.addVirtualAuthenticator: %v", err)
	}
	return added.AuthenticatorID
}

// runJS runs body (an async function body with auth, mod and u in scope)
// and decodes the JSON it returns into out.
func runJS(t *testing.T, ctx context.Context, body string, out any) {
	t.Helper()
	js := fmt.Sprintf(`(async () => {
		const mod = await import("/dist/cognito-wasm.js");
		const auth = globalThis.__auth || (globalThis.__auth = await mod.createAuth({userPoolId: %q, clientId: %q, endpoint: %q}));
		const u = %q, pw = %q;
		const fail = async (p) => { try { await p; return "resolved"; } catch (e) { return e.name + ": " + e.message; } };
		%s
	})()`, passkeyPool, passkeyClient, env.endpoint, passkeyUser, passkeyPassword, body)
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("page script: %v", err)
	}
	if err := json.Unmarshal([]byte(raw), out); err != nil {
		t.Fatalf("page answered %q: %v", raw, err)
	}
}

// TestPasskeys registers a passkey in Chromium, lists it, signs in with it
// (preferred, and chosen at SELECT_CHALLENGE), and deletes it; a replayed
// answer, a tampered assertion and other origins are refused.
func TestPasskeys(t *testing.T) {
	port := passkeyPage(t)
	ctx, authenticator := passkeyTab(t, "http://localhost:"+port+"/")

	var reg struct {
		First, Passkey, Select, Selected, User string
		Available                              []string
		Credentials                            []map[string]any
		CreatedIsDate                          bool
		SignedIn                               bool
	}
	runJS(t, ctx, `
		const out = {};
		out.First = (await auth.signIn({username: u, password: pw, options: {authFlowType: "USER_AUTH", preferredChallenge: "PASSWORD_SRP"}})).nextStep.signInStep;
		await auth.associateWebAuthnCredential();
		const list = await auth.listWebAuthnCredentials({pageSize: 10});
		out.Credentials = list.credentials;
		out.CreatedIsDate = list.credentials.every((c) => c.createdAt instanceof Date && !isNaN(c.createdAt));
		await auth.signOut();
		const s = await auth.signIn({username: u, options: {authFlowType: "USER_AUTH", preferredChallenge: "WEB_AUTHN"}});
		out.Passkey = s.nextStep.signInStep; out.SignedIn = s.isSignedIn;
		out.User = (await auth.getCurrentUser()).username;
		await auth.signOut();
		const sel = await auth.signIn({username: u, options: {authFlowType: "USER_AUTH"}});
		out.Select = sel.nextStep.signInStep; out.Available = sel.nextStep.availableChallenges;
		out.Selected = (await auth.confirmSignIn({challengeResponse: "WEB_AUTHN"})).nextStep.signInStep;
		return JSON.stringify(out);`, &reg)
	if reg.First != "DONE" {
		t.Fatalf("password sign-in step = %q; want DONE", reg.First)
	}
	if len(reg.Credentials) != 1 {
		t.Fatalf("listWebAuthnCredentials = %v; want the one passkey", reg.Credentials)
	}
	c := reg.Credentials[0]
	if c["credentialId"] == "" || c["relyingPartyId"] != "localhost" || c["authenticatorAttachment"] != "platform" || !reg.CreatedIsDate {
		t.Errorf("credential = %v (createdAt a Date: %v); want an id, relyingPartyId localhost, platform attachment, a createdAt Date", c, reg.CreatedIsDate)
	}
	if reg.Passkey != "DONE" || !reg.SignedIn || reg.User != passkeyUser {
		t.Errorf("passkey sign-in = %q signedIn %v user %q; want DONE, true, %s", reg.Passkey, reg.SignedIn, reg.User, passkeyUser)
	}
	if reg.Select != "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION" || !strings.Contains(strings.Join(reg.Available, ","), "WEB_AUTHN") || reg.Selected != "DONE" {
		t.Errorf("sign-in choosing WEB_AUTHN: %q offering %v, then %q; want the first-factor selection offering WEB_AUTHN, then DONE", reg.Select, reg.Available, reg.Selected)
	}

	// The browser's refusals under Amplify's names: the same authenticator
	// again (Cognito lists it in excludeCredentials), and a user the
	// authenticator cannot verify while the pool requires verification.
	var again struct{ Again string }
	runJS(t, ctx, `return JSON.stringify({Again: await fail(auth.associateWebAuthnCredential())});`, &again)
	if !strings.HasPrefix(again.Again, "PasskeyAlreadyExists") {
		t.Errorf("associateWebAuthnCredential with the same authenticator = %q; want PasskeyAlreadyExists", again.Again)
	}
	setVerified := func(v bool) {
		t.Helper()
		if _, err := chromedp.Call(ctx, webauthn.SetUserVerified, webauthn.SetUserVerifiedParams{AuthenticatorID: authenticator, IsUserVerified: v}); err != nil {
			t.Fatalf("WebAuthn.setUserVerified: %v", err)
		}
	}
	setVerified(false)
	var unverified struct{ Got string }
	runJS(t, ctx, `await auth.signOut();
		return JSON.stringify({Got: await fail(auth.signIn({username: u, options: {authFlowType: "USER_AUTH", preferredChallenge: "WEB_AUTHN"}}))});`, &unverified)
	setVerified(true)
	if !strings.HasPrefix(unverified.Got, "PasskeyAuthenticationCanceled") {
		t.Errorf("passkey sign-in without user verification = %q; want PasskeyAuthenticationCanceled (the browser's NotAllowedError)", unverified.Got)
	}

	// Raw calls: one assertion answered twice, the same assertion in a new
	// sign-in, and an assertion whose sign counter was changed after signing.
	var raw struct{ First, Again, OtherSession, Tampered string }
	runJS(t, ctx, `
		const start = async () => {
			const r = await auth.initiate({AuthFlow: "USER_AUTH", AuthParameters: {USERNAME: u, PREFERRED_CHALLENGE: "WEB_AUTHN"}});
			const got = await navigator.credentials.get({publicKey: mod.passkeyRequestOptions(r.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS)});
			return {session: r.Session, cred: mod.passkeyCredentialJSON(got)};
		};
		const answer = (session, cred) => auth.respondToAuthChallenge({ChallengeName: "WEB_AUTHN", Session: session,
			ChallengeResponses: {USERNAME: u, CREDENTIAL: JSON.stringify(cred)}});
		const out = {};
		const a = await start();
		const r1 = await answer(a.session, a.cred);
		out.First = r1.AuthenticationResult && r1.AuthenticationResult.AccessToken ? "tokens" : JSON.stringify(r1);
		out.Again = await fail(answer(a.session, a.cred));
		const b = await start();
		out.OtherSession = await fail(answer(b.session, a.cred));
		const c = await start();
		const ad = atob(c.cred.response.authenticatorData.replace(/-/g, "+").replace(/_/g, "/"));
		const flipped = ad.slice(0, ad.length - 1) + String.fromCharCode(ad.charCodeAt(ad.length - 1) ^ 1);
		c.cred.response.authenticatorData = btoa(flipped).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
		out.Tampered = await fail(answer(c.session, c.cred));
		return JSON.stringify(out);`, &raw)
	t.Logf("again: %s; other session: %s; tampered: %s", raw.Again, raw.OtherSession, raw.Tampered)
	if raw.First != "tokens" {
		t.Fatalf("raw WEB_AUTHN answer = %s; want tokens", raw.First)
	}
	for _, c := range []struct{ what, got, want string }{
		{"the same answer again", raw.Again, "NotAuthorizedException: Invalid session for the user."},
		{"an assertion of another sign-in", raw.OtherSession, "NotAuthorizedException: The credential answers a challenge that was not issued"},
		{"a tampered assertion", raw.Tampered, "NotAuthorizedException: The passkey assertion could not be verified"},
	} {
		if !strings.HasPrefix(c.got, c.want) {
			t.Errorf("%s = %q; want %q...", c.what, c.got, c.want)
		}
	}

	// Another origin: the same server under 127.0.0.1 may not use RP ID
	// localhost (the browser refuses), and sub.localhost is not an origin the
	// pool allows (the emulator refuses).
	var other struct{ IP, Sub string }
	for host, dst := range map[string]*string{"127.0.0.1": &other.IP, "sub.localhost": &other.Sub} {
		octx, _ := passkeyTab(t, "http://"+host+":"+port+"/")
		var o struct{ Got string }
		runJS(t, octx, `return JSON.stringify({Got: await fail(auth.signIn({username: u, options: {authFlowType: "USER_AUTH", preferredChallenge: "WEB_AUTHN"}}))});`, &o)
		*dst = o.Got
	}
	t.Logf("127.0.0.1: %s; sub.localhost: %s", other.IP, other.Sub)
	if !strings.HasPrefix(other.IP, "RelyingPartyMismatch") && !strings.HasPrefix(other.IP, "PasskeyRetrieval") {
		t.Errorf("passkey sign-in from 127.0.0.1 = %q; want the browser's refusal as a Passkey* / RelyingPartyMismatch error", other.IP)
	}
	if !strings.HasPrefix(other.Sub, "RelyingPartyMismatch") && !strings.HasPrefix(other.Sub, "WebAuthnOriginNotAllowedException") {
		t.Errorf("passkey sign-in from sub.localhost = %q; want it refused (by the browser or the emulator)", other.Sub)
	}

	// Delete: the list is empty and the passkey no longer signs in (USER_AUTH
	// preferring WEB_AUTHN offers the other factors instead).
	var del struct {
		Left     int
		SignedIn bool
		Step     string
	}
	runJS(t, ctx, `
		await auth.signIn({username: u, password: pw, options: {authFlowType: "USER_AUTH", preferredChallenge: "PASSWORD_SRP"}});
		const id = (await auth.listWebAuthnCredentials()).credentials[0].credentialId;
		await auth.deleteWebAuthnCredential({credentialId: id});
		const left = (await auth.listWebAuthnCredentials()).credentials.length;
		await auth.signOut();
		const s = await auth.signIn({username: u, options: {authFlowType: "USER_AUTH", preferredChallenge: "WEB_AUTHN"}});
		return JSON.stringify({Left: left, SignedIn: s.isSignedIn, Step: s.nextStep.signInStep});`, &del)
	if del.Left != 0 || del.SignedIn || del.Step != "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION" {
		t.Errorf("after deleteWebAuthnCredential: %d passkeys left, passkey sign-in signedIn %v at %q; want none, not signed in, the first-factor selection", del.Left, del.SignedIn, del.Step)
	}
}

package e2e

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cognito-wasm/cognito-wasm/emulator"
)

// The load pool: users that go straight to DONE, signed in many times at once.
const (
	loadPool     = "us-east-1_cwLoad0001"
	loadClient   = "cognitowasmloadclient00001"
	loadUsers    = 50
	loadPerUser  = 20
	loadPassword = "Load-Passw0rd!"
)

func loadUser(i int) string { return fmt.Sprintf("load%02d", i) }

// loadSeed is the emulator seed of the load pool; the demo seed stays small.
func loadSeed() emulator.Seed {
	p := emulator.SeedPool{ID: loadPool, Name: "load", Clients: []emulator.SeedClient{{
		ID: loadClient, Name: "load-web", ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
	}}}
	for i := range loadUsers {
		p.Users = append(p.Users, emulator.SeedUser{Username: loadUser(i), Password: loadPassword})
	}
	return emulator.Seed{UserPools: []emulator.SeedPool{p}}
}

// TestThousandConcurrentSignIns starts 1000 SRP sign-ins at once in one page,
// on one auth handle, and requires every one of them to succeed with the
// tokens of its own user: no challenge answer may be resent and refused as
// "Invalid session for the user." while the wasm thread is busy.
func TestThousandConcurrentSignIns(t *testing.T) {
	// 1000 SRP sign-ins share two cores with the emulator: give them longer
	// than a page's usual minute. The outcome, not the time, is asserted.
	p := openPageWithin(t, env.pageURL, 8*time.Minute)
	js := fmt.Sprintf(`(async () => {
		const { createAuth } = await import("/dist/cognito-wasm.js");
		const auth = await createAuth({userPoolId: %q, clientId: %q, endpoint: %q});
		const names = [];
		for (let i = 0; i < %d; i++) names.push("load" + String(i %% %d).padStart(2, "0"));
		const claims = (jwt) => JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
		const start = performance.now();
		const results = await Promise.allSettled(names.map((username) =>
			auth.signIn({username, password: %q, options: {authFlowType: "USER_SRP_AUTH"}})));
		const ms = Math.round(performance.now() - start);
		let ok = 0;
		const failures = {};
		results.forEach((r, i) => {
			let why = "";
			if (r.status === "rejected") why = (r.reason && r.reason.name) + ": " + (r.reason && r.reason.message);
			else if (!r.value.isSignedIn || r.value.nextStep.signInStep !== "DONE") why = "not signed in: " + JSON.stringify(r.value.nextStep);
			else if (!r.value.tokens || claims(r.value.tokens.accessToken).username !== names[i]) why = "tokens of another user";
			if (why) failures[why] = (failures[why] || 0) + 1;
			else ok++;
		});
		return JSON.stringify({ok, failures, ms});
	})()`, loadPool, loadClient, env.endpoint, loadUsers*loadPerUser, loadUsers, loadPassword)
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running %d sign-ins in the page: %v", loadUsers*loadPerUser, err)
	}
	var got struct {
		OK       int            `json:"ok"`
		Failures map[string]int `json:"failures"`
		MS       int            `json:"ms"`
	}
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatalf("page answered %q: %v", raw, err)
	}
	t.Logf("%d of %d concurrent sign-ins succeeded in %d ms", got.OK, loadUsers*loadPerUser, got.MS)
	if got.OK != loadUsers*loadPerUser || len(got.Failures) != 0 {
		t.Errorf("%d of %d concurrent sign-ins succeeded; failures: %v; want all, none lost", got.OK, loadUsers*loadPerUser, got.Failures)
	}
}

// Tests of the JS shim under Node 20: it loads the built module through
// cognito-wasm.js, checks readiness and bad-argument rejections, and signs in
// by SRP against the project's emulator running as a child process.
//
// Run: node --test js/test/shim.test.mjs
// The dist directory is built fresh into a temp dir by js/build-dist.sh,
// unless COGNITO_WASM_DIST names an already built one (the Makefile's build/dist).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const work = mkdtempSync(join(tmpdir(), "cognito-wasm-shim-"));

const POOL = "us-east-1_cwShim001";
const CLIENT = "cwshimpublicclient000001";
const SECRET_CLIENT = "cwshimsecretclient000001";
const SECRET = "shim-test-client-secret-0123456789";
const FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
const SEED = {
  userPools: [{
    id: POOL, name: "shim-test", aliasAttributes: ["email"],
    clients: [
      { id: CLIENT, name: "public", explicitAuthFlows: FLOWS },
      { id: SECRET_CLIENT, name: "secret", secret: SECRET, explicitAuthFlows: FLOWS },
    ],
    users: [
      { username: "alice", password: "Passw0rd!Alice", attributes: { email: "alice@example.com", email_verified: "true" } },
      { username: "zoë", password: "pässwörd✓Zoë1!", attributes: { email: "zoe@example.com", email_verified: "true" } },
    ],
  }],
};

let shim; // the imported cognito-wasm.js
let distDir; // the directory it came from
let emulator; // child process
let endpoint;
let emulatorLog = "";

// The environment with GOOS/GOARCH cleared, for native builds.
const nativeEnv = { ...process.env, GOOS: "", GOARCH: "" };

before(async () => {
  let dist = process.env.COGNITO_WASM_DIST;
  if (!dist) {
    dist = join(work, "dist");
    execFileSync(join(root, "js", "build-dist.sh"), [dist], { cwd: root, env: nativeEnv, stdio: ["ignore", "ignore", "inherit"] });
  }
  for (const f of ["cognito-wasm.js", "cognito-wasm.d.ts", "cognito-wasm.wasm", "wasm_exec.js"]) {
    assert.ok(existsSync(join(dist, f)), `${join(dist, f)} is missing: run js/build-dist.sh ${dist}`);
  }
  distDir = dist;
  shim = await import(pathToFileURL(join(dist, "cognito-wasm.js")).href);

  const bin = join(work, "cognito-emulator");
  execFileSync("go", ["build", "-o", bin, "./cmd/cognito-emulator"], { cwd: root, env: nativeEnv, stdio: ["ignore", "ignore", "inherit"] });
  const seedFile = join(work, "seed.json");
  writeFileSync(seedFile, JSON.stringify(SEED));
  emulator = spawn(bin, ["-addr", "127.0.0.1:0", "-seed", seedFile], { stdio: ["ignore", "pipe", "pipe"] });
  // Its request log is kept (bounded) for failure messages, not printed.
  emulator.stderr.on("data", (d) => {
    if (emulatorLog.length < 64 << 10) emulatorLog += d;
  });
  endpoint = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`emulator did not report listening within 60s: ${out}`)), 60000);
    emulator.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/cognito-emulator listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        emulator.stdout.resume();
        resolve(m[1]);
      }
    });
    emulator.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}: ${out}\n${emulatorLog}`));
    });
  });
});

after(() => {
  if (emulator && emulator.exitCode === null) {
    emulator.removeAllListeners("exit");
    emulator.kill();
  }
  rmSync(work, { recursive: true, force: true });
});

const config = (extra = {}) => ({ userPoolId: POOL, clientId: CLIENT, endpoint, ...extra });

/** Asserts that promise rejects with an Error named name whose message contains fragment. */
async function rejectsWith(promise, name, fragment, label) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof Error, `${label}: rejected with a non-Error ${err}`);
    assert.equal(err.name, name, `${label}: name = ${err.name} (${err.message}); want ${name}`);
    assert.ok(err.message.includes(fragment), `${label}: message ${JSON.stringify(err.message)} lacks ${JSON.stringify(fragment)}`);
    return true;
  }, label);
}

function claims(jwt) {
  const parts = jwt.split(".");
  assert.equal(parts.length, 3, `token ${jwt} is not a JWT`);
  return JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
}

test("loadCognitoWasm is ready once and idempotent", async () => {
  const [a, b] = await Promise.all([shim.loadCognitoWasm(), shim.loadCognitoWasm()]);
  assert.equal(a, b, "two loads gave two namespaces");
  assert.equal(globalThis.cognitoWasm, a, "globalThis.cognitoWasm is not the namespace");
  assert.equal(typeof a.initiate, "function");
  assert.equal(typeof a.respond, "function");
  assert.match(a.version, /^\d+\.\d+\.\d+/);
  assert.equal(globalThis.__cognitoWasmReady, undefined, "the readiness hook was left behind");
  assert.equal(await shim.loadCognitoWasm(), a, "a later load gave another namespace");
});

test("bad arguments reject with InvalidParameterException naming the field", async () => {
  const ns = await shim.loadCognitoWasm();
  const auth = await shim.createAuth(config());
  const cases = [
    ["raw initiate, no arguments", () => ns.initiate(), "config must be an object, not undefined"],
    ["raw initiate, null config", () => ns.initiate(null, {}), "config must be an object, not null"],
    ["raw initiate, array config", () => ns.initiate([1], {}), "config must be an object, not an array"],
    ["raw initiate, number pool", () => ns.initiate({ userPoolId: 1, clientId: "a" }, {}), "config.userPoolId must be a string, not a number"],
    ["raw initiate, number username", () => ns.initiate(config(), { AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: 5, PASSWORD: "x" } }), "AuthParameters.USERNAME must be a string, not a number"],
    ["raw initiate, huge password", () => ns.initiate(config(), { AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: "a", PASSWORD: "x".repeat(1 << 22) } }), "AuthParameters.PASSWORD is longer than"],
    ["raw initiate, extra arguments", () => ns.initiate(config(), { AuthFlow: 7 }, "extra", 1, null), "AuthFlow must be a string, not a number"],
    ["raw respond, string answers", () => ns.respond(config(), { ChallengeName: "SMS_MFA", ChallengeResponses: "123456" }), "ChallengeResponses must be an object, not a string"],
    ["module initiate, bad config", () => shim.initiate("pool", {}), "config must be an object, not a string"],
    ["module respond, missing USERNAME", () => shim.respond(config(), { ChallengeName: "SMS_MFA", ChallengeResponses: {} }), "ChallengeResponses.USERNAME is required"],
    ["createAuth, undefined", () => shim.createAuth(), "config must be an object"],
    ["createAuth, no clientId", () => shim.createAuth({ userPoolId: POOL }), "config.clientId is required"],
    ["createAuth, number endpoint", () => shim.createAuth({ userPoolId: POOL, clientId: CLIENT, endpoint: 9229 }), "config.endpoint must be a string, not a number"],
    ["signIn, no options", () => auth.signIn(), "signIn options must be an object, not undefined"],
    ["signIn, no password", () => auth.signIn({ username: "alice" }), "password must be a non-empty string"],
    ["signIn, number username", () => auth.signIn({ username: 1, password: "p" }), "username must be a non-empty string, not a number"],
    ["signIn, array metadata", () => auth.signIn({ username: "a", password: "p", clientMetadata: ["x"] }), "ClientMetadata must be an object, not an array"],
    ["signIn, bad pool", async () => (await shim.createAuth({ userPoolId: "nounderscore", clientId: CLIENT })).signIn({ username: "a", password: "p" }), "config.userPoolId must look like"],
    ["respond, tokens step", () => auth.respond({ type: "tokens" }, {}), "step must be a challenge step"],
    ["respond, null step", () => auth.respond(null, {}), "step must be an object, not null"],
    ["refresh, no token", () => auth.refresh({}), "refreshToken must be a non-empty string"],
    ["raw auth.initiate, no flow", () => auth.initiate({}), "AuthFlow is required"],
  ];
  for (const [label, fn, fragment] of cases) {
    await rejectsWith(fn(), "InvalidParameterException", fragment, label);
  }
});

test("SRP sign-in against the emulator", async () => {
  const cases = [
    { label: "by username", cfg: config(), username: "alice", password: "Passw0rd!Alice", user: "alice" },
    { label: "by email alias", cfg: config(), username: "alice@example.com", password: "Passw0rd!Alice", user: "alice" },
    { label: "non-ASCII", cfg: config(), username: "zoë", password: "pässwörd✓Zoë1!", user: "zoë" },
    { label: "client with secret", cfg: config({ clientId: SECRET_CLIENT, clientSecret: SECRET }), username: "alice@example.com", password: "Passw0rd!Alice", user: "alice" },
  ];
  for (const c of cases) {
    const auth = await shim.createAuth(c.cfg);
    const step = await auth.signIn({ username: c.username, password: c.password });
    assert.equal(step.type, "tokens", `${c.label}: step ${JSON.stringify(step)}`);
    const id = claims(step.tokens.idToken);
    assert.equal(id["cognito:username"], c.user, `${c.label}: id token user`);
    assert.equal(id.token_use, "id");
    assert.equal(claims(step.tokens.accessToken).token_use, "access");
    assert.ok(step.tokens.refreshToken, `${c.label}: no refresh token`);
    assert.ok(step.tokens.expiresIn > 0, `${c.label}: expiresIn ${step.tokens.expiresIn}`);
    assert.equal(step.tokens.tokenType, "Bearer");
    assert.equal(step.raw.AuthenticationResult.IdToken, step.tokens.idToken);

    const again = await auth.refresh({ refreshToken: step.tokens.refreshToken, username: c.user });
    assert.equal(again.type, "tokens", `${c.label}: refresh step ${JSON.stringify(again)}`);
    assert.equal(claims(again.tokens.accessToken).username, c.user);
    assert.equal(again.tokens.refreshToken, step.tokens.refreshToken, `${c.label}: refresh should keep the refresh token`);
  }
});

test("Cognito's errors reach the caller by name and message", async () => {
  const auth = await shim.createAuth(config());
  await rejectsWith(auth.signIn({ username: "alice", password: "Wrong-passw0rd" }), "NotAuthorizedException", "Incorrect username or password.", "wrong password");
  await rejectsWith(auth.signIn({ username: "nobody", password: "Whatever-1" }), "UserNotFoundException", "User does not exist.", "unknown user");
  await rejectsWith(auth.signIn({ username: "alice", password: "Wrong-passw0rd", authFlow: "USER_PASSWORD_AUTH" }), "NotAuthorizedException", "Incorrect username or password.", "wrong password, password flow");
  const offline = await shim.createAuth({ userPoolId: POOL, clientId: CLIENT, endpoint: "http://127.0.0.1:1" });
  await rejectsWith(offline.signIn({ username: "alice", password: "Passw0rd!Alice" }), "NetworkError", "could not reach", "unreachable endpoint");
});

test("a challenge step is answered with respond()", async () => {
  // A user created by an admin must set a new password on first sign-in.
  const resp = await fetch(endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "AWSCognitoIdentityProviderService.AdminCreateUser",
      // The emulator accepts any SigV4-shaped admin request, as local emulators do.
      Authorization: "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
    },
    body: JSON.stringify({ UserPoolId: POOL, Username: "newbie", TemporaryPassword: "Temp0rary!Pass", MessageAction: "SUPPRESS" }),
  });
  assert.equal(resp.status, 200, `AdminCreateUser: ${resp.status} ${await resp.clone().text()}`);

  const auth = await shim.createAuth(config());
  const step = await auth.signIn({ username: "newbie", password: "Temp0rary!Pass" });
  assert.equal(step.type, "challenge", `step ${JSON.stringify(step)}`);
  assert.equal(step.challengeName, "NEW_PASSWORD_REQUIRED");
  assert.ok(step.session, "challenge has no session");
  assert.equal(step.username, "newbie");
  const done = await auth.respond(step, { NEW_PASSWORD: "Br4nd-new!Pass" });
  assert.equal(done.type, "tokens", `after NEW_PASSWORD: ${JSON.stringify(done)}`);
  assert.equal(claims(done.tokens.idToken)["cognito:username"], "newbie");

  const next = await auth.signIn({ username: "newbie", password: "Br4nd-new!Pass" });
  assert.equal(next.type, "tokens", "the new password does not sign in");
});

test("the runtime survives a batch of malformed calls", async () => {
  const ns = await shim.loadCognitoWasm();
  const junk = [undefined, null, 0, -1, NaN, "", "x".repeat(100000), [], [[]], {}, () => {}, Symbol("s"), 10n, true,
    new Proxy({}, { get() { throw new Error("trap"); } }), Object.create(null)];
  const calls = [];
  for (const a of junk) {
    for (const b of junk) {
      calls.push(ns.initiate(a, b), ns.respond(a, b));
    }
  }
  const results = await Promise.allSettled(calls);
  for (const r of results) {
    assert.equal(r.status, "rejected", "a malformed call resolved");
    assert.ok(r.reason instanceof Error && r.reason.name && r.reason.message, `rejection ${r.reason} is not a named Error`);
    assert.notEqual(r.reason.name, "InternalErrorException", `a malformed call hit an internal error: ${r.reason.message}`);
  }
  const auth = await shim.createAuth(config());
  const step = await auth.signIn({ username: "alice", password: "Passw0rd!Alice" });
  assert.equal(step.type, "tokens", "sign-in after the batch failed");
});

/** Runs an ES module script in a fresh Node process; resolves with its output and run time. */
function runNode(script, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, NODE_NO_WARNINGS: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill(), 60000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      code === 0 ? resolve({ out: out.trim(), ms }) : reject(new Error(`node exited with ${code} after ${ms.toFixed(0)} ms: ${out}${err}`));
    });
  });
}

test("Node exits promptly after a sign-in (no Go timer keeps it alive)", async () => {
  const shimURL = pathToFileURL(join(distDir, "cognito-wasm.js")).href;
  const script = `
    import { createAuth } from ${JSON.stringify(shimURL)};
    const auth = await createAuth({ userPoolId: ${JSON.stringify(POOL)}, clientId: ${JSON.stringify(CLIENT)}, endpoint: ${JSON.stringify(endpoint)} });
    const step = await auth.signIn({ username: "alice", password: "Passw0rd!Alice" });
    try { await auth.signIn({ username: "alice", password: "wrong", authFlow: "USER_PASSWORD_AUTH" }); } catch (e) { console.log(e.name); }
    console.log(step.type);`;
  const { out, ms } = await runNode(script);
  assert.equal(out, "NotAuthorizedException\ntokens");
  assert.ok(ms < 15000, `the process took ${ms.toFixed(0)} ms to exit after signing in; something keeps it alive`);
});

test("the .wasm loads over HTTP, streaming or not", async () => {
  const wasm = readFileSync(join(distDir, "cognito-wasm.wasm"));
  const served = [];
  const server = createServer((req, res) => {
    served.push(req.url);
    if (req.url === "/right-mime/cognito-wasm.wasm") {
      res.setHeader("Content-Type", "application/wasm");
      res.end(wasm);
    } else if (req.url === "/wrong-mime/cognito-wasm.wasm") {
      res.setHeader("Content-Type", "application/octet-stream");
      res.end(wasm);
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const shimURL = pathToFileURL(join(distDir, "cognito-wasm.js")).href;
    for (const dir of ["right-mime", "wrong-mime"]) {
      const script = `
        import { loadCognitoWasm } from ${JSON.stringify(shimURL)};
        const ns = await loadCognitoWasm({ wasmUrl: ${JSON.stringify(`${base}/${dir}/cognito-wasm.wasm`)} });
        console.log(typeof ns.initiate, globalThis.cognitoWasm === ns);`;
      const { out } = await runNode(script);
      assert.equal(out, "function true", `${dir}: ${out}`);
    }
    const script = `
      import { loadCognitoWasm } from ${JSON.stringify(shimURL)};
      try { await loadCognitoWasm({ wasmUrl: ${JSON.stringify(`${base}/missing/cognito-wasm.wasm`)} }); console.log("loaded?"); }
      catch (e) { console.log(e.message); }`;
    const { out } = await runNode(script);
    assert.match(out, /fetching .*missing\/cognito-wasm.wasm failed: HTTP 404/);
    assert.deepEqual(served, ["/right-mime/cognito-wasm.wasm", "/wrong-mime/cognito-wasm.wasm", "/missing/cognito-wasm.wasm"]);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

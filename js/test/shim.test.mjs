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
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync, readFileSync, symlinkSync } from "node:fs";
import { createServer } from "node:http";
import { createHmac } from "node:crypto";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { startEmulator, stopEmulator, rejectsWith } from "./emulator.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const work = mkdtempSync(join(tmpdir(), "cognito-wasm-shim-"));

const POOL = "us-east-1_cwShim001";
const CLIENT = "cwshimpublicclient000001";
const SECRET_CLIENT = "cwshimsecretclient000001";
const SECRET = "shim-test-client-secret-0123456789";
const MFA_POOL = "us-east-1_cwShimMfa1";
const MFA_CLIENT = "cwshimmfaclient000000001";
const UA_POOL = "us-east-1_cwShimUa01";
const UA_CLIENT = "cwshimuaclient0000000001";
const DEV_POOL = "us-east-1_cwShimDev01";
const DEV_CLIENT = "cwshimdevclient000000001";
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
  }, {
    id: MFA_POOL, name: "shim-mfa", mfaConfiguration: "ON", enabledMfas: ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],
    clients: [{ id: MFA_CLIENT, name: "public", explicitAuthFlows: FLOWS }],
    users: [
      { username: "choosy", password: "Passw0rd!Choosy", mfa: { sms: true, email: true },
        attributes: { phone_number: "+15555550100", phone_number_verified: "true", email: "choosy@example.com", email_verified: "true" } },
      { username: "newbie-totp", password: "Passw0rd!Totp" },
    ],
  }, {
    id: UA_POOL, name: "shim-user-auth", signInPolicy: { allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] },
    clients: [{ id: UA_CLIENT, name: "public", explicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }],
    users: [{ username: "otp", password: "Passw0rd!Otp", attributes: { email: "otp@example.com", email_verified: "true" } }],
  }, {
    id: DEV_POOL, name: "shim-devices", mfaConfiguration: "OPTIONAL", enabledMfas: ["SMS_MFA"], aliasAttributes: ["email"], caseSensitive: false,
    deviceConfiguration: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true },
    clients: [{ id: DEV_CLIENT, name: "public", explicitAuthFlows: FLOWS }],
    users: ["dana", "jsdev", "wasmdev"].map((u) => ({ username: u, password: `Passw0rd!${u}`, mfa: { sms: true },
      attributes: { email: `${u}@example.com`, email_verified: "true", phone_number: "+15555550123", phone_number_verified: "true" } })),
  }],
};

let shim; // the imported cognito-wasm.js
let distDir; // the directory it came from
let emulator; // child process
let endpoint;
let lambda; // {url, server}: the custom-auth triggers

/**
 * Serves the Lambda Invoke API with three CUSTOM_AUTH triggers: define asks
 * for PASSWORD_VERIFIER after SRP_A, then CUSTOM_CHALLENGEs (three wrong
 * answers fail), create asks "2+2?", verify compares with the private answer.
 */
function startSumLambda() {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const ev = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const r = ev.request || {};
      const src = ev.triggerSource || "";
      if (src.startsWith("DefineAuthChallenge")) {
        const session = r.session || [];
        const custom = session.filter((c) => c.challengeName === "CUSTOM_CHALLENGE");
        if (custom.some((c) => c.challengeResult)) ev.response = { issueTokens: true, failAuthentication: false };
        else if (custom.length >= 3) ev.response = { issueTokens: false, failAuthentication: true };
        else if (session.length === 1 && session[0].challengeName === "SRP_A") ev.response = { challengeName: "PASSWORD_VERIFIER", issueTokens: false, failAuthentication: false };
        else ev.response = { challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false };
      } else if (src.startsWith("CreateAuthChallenge")) {
        ev.response = { publicChallengeParameters: { question: "2+2?" }, privateChallengeParameters: { answer: "4" }, challengeMetadata: "SUM" };
      } else if (src.startsWith("VerifyAuthChallengeResponse")) {
        ev.response = { answerCorrect: (r.privateChallengeParameters || {}).answer === r.challengeAnswer };
      }
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify(ev));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

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
  lambda = await startSumLambda();
  const started = startEmulator(bin, ["-seed", seedFile, "-lambda-endpoint", lambda.url]);
  emulator = started.child;
  endpoint = await started.endpoint;
});

after(() => {
  stopEmulator(emulator);
  if (lambda) {
    lambda.server.closeAllConnections();
    lambda.server.close();
  }
  rmSync(work, { recursive: true, force: true });
});

const config = (extra = {}) => ({ userPoolId: POOL, clientId: CLIENT, endpoint, ...extra });

function claims(jwt) {
  const parts = jwt.split(".");
  assert.equal(parts.length, 3, `token ${jwt} is not a JWT`);
  return JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
}

test("loadCognitoWasm is ready once and idempotent", async () => {
  const [a, b] = await Promise.all([shim.loadCognitoWasm(), shim.loadCognitoWasm()]);
  assert.equal(a, b, "two loads gave two namespaces");
  assert.equal(globalThis.cognitoWasm, a, "globalThis.cognitoWasm is not the namespace");
  for (const f of ["initiate", "respond", "adminInitiate", "adminRespond", "createClient", "totpSetupUri"]) {
    assert.equal(typeof a[f], "function", `cognitoWasm.${f}`);
  }
  assert.match(a.version, /^\d+\.\d+\.\d+/);
  assert.equal(globalThis.__cognitoWasmReady, undefined, "the readiness hook was left behind");
  assert.equal(await shim.loadCognitoWasm(), a, "a later load gave another namespace");
});

const revoked = () => {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
};

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
    ["raw adminInitiate, no credentials", () => ns.adminInitiate(config(), { AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "a", PASSWORD: "p" } }), "config.credentials are required"],
    ["module initiate, bad config", () => shim.initiate("pool", {}), "config must be an object, not a string"],
    ["module respond, missing USERNAME", () => shim.respond(config(), { ChallengeName: "SMS_MFA", ChallengeResponses: {} }), "ChallengeResponses.USERNAME is required"],
    ["module adminRespond, credentials without a key", () => shim.adminRespond(config({ credentials: { secretAccessKey: "s" } }), {}), "config.credentials.accessKeyId is required"],
    ["createAuth, undefined", () => shim.createAuth(), "config must be an object, not undefined"],
    ["createAuth, revoked proxy", () => shim.createAuth(revoked()), "config must be an object, not an unreadable value"],
    ["createAuth, no clientId", () => shim.createAuth({ userPoolId: POOL }), "config.clientId is required"],
    ["createAuth, number endpoint", () => shim.createAuth({ userPoolId: POOL, clientId: CLIENT, endpoint: 9229 }), "config.endpoint must be a string, not a number"],
    ["createAuth, bad pool", () => shim.createAuth({ userPoolId: "nounderscore", clientId: CLIENT }), "config.userPoolId must look like"],
    ["signIn, no input", () => auth.signIn(), "input must be an object, not undefined"],
    ["signIn, null input", () => auth.signIn(null), "input must be an object, not null"],
    ["signIn, revoked proxy", () => auth.signIn(revoked()), "input must be an object, not an unreadable value"],
    ["signIn, no password", () => auth.signIn({ username: "alice" }), "password is required"],
    ["signIn, number username", () => auth.signIn({ username: 1, password: "p" }), "username must be a string, not a number"],
    ["signIn, lone surrogate password", () => auth.signIn({ username: "alice", password: "Passw0rd!Alice\ud800" }), "password holds a lone UTF-16 surrogate"],
    ["signIn, lone surrogate username", () => auth.signIn({ username: "\udc00alice", password: "p" }), "username holds a lone UTF-16 surrogate"],
    ["signIn, array metadata", () => auth.signIn({ username: "a", password: "p", options: { clientMetadata: ["x"] } }), "options.clientMetadata must be an object, not an array"],
    ["signIn, unknown flow", () => auth.signIn({ username: "a", password: "p", options: { authFlowType: "SRP" } }), "options.authFlowType must be one of"],
    ["signIn, revoked options", () => auth.signIn({ username: "a", password: "p", options: revoked() }), "options must be an object, not an unreadable value"],
    ["confirmSignIn, nothing pending", () => auth.confirmSignIn({ challengeResponse: "123456" }), "signIn is required"],
    ["confirmSignIn, number answer", () => auth.confirmSignIn({ challengeResponse: 123456 }), "challengeResponse must be a string, not a number"],
    ["confirmSignIn, string input", () => auth.confirmSignIn("123456"), "input must be an object, not a string"],
    ["auth.initiate, no flow", () => auth.initiate({}), "AuthFlow is required"],
    ["auth.adminInitiate, no credentials", () => auth.adminInitiate({ AuthFlow: "ADMIN_USER_PASSWORD_AUTH" }), "config.credentials are required"],
  ];
  for (const [label, fn, fragment] of cases) {
    await rejectsWith(fn(), "InvalidParameterException", fragment, label);
  }
});

test("signIn runs to DONE against the emulator", async () => {
  const cases = [
    { label: "SRP by username", cfg: config(), username: "alice", password: "Passw0rd!Alice", user: "alice" },
    { label: "SRP by email alias", cfg: config(), username: "alice@example.com", password: "Passw0rd!Alice", user: "alice" },
    { label: "SRP non-ASCII", cfg: config(), username: "zoë", password: "pässwörd✓Zoë1!", user: "zoë" },
    { label: "SRP, client with secret", cfg: config({ clientId: SECRET_CLIENT, clientSecret: SECRET }), username: "alice@example.com", password: "Passw0rd!Alice", user: "alice" },
    { label: "USER_PASSWORD_AUTH", cfg: config(), username: "alice", password: "Passw0rd!Alice", user: "alice", options: { authFlowType: "USER_PASSWORD_AUTH", clientMetadata: { k: "v" } } },
  ];
  for (const c of cases) {
    const auth = await shim.createAuth(c.cfg);
    const result = await auth.signIn({ username: c.username, password: c.password, options: c.options });
    assert.equal(result.isSignedIn, true, `${c.label}: ${JSON.stringify(result)}`);
    assert.deepEqual(result.nextStep, { signInStep: "DONE" });
    const id = claims(result.tokens.idToken);
    assert.equal(id["cognito:username"], c.user, `${c.label}: id token user`);
    assert.equal(id.token_use, "id");
    assert.equal(claims(result.tokens.accessToken).token_use, "access");
    assert.ok(result.tokens.refreshToken, `${c.label}: no refresh token`);
    assert.ok(result.tokens.expiresIn > 0, `${c.label}: expiresIn ${result.tokens.expiresIn}`);
    assert.equal(result.tokens.tokenType, "Bearer");
  }
});

test("Cognito's errors reach the caller by name and message", async () => {
  const auth = await shim.createAuth(config());
  await rejectsWith(auth.signIn({ username: "alice", password: "Wrong-passw0rd" }), "NotAuthorizedException", "Incorrect username or password.", "wrong password");
  await rejectsWith(auth.signIn({ username: "nobody", password: "Whatever-1" }), "UserNotFoundException", "User does not exist.", "unknown user");
  await rejectsWith(auth.signIn({ username: "alice", password: "Wrong-passw0rd", options: { authFlowType: "USER_PASSWORD_AUTH" } }), "NotAuthorizedException", "Incorrect username or password.", "wrong password, password flow");
  const offline = await shim.createAuth({ userPoolId: POOL, clientId: CLIENT, endpoint: "http://127.0.0.1:1" });
  await rejectsWith(offline.signIn({ username: "alice", password: "Passw0rd!Alice" }), "NetworkError", "could not reach", "unreachable endpoint");
});

/** Calls an admin operation on the emulator (any SigV4-shaped signature passes without -credentials). */
async function emulatorAdmin(target, body) {
  const resp = await fetch(endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": `AWSCognitoIdentityProviderService.${target}`,
      Authorization: "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
    },
    body: JSON.stringify(body),
  });
  const text = await resp.text();
  assert.equal(resp.status, 200, `${target}: ${resp.status} ${text}`);
  return JSON.parse(text || "{}");
}

test("NEW_PASSWORD_REQUIRED is answered with confirmSignIn, which survives a refused answer", async () => {
  await emulatorAdmin("AdminCreateUser", { UserPoolId: POOL, Username: "newbie", TemporaryPassword: "Temp0rary!Pass", MessageAction: "SUPPRESS" });
  const auth = await shim.createAuth(config());
  const first = await auth.signIn({ username: "newbie", password: "Temp0rary!Pass" });
  assert.equal(first.isSignedIn, false);
  assert.equal(first.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED", JSON.stringify(first));
  assert.ok(Array.isArray(first.nextStep.missingAttributes), "missingAttributes is not an array");
  assert.ok(!JSON.stringify(first).includes("Session"), "the session reached JavaScript");
  await rejectsWith(auth.confirmSignIn({ challengeResponse: "short" }), "InvalidPasswordException", "", "weak new password");
  const done = await auth.confirmSignIn({ challengeResponse: "Br4nd-new!Pass", options: { userAttributes: {} } });
  assert.equal(done.isSignedIn, true, `after the new password: ${JSON.stringify(done)}`);
  assert.equal(claims(done.tokens.idToken)["cognito:username"], "newbie");
  const again = await auth.signIn({ username: "newbie", password: "Br4nd-new!Pass" });
  assert.equal(again.isSignedIn, true, "the new password does not sign in");
});

test("CUSTOM_WITH_SRP and CUSTOM_WITHOUT_SRP through confirmSignIn, and adminInitiate with credentials", async () => {
  const arn = "arn:aws:lambda:us-east-1:123456789012:function:";
  const pool = await emulatorAdmin("CreateUserPool", {
    PoolName: "custom",
    LambdaConfig: { DefineAuthChallenge: arn + "define", CreateAuthChallenge: arn + "create", VerifyAuthChallengeResponse: arn + "verify" },
  });
  const poolId = pool.UserPool.Id;
  const client = await emulatorAdmin("CreateUserPoolClient", {
    UserPoolId: poolId, ClientName: "c",
    ExplicitAuthFlows: ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  const clientId = client.UserPoolClient.ClientId;
  await emulatorAdmin("AdminCreateUser", { UserPoolId: poolId, Username: "carol", MessageAction: "SUPPRESS" });
  await emulatorAdmin("AdminSetUserPassword", { UserPoolId: poolId, Username: "carol", Password: "Passw0rd!Carol", Permanent: true });

  const auth = await shim.createAuth({ userPoolId: poolId, clientId, endpoint, credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" } });
  for (const [authFlowType, password] of [["CUSTOM_WITHOUT_SRP", undefined], ["CUSTOM_WITH_SRP", "Passw0rd!Carol"]]) {
    const first = await auth.signIn({ username: "carol", password, options: { authFlowType } });
    assert.equal(first.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE", `${authFlowType}: ${JSON.stringify(first)}`);
    assert.equal(first.nextStep.additionalInfo.question, "2+2?");
    const wrong = await auth.confirmSignIn({ challengeResponse: "5" });
    assert.equal(wrong.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE", `${authFlowType} after a wrong answer: ${JSON.stringify(wrong)}`);
    const done = await auth.confirmSignIn({ challengeResponse: "4" });
    assert.equal(done.isSignedIn, true, `${authFlowType}: ${JSON.stringify(done)}`);
    assert.equal(claims(done.tokens.idToken)["cognito:username"], "carol");
  }
  const admin = await auth.adminInitiate({ AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "carol", PASSWORD: "Passw0rd!Carol" } });
  assert.ok(admin.AuthenticationResult && admin.AuthenticationResult.IdToken, `adminInitiate: ${JSON.stringify(admin)}`);
  const raw = await shim.adminInitiate({ userPoolId: poolId, clientId, endpoint, credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" } },
    { AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: "carol", PASSWORD: "Passw0rd!Carol" } });
  assert.ok(raw.AuthenticationResult, `module adminInitiate USER_SRP_AUTH: ${JSON.stringify(raw)}`);
});

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for a base32 secret; checked against the RFC's vector below. */
function totp(base32, seconds = Date.now() / 1000) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of base32.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  return hotp(key, Math.floor(seconds / 30));
}

function hotp(key, counter) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = createHmac("sha1", key).update(msg).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, "0");
}

async function outboxCode(pool, username) {
  const resp = await fetch(`${endpoint}/_dev/outbox?userPoolId=${pool}&username=${encodeURIComponent(username)}`);
  const msgs = await resp.json();
  assert.ok(Array.isArray(msgs) && msgs.length > 0, `outbox for ${username}: ${JSON.stringify(msgs)}`);
  return msgs[msgs.length - 1].code;
}

test("MFA steps through confirmSignIn: selection, SMS code with a retry after a wrong one, TOTP setup with getSetupUri", async () => {
  assert.equal(hotp(Buffer.from("12345678901234567890"), 1), "287082", "the test's TOTP helper disagrees with RFC 6238");
  const auth = await shim.createAuth({ userPoolId: MFA_POOL, clientId: MFA_CLIENT, endpoint });

  const first = await auth.signIn({ username: "choosy", password: "Passw0rd!Choosy" });
  assert.equal(first.nextStep.signInStep, "CONTINUE_SIGN_IN_WITH_MFA_SELECTION", JSON.stringify(first));
  assert.deepEqual([...first.nextStep.allowedMFATypes].sort(), ["EMAIL", "SMS"]);
  await rejectsWith(auth.confirmSignIn({ challengeResponse: "SMS_MFA" }), "InvalidParameterException", "challengeResponse must be SMS, TOTP or EMAIL", "Cognito's name instead of Amplify's");
  const sms = await auth.confirmSignIn({ challengeResponse: "SMS" });
  assert.equal(sms.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_SMS_CODE", JSON.stringify(sms));
  assert.deepEqual(sms.nextStep.codeDeliveryDetails, { deliveryMedium: "SMS", destination: "+*******0100" });
  const code = await outboxCode(MFA_POOL, "choosy");
  await rejectsWith(auth.confirmSignIn({ challengeResponse: code === "000000" ? "111111" : "000000" }), "CodeMismatchException", "", "wrong SMS code");
  const done = await auth.confirmSignIn({ challengeResponse: code });
  assert.equal(done.isSignedIn, true, `after the right code: ${JSON.stringify(done)}`);

  const setup = await auth.signIn({ username: "newbie-totp", password: "Passw0rd!Totp" });
  assert.equal(setup.nextStep.signInStep, "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION", JSON.stringify(setup));
  const totpStep = await auth.confirmSignIn({ challengeResponse: "TOTP" });
  assert.equal(totpStep.nextStep.signInStep, "CONTINUE_SIGN_IN_WITH_TOTP_SETUP", JSON.stringify(totpStep));
  const d = totpStep.nextStep.totpSetupDetails;
  assert.match(d.sharedSecret, /^[A-Z2-7]+=*$/);
  const uri = d.getSetupUri("My App");
  assert.ok(uri instanceof URL, "getSetupUri does not return a URL");
  assert.equal(uri.href, `otpauth://totp/My%20App:newbie-totp?issuer=My+App&secret=${d.sharedSecret}`);
  assert.equal(d.setupUri, `otpauth://totp/${MFA_POOL}:newbie-totp?issuer=${MFA_POOL}&secret=${d.sharedSecret}`);
  const after = await auth.confirmSignIn({ challengeResponse: totp(d.sharedSecret), options: { friendlyDeviceName: "test phone" } });
  assert.equal(after.isSignedIn, true, `after TOTP setup: ${JSON.stringify(after)}`);
  const next = await auth.signIn({ username: "newbie-totp", password: "Passw0rd!Totp" });
  assert.equal(next.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_TOTP_CODE", "TOTP was not set up");
});

test("USER_AUTH: a preferred EMAIL_OTP, and the first-factor selection answered with PASSWORD", async () => {
  const auth = await shim.createAuth({ userPoolId: UA_POOL, clientId: UA_CLIENT, endpoint });
  const code = await auth.signIn({ username: "otp", options: { authFlowType: "USER_AUTH", preferredChallenge: "EMAIL_OTP" } });
  assert.equal(code.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_EMAIL_CODE", JSON.stringify(code));
  assert.equal(code.nextStep.codeDeliveryDetails.deliveryMedium, "EMAIL");
  const done = await auth.confirmSignIn({ challengeResponse: await outboxCode(UA_POOL, "otp") });
  assert.equal(done.isSignedIn, true, JSON.stringify(done));

  const choose = await auth.signIn({ username: "otp", options: { authFlowType: "USER_AUTH" } });
  assert.equal(choose.nextStep.signInStep, "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION", JSON.stringify(choose));
  assert.deepEqual(choose.nextStep.availableChallenges, ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]);
  const ask = await auth.confirmSignIn({ challengeResponse: "PASSWORD_SRP" });
  assert.deepEqual(ask.nextStep, { signInStep: "CONFIRM_SIGN_IN_WITH_PASSWORD" });
  const signedIn = await auth.confirmSignIn({ challengeResponse: "Passw0rd!Otp" });
  assert.equal(signedIn.isSignedIn, true, JSON.stringify(signedIn));
});

test("getSetupUri builds an otpauth URI inside the module", async () => {
  const ns = await shim.loadCognitoWasm();
  assert.equal(ns.totpSetupUri("JBSWY3DPEHPK3PXP", "My App", "alice"), "otpauth://totp/My%20App:alice?issuer=My+App&secret=JBSWY3DPEHPK3PXP");
  const e = ns.totpSetupUri("JBSWY3DPEHPK3PXP", "App\ud800", "alice");
  assert.ok(e instanceof Error && e.name === "InvalidParameterException" && e.message.startsWith("appName holds a lone UTF-16 surrogate"), String(e));
});

test("the runtime survives a batch of malformed calls", async () => {
  const ns = await shim.loadCognitoWasm();
  const auth = await shim.createAuth(config());
  const junk = [undefined, null, 0, -1, NaN, "", "x".repeat(100000), "\ud800", [], [[]], {}, () => {}, Symbol("s"), 10n, true,
    new Proxy({}, { get() { throw new Error("trap"); } }), revoked(), Object.create(null)];
  const calls = [];
  for (const a of junk) {
    calls.push(auth.signIn(a), auth.confirmSignIn(a), auth.signIn({ username: a, password: a, options: a }),
      auth.confirmSignIn({ challengeResponse: a, options: { userAttributes: a, clientMetadata: a, friendlyDeviceName: a } }), ns.createClient(a));
    for (const b of junk) {
      calls.push(ns.initiate(a, b), ns.respond(a, b), ns.adminInitiate(a, b), ns.adminRespond(a, b));
    }
  }
  const results = await Promise.allSettled(calls);
  for (const r of results) {
    if (r.status === "fulfilled") {
      // createClient accepts nothing here; only a junk-free call could resolve.
      assert.fail(`a malformed call resolved: ${JSON.stringify(r.value)}`);
    }
    assert.ok(r.reason instanceof Error && r.reason.name && r.reason.message, `rejection ${r.reason} is not a named Error`);
    assert.notEqual(r.reason.name, "InternalErrorException", `a malformed call hit an internal error: ${r.reason.message}`);
  }
  const result = await auth.signIn({ username: "alice", password: "Passw0rd!Alice" });
  assert.equal(result.isSignedIn, true, "sign-in after the batch failed");
});

/** Runs an ES module script in a fresh Node process; resolves with its output and run time. */
function runNode(script, env = {}, cwd = undefined) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd,
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
    const result = await auth.signIn({ username: "alice", password: "Passw0rd!Alice" });
    try { await auth.signIn({ username: "alice", password: "wrong", options: { authFlowType: "USER_PASSWORD_AUTH" } }); } catch (e) { console.log(e.name); }
    console.log(result.nextStep.signInStep);`;
  const { out, ms } = await runNode(script);
  assert.equal(out, "NotAuthorizedException\nDONE");
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

test("a browser page opened from a file: URL is refused at once, with what to do and why", async () => {
  // A browser, as far as Node can honestly play one: a document, no process,
  // and a fetch that never settles (as a file: fetch the browser refuses
  // leaves the page waiting). Both record what the loader tried.
  const shimURL = pathToFileURL(join(distDir, "cognito-wasm.js")).href;
  const script = `
    const tried = [];
    globalThis.document = {
      createElement(tag) { tried.push("createElement " + tag); return {}; },
      head: { appendChild() { tried.push("appendChild"); } },
    };
    globalThis.fetch = (url) => { tried.push("fetch " + url); return new Promise(() => {}); };
    const log = console.log.bind(console);
    const realProcess = globalThis.process;
    const watchdog = setTimeout(() => { log(JSON.stringify({ outcome: "still pending", tried })); realProcess.exit(0); }, 20000);
    globalThis.process = undefined;
    const { loadCognitoWasm } = await import(${JSON.stringify(shimURL)});
    let outcome;
    try { await loadCognitoWasm(); outcome = "loaded"; } catch (e) { outcome = { name: e.name, message: e.message }; }
    globalThis.process = realProcess;
    clearTimeout(watchdog);
    log(JSON.stringify({ outcome, tried, go: typeof globalThis.Go }));`;
  const { out } = await runNode(script);
  const got = JSON.parse(out);
  assert.equal(typeof got.outcome, "object", `loadCognitoWasm on a file: page: ${out}; want a rejection`);
  assert.equal(got.outcome.name, "Error");
  const wasmHref = new URL("cognito-wasm.wasm", shimURL).href;
  for (const want of [wasmHref, "file: URL", "browsers refuse to fetch file: URLs", "Serve the page over HTTP", "make demo", "static server"]) {
    assert.ok(got.outcome.message.includes(want), `message ${JSON.stringify(got.outcome.message)} lacks ${JSON.stringify(want)}`);
  }
  assert.deepEqual(got.tried, [], "the loader tried to load something before refusing");
  assert.equal(got.go, "undefined", "wasm_exec.js was run before refusing");
});

test("loadCognitoWasm's options: an unknown key or a bad wasmUrl is refused by name; a relative one resolves", async () => {
  const shimURL = pathToFileURL(join(distDir, "cognito-wasm.js")).href;
  const script = `
    import { loadCognitoWasm } from ${JSON.stringify(shimURL)};
    const out = [];
    for (const opts of [{ wasmExecUrl: "/wasm_exec.js" }, { wasmUrl: 42 }, { wasmUrl: "" }, { wasmUrl: "http://[" }, "fast"]) {
      try { await loadCognitoWasm(opts); out.push("loaded"); } catch (e) { out.push(e.name + ": " + e.message); }
    }
    out.push("Go defined: " + (typeof globalThis.Go));
    // Under Node a relative wasmUrl resolves against the shim's own folder.
    const ns = await loadCognitoWasm({ wasmUrl: "cognito-wasm.wasm" });
    out.push(typeof ns.initiate);
    console.log(JSON.stringify(out));`;
  const { out } = await runNode(script);
  assert.deepEqual(JSON.parse(out), [
    'InvalidParameterException: loadCognitoWasm: unknown option "wasmExecUrl" (known: wasmUrl)',
    "InvalidParameterException: loadCognitoWasm: wasmUrl must be a string or a URL, not number",
    "InvalidParameterException: loadCognitoWasm: wasmUrl is empty",
    'InvalidParameterException: loadCognitoWasm: wasmUrl "http://[" is not a URL',
    "InvalidParameterException: loadCognitoWasm options must be an object",
    "Go defined: undefined",
    "function",
  ]);
});

test("build/dist is an npm package: exports resolve, every listed file is there, npm pack takes exactly them", async () => {
  const pkg = JSON.parse(readFileSync(join(distDir, "package.json"), "utf8"));
  assert.equal(pkg.name, "cognito-wasm");
  assert.match(pkg.version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, "version is not semver");
  assert.equal(pkg.type, "module");
  assert.deepEqual(pkg.exports["."], { types: "./cognito-wasm.d.ts", default: "./cognito-wasm.js" });
  assert.equal(Object.keys(pkg.exports["."])[0], "types", "the types condition must come first");
  const targets = [pkg.main, pkg.types, ...Object.values(pkg.exports).flatMap((t) => (typeof t === "string" ? [t] : Object.values(t)))];
  for (const t of [...targets, ...pkg.files]) {
    assert.ok(existsSync(join(distDir, t)), `package.json names ${t}, which is not in ${distDir}`);
  }
  assert.ok(pkg.sideEffects.includes("./wasm_exec.js"), "wasm_exec.js defines globalThis.Go: it has side effects");

  // What npm would publish: exactly the package's files.
  const packed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: distDir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  const names = packed[0].files.map((f) => f.path).sort();
  assert.deepEqual(names, ["README.md", "cognito-wasm.d.ts", "cognito-wasm.js", "cognito-wasm.wasm", "package.json", "wasm_exec.js"]);

  // An app that depends on it resolves the package and its subpaths by name.
  const app = join(work, "app");
  mkdirSync(join(app, "node_modules"), { recursive: true });
  symlinkSync(distDir, join(app, "node_modules", "cognito-wasm"), "dir");
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  const script = `
    import { loadCognitoWasm, createAuth } from "cognito-wasm";
    const ns = await loadCognitoWasm();
    console.log(JSON.stringify({
      version: ns.version,
      createAuth: typeof createAuth,
      wasm: import.meta.resolve("cognito-wasm/cognito-wasm.wasm"),
      exec: import.meta.resolve("cognito-wasm/wasm_exec.js"),
    }));`;
  const { out } = await runNode(script, {}, app);
  const got = JSON.parse(out);

  // TypeScript finds the types through exports, under both module resolutions apps use, without the
  // DOM lib or @types/node.
  writeFileSync(join(app, "check.ts"), [
    'import { createAuth, loadCognitoWasm, type LoadOptions, type SignInOutput } from "cognito-wasm";',
    'const options: LoadOptions = { wasmUrl: "/assets/cognito-wasm.0123abcd.wasm" };',
    "export async function signIn(): Promise<SignInOutput> {",
    "  await loadCognitoWasm(options);",
    "  // @ts-expect-error wasmUrl is a string or a URL",
    "  await loadCognitoWasm({ wasmUrl: 42 });",
    '  const auth = await createAuth({ userPoolId: "us-east-1_x", clientId: "c" });',
    '  return auth.signIn({ username: "a", password: "p" });',
    "}",
  ].join("\n"));
  const tsc = join(here, "..", "node_modules", ".bin", "tsc");
  for (const [module, moduleResolution] of [["nodenext", "nodenext"], ["esnext", "bundler"]]) {
    const compilerOptions = { strict: true, noEmit: true, target: "es2022", module, moduleResolution, lib: ["es2022"], types: [] };
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["check.ts"] }));
    try {
      execFileSync(tsc, ["-p", "tsconfig.json"], { cwd: app, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      assert.fail(`tsc with moduleResolution ${moduleResolution} on an app importing "cognito-wasm": ${e.stdout}${e.stderr}`);
    }
  }
  assert.equal(got.createAuth, "function");
  assert.equal(got.version, pkg.version,
    "cognitoWasm.version (wasm/main.go's Version, or the build's -X main.Version) is not the package's version (js/package.dist.json)");
  for (const [k, file] of [["wasm", "cognito-wasm.wasm"], ["exec", "wasm_exec.js"]]) {
    assert.ok(got[k].startsWith("file:") && got[k].endsWith("/" + file), `cognito-wasm/${file} resolved to ${got[k]}`);
  }
});

test("a missing wasm_exec.js is named, with where it must be", async () => {
  // A copy of the shim alone in a folder, as when only some files are deployed.
  const lone = join(work, "lone");
  mkdirSync(lone, { recursive: true });
  writeFileSync(join(lone, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(join(lone, "cognito-wasm.js"), readFileSync(join(distDir, "cognito-wasm.js")));
  const script = `
    import { loadCognitoWasm } from ${JSON.stringify(pathToFileURL(join(lone, "cognito-wasm.js")).href)};
    try { await loadCognitoWasm({ wasmUrl: ${JSON.stringify(pathToFileURL(join(distDir, "cognito-wasm.wasm")).href)} }); console.log("loaded?"); }
    catch (e) { console.log(e.message); }`;
  const { out } = await runNode(script);
  assert.match(out, /^cognito-wasm: could not load wasm_exec\.js, which must be served next to cognito-wasm\.js as a JavaScript file: .*wasm_exec\.js/);
});

/** An app's own storage over a Map whose methods return Promises, as Amplify's KeyValueStorageInterface may. */
function asyncStorage() {
  const m = new Map();
  return { m, getItem: async (k) => (m.has(k) ? m.get(k) : null), setItem: async (k, v) => void m.set(k, v), removeItem: async (k) => void m.delete(k) };
}

test("createAuth's storage option: known names, an object, anything else refused naming the option", async () => {
  await rejectsWith(shim.createAuth(config({ storage: "cookies" })), "InvalidParameterException", 'config.storage must be \'memory\', \'localStorage\', \'sessionStorage\' or an object with getItem, setItem and removeItem, not "cookies"', "unknown name");
  await rejectsWith(shim.createAuth(config({ storage: "localStorage" })), "InvalidParameterException", "config.storage is 'localStorage', which this environment does not offer", "Node has no localStorage");
  await rejectsWith(shim.createAuth(config({ storage: { getItem() {} } })), "InvalidParameterException", "config.storage.setItem must be a function", "half a storage");
  await rejectsWith(shim.createAuth(config({ storage: 7 })), "InvalidParameterException", "config.storage must be", "a number");
  const auth = await shim.createAuth(config({ storage: "memory" }));
  assert.deepEqual(await auth.fetchAuthSession(), {}, "memory storage starts signed out");
});

test("session: signIn stores and reports, fetchAuthSession / getCurrentUser / refresh / signOut as Amplify's", async () => {
  const storage = asyncStorage();
  const auth = await shim.createAuth(config({ storage }));
  assert.ok(auth.events instanceof EventTarget, "auth.events is an EventTarget");
  const seen = [];
  for (const type of ["signedIn", "signedOut", "tokenRefresh", "tokenRefresh_failure"]) {
    auth.events.addEventListener(type, (e) => seen.push({ type: e.type, detail: e.detail, custom: e instanceof CustomEvent }));
  }
  assert.deepEqual(await auth.fetchAuthSession(), {}, "signed out: {}");
  await rejectsWith(auth.getCurrentUser(), "UserUnAuthenticatedException", "User needs to be authenticated", "getCurrentUser signed out");

  const result = await auth.signIn({ username: "alice@example.com", password: "Passw0rd!Alice" });
  assert.equal(result.isSignedIn, true);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].type, "signedIn");
  assert.equal(seen[0].custom, true, "events are CustomEvents");
  assert.equal(seen[0].detail.username, "alice");
  assert.equal(storage.m.get(`CognitoIdentityServiceProvider.${CLIENT}.LastAuthUser`), "alice");
  assert.equal(storage.m.get(`CognitoIdentityServiceProvider.${CLIENT}.alice.refreshToken`), result.tokens.refreshToken);

  const session = await auth.fetchAuthSession();
  assert.equal(session.tokens.accessToken.toString(), result.tokens.accessToken);
  assert.equal(String(session.tokens.idToken), result.tokens.idToken);
  assert.equal(session.tokens.accessToken.payload.username, "alice");
  assert.equal(session.tokens.idToken.payload["cognito:username"], "alice");
  assert.equal(session.userSub, claims(result.tokens.accessToken).sub);
  const user = await auth.getCurrentUser();
  assert.deepEqual(user, { username: "alice", userId: session.userSub, signInDetails: { loginId: "alice@example.com", authFlowType: "USER_SRP_AUTH" } });

  const fresh = await auth.fetchAuthSession({ forceRefresh: true });
  assert.notEqual(fresh.tokens.accessToken.toString(), result.tokens.accessToken, "forceRefresh gives new tokens");
  assert.equal(seen.at(-1).type, "tokenRefresh");
  await rejectsWith(auth.fetchAuthSession({ forceRefresh: "yes" }), "InvalidParameterException", "forceRefresh must be a boolean", "forceRefresh type");
  await rejectsWith(auth.signOut({ global: 1 }), "InvalidParameterException", "global must be a boolean", "global type");

  await auth.signOut();
  assert.equal(seen.at(-1).type, "signedOut");
  assert.equal(seen.at(-1).detail.username, "alice");
  assert.equal(storage.m.size, 0, `storage after signOut: ${[...storage.m.keys()]}`);
  assert.deepEqual(await auth.fetchAuthSession(), {});
  const stale = await shim.initiate(config(), { AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: result.tokens.refreshToken } }).catch((e) => e);
  assert.equal(stale.name, "NotAuthorizedException", "the signed-out refresh token is revoked");
});

test("session: memory storage is per Auth; a new Auth over the same storage picks the session up", async () => {
  const storage = asyncStorage();
  const first = await shim.createAuth(config({ storage }));
  await first.signIn({ username: "zoë", password: "pässwörd✓Zoë1!", options: { authFlowType: "USER_PASSWORD_AUTH" } });
  const again = await shim.createAuth(config({ storage }));
  assert.equal((await again.getCurrentUser()).username, "zoë", "picked up from the shared storage");
  const memory = await shim.createAuth(config());
  await rejectsWith(memory.getCurrentUser(), "UserUnAuthenticatedException", "", "a memory Auth shares nothing");
  await again.signOut({ global: true });
  await rejectsWith(first.getCurrentUser(), "UserUnAuthenticatedException", "", "signed out everywhere");
});

/** A synchronous Web Storage over a Map, as localStorage is, for both libraries. */
function syncStorage() {
  const m = new Map();
  return { m, getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => void m.set(k, String(v)), removeItem: (k) => void m.delete(k), clear: () => m.clear() };
}

test("a session amazon-cognito-identity-js stored is picked up by createAuth, and identity-js reads the refreshed one back", async () => {
  // AWS's client, pinned in e2e/reference (make js-test installs it first).
  const require = createRequire(join(root, "e2e", "reference", "package.json"));
  const { AuthenticationDetails, CognitoUser, CognitoUserPool } = require("amazon-cognito-identity-js");
  const storage = syncStorage();
  const pool = new CognitoUserPool({ UserPoolId: POOL, ClientId: CLIENT, endpoint, Storage: storage });
  const user = new CognitoUser({ Username: "alice@example.com", Pool: pool, Storage: storage });
  const session = await new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: "alice@example.com", Password: "Passw0rd!Alice" }), { onSuccess: resolve, onFailure: reject }));
  assert.equal(storage.m.get(`CognitoIdentityServiceProvider.${CLIENT}.LastAuthUser`), "alice", "identity-js keys the session by the real username");

  const auth = await shim.createAuth(config({ storage }));
  const me = await auth.getCurrentUser();
  assert.equal(me.username, "alice");
  assert.equal(me.userId, session.getIdToken().decodePayload().sub);
  const { tokens } = await auth.fetchAuthSession();
  assert.equal(tokens.accessToken.toString(), session.getAccessToken().getJwtToken(), "the stored tokens, without signing in again");

  const fresh = await auth.fetchAuthSession({ forceRefresh: true });
  assert.notEqual(fresh.tokens.accessToken.toString(), tokens.accessToken.toString());
  const back = await new Promise((resolve, reject) => pool.getCurrentUser().getSession((err, s) => (err ? reject(err) : resolve(s))));
  assert.equal(back.getAccessToken().getJwtToken(), fresh.tokens.accessToken.toString(), "identity-js reads what cognito-wasm refreshed");
  assert.equal(back.isValid(), true, "identity-js finds it valid with the clockDrift cognito-wasm wrote");

  await auth.signOut();
  assert.equal(pool.getCurrentUser(), null, "signed out for identity-js too");
});

test("Amplify JS v6 and cognito-wasm read each other's stored sessions", async () => {
  // AWS's client, pinned in e2e/reference (make js-test installs it first); its CommonJS build, one instance.
  const require = createRequire(join(root, "e2e", "reference", "package.json"));
  const { Amplify } = require("aws-amplify");
  const amplifyAuth = require("aws-amplify/auth");
  const { cognitoUserPoolsTokenProvider } = require("aws-amplify/auth/cognito");
  require("aws-amplify/utils").ConsoleLogger.LOG_LEVEL = "ERROR"; // it warns about the custom endpoint on each call
  const storage = asyncStorage();
  Amplify.configure({ Auth: { Cognito: { userPoolId: POOL, userPoolClientId: CLIENT, userPoolEndpoint: endpoint } } });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);

  // Amplify signs in; cognito-wasm picks the session up.
  const out = await amplifyAuth.signIn({ username: "alice@example.com", password: "Passw0rd!Alice" });
  assert.equal(out.isSignedIn, true);
  const amplified = await amplifyAuth.fetchAuthSession();
  const auth = await shim.createAuth(config({ storage }));
  assert.deepEqual(await auth.getCurrentUser(), await amplifyAuth.getCurrentUser(), "the same user, with Amplify's signInDetails");
  assert.equal((await auth.fetchAuthSession()).tokens.accessToken.toString(), amplified.tokens.accessToken.toString());

  // cognito-wasm signs in and refreshes; Amplify reads it without a refresh of its own.
  await amplifyAuth.signOut();
  await auth.signIn({ username: "zoë", password: "pässwörd✓Zoë1!" });
  const ours = await auth.fetchAuthSession({ forceRefresh: true });
  const theirs = await amplifyAuth.fetchAuthSession();
  assert.equal(theirs.tokens.accessToken.toString(), ours.tokens.accessToken.toString(), "Amplify uses the tokens cognito-wasm stored");
  assert.equal((await amplifyAuth.getCurrentUser()).username, "zoë");
  const refreshed = await amplifyAuth.fetchAuthSession({ forceRefresh: true });
  assert.equal((await auth.fetchAuthSession()).tokens.accessToken.toString(), refreshed.tokens.accessToken.toString(), "and cognito-wasm Amplify's refresh");
  await auth.signOut();
  assert.deepEqual(await amplifyAuth.fetchAuthSession().then((s) => s.tokens), undefined, "signed out for Amplify too");
});

// Remembered devices (issue 8).

const devConfig = (storage) => ({ userPoolId: DEV_POOL, clientId: DEV_CLIENT, endpoint, storage });
const devKey = (username, name) => `CognitoIdentityServiceProvider.${DEV_CLIENT}.${username}.${name}`;

async function outboxCount(pool, username) {
  const resp = await fetch(`${endpoint}/_dev/outbox?userPoolId=${pool}&username=${encodeURIComponent(username)}`);
  const msgs = await resp.json();
  return Array.isArray(msgs) ? msgs.length : 0;
}

/** Signs username in through cognito-wasm, answering the SMS code if asked; resolves with whether it was. */
async function wasmSignIn(auth, username, typed = username) {
  const out = await auth.signIn({ username: typed, password: `Passw0rd!${username}` });
  if (out.isSignedIn) return false;
  assert.equal(out.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_SMS_CODE", JSON.stringify(out));
  const done = await auth.confirmSignIn({ challengeResponse: await outboxCode(DEV_POOL, username) });
  assert.equal(done.isSignedIn, true, JSON.stringify(done));
  return true;
}

test("remembered devices: rememberDevice spares MFA, fetchDevices lists as Amplify, forgetDevice brings MFA back", async () => {
  const storage = asyncStorage();
  const auth = await shim.createAuth(devConfig(storage));
  await rejectsWith(auth.rememberDevice(), "UserUnAuthenticatedException", "User needs to be authenticated", "signed out");

  assert.equal(await wasmSignIn(auth, "dana", "Dana@Example.com"), true, "the first sign-in asks for MFA");
  const deviceKey = storage.m.get(devKey("dana", "deviceKey"));
  assert.match(deviceKey ?? "", /^us-east-1_[0-9a-f-]+$/, `device kept under the username: ${[...storage.m.keys()]}`);
  assert.ok(storage.m.get(devKey("dana", "deviceGroupKey")) && storage.m.get(devKey("dana", "randomPasswordKey")));
  assert.equal([...storage.m.keys()].some((k) => k.includes("@")), false, "nothing kept under the alias typed");

  await auth.signOut();
  assert.equal(await wasmSignIn(auth, "dana"), true, "confirmed but not remembered (user prompt pool): MFA again");
  await auth.rememberDevice();
  const devices = await auth.fetchDevices();
  assert.equal(devices.length, 1, JSON.stringify(devices));
  const [d] = devices;
  assert.equal(d.id, deviceKey);
  assert.equal(d.name, d.attributes.device_name);
  assert.ok(typeof d.name === "string" && d.name.length > 0, `device name ${d.name}`);
  for (const k of ["createDate", "lastModifiedDate", "lastAuthenticatedDate"]) {
    assert.ok(d[k] instanceof Date && !Number.isNaN(d[k].getTime()) && Math.abs(d[k] - Date.now()) < 3600_000, `${k} = ${d[k]}`);
  }

  await auth.signOut();
  const codes = await outboxCount(DEV_POOL, "dana");
  assert.equal(await wasmSignIn(auth, "dana", "DANA@example.com"), false, "a remembered device spares MFA");
  assert.equal(await outboxCount(DEV_POOL, "dana"), codes, "no code sent");
  const { tokens } = await auth.fetchAuthSession();
  assert.equal(tokens.accessToken.payload.device_key, deviceKey);
  const fresh = await auth.fetchAuthSession({ forceRefresh: true });
  assert.notEqual(fresh.tokens.accessToken.toString(), tokens.accessToken.toString(), "the refresh names the device");

  await rejectsWith(auth.forgetDevice({ device: { id: 5 } }), "InvalidParameterException", "device.id must be a non-empty string", "id type");
  await rejectsWith(auth.forgetDevice({ device: "x" }), "InvalidParameterException", "device must be an object", "device type");
  await auth.forgetDevice();
  assert.equal(storage.m.has(devKey("dana", "deviceKey")), false, "forgetDevice() drops the kept device");
  await rejectsWith(auth.rememberDevice(), "DeviceMetadataNotFoundException", "were not found", "no device kept");
  await rejectsWith(auth.forgetDevice(), "DeviceMetadataNotFoundException", "were not found", "no device kept");
  await auth.signOut();
  assert.equal(await wasmSignIn(auth, "dana"), true, "MFA again after forgetDevice");
  const next = storage.m.get(devKey("dana", "deviceKey"));
  assert.ok(next && next !== deviceKey, "a new device kept");
  await auth.rememberDevice();
  await auth.forgetDevice({ device: { id: next } });
  assert.equal(storage.m.has(devKey("dana", "deviceKey")), false, "forgetting the kept device by id drops it too");
  assert.deepEqual(await auth.fetchDevices(), []);
  await auth.signOut();
});

test("device keys amazon-cognito-identity-js wrote are used by cognito-wasm, and the other way round", async () => {
  const require = createRequire(join(root, "e2e", "reference", "package.json"));
  const { AuthenticationDetails, CognitoUser, CognitoUserPool } = require("amazon-cognito-identity-js");
  const storage = syncStorage();
  const pool = new CognitoUserPool({ UserPoolId: DEV_POOL, ClientId: DEV_CLIENT, endpoint, Storage: storage });
  const call = (cu, method, ...args) => new Promise((resolve, reject) => cu[method](...args, {
    onSuccess: (...a) => resolve({ kind: "success", args: a }),
    onFailure: reject,
    mfaRequired: (...a) => resolve({ kind: "mfaRequired", args: a }),
    totpRequired: (...a) => resolve({ kind: "totpRequired", args: a }),
  }));
  const idjsSignIn = async (username, typed = username) => {
    const cu = new CognitoUser({ Username: typed, Pool: pool, Storage: storage });
    const first = await call(cu, "authenticateUser", new AuthenticationDetails({ Username: typed, Password: `Passw0rd!${username}` }));
    if (first.kind === "success") return { cu, mfa: false };
    assert.equal(first.kind, "mfaRequired", JSON.stringify(first));
    const done = await call(cu, "sendMFACode", await outboxCode(DEV_POOL, username));
    assert.equal(done.kind, "success");
    return { cu, mfa: true };
  };

  // identity-js confirms and remembers a device; cognito-wasm signs in with it.
  const { cu, mfa } = await idjsSignIn("jsdev");
  assert.equal(mfa, true);
  await new Promise((resolve, reject) => cu.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }));
  const theirs = storage.m.get(devKey("jsdev", "deviceKey"));
  assert.ok(theirs, "identity-js kept its device");
  cu.signOut();
  const auth = await shim.createAuth(devConfig(storage));
  const codes = await outboxCount(DEV_POOL, "jsdev");
  assert.equal(await wasmSignIn(auth, "jsdev", "jsdev@example.com"), false, "cognito-wasm proved identity-js's device: no MFA");
  assert.equal(await outboxCount(DEV_POOL, "jsdev"), codes);
  assert.equal((await auth.fetchAuthSession()).tokens.accessToken.payload.device_key, theirs);
  assert.equal(storage.m.get(devKey("jsdev", "deviceKey")), theirs, "the same device, not a new one");
  await auth.signOut();

  // cognito-wasm confirms and remembers one; identity-js signs in with it.
  assert.equal(await wasmSignIn(auth, "wasmdev"), true);
  await auth.rememberDevice();
  const ours = storage.m.get(devKey("wasmdev", "deviceKey"));
  await auth.signOut();
  const before = await outboxCount(DEV_POOL, "wasmdev");
  const back = await idjsSignIn("wasmdev");
  assert.equal(back.mfa, false, "identity-js proved cognito-wasm's device: no MFA");
  assert.equal(await outboxCount(DEV_POOL, "wasmdev"), before);
  assert.equal(back.cu.getSignInUserSession().getAccessToken().decodePayload().device_key, ours);
  back.cu.signOut();
});

// Tests of the shim's account calls (Amplify JS v6's signUp ... deleteUser)
// under Node 20, against the project's emulator as a child process: the
// shim builds Cognito's requests and shapes the answers, so the shapes are
// checked here, with the inputs each call refuses.
//
// Run: node --test js/test/account.test.mjs (COGNITO_WASM_DIST as for shim.test.mjs).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startEmulator, stopEmulator, rejectsWith } from "./emulator.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const work = mkdtempSync(join(tmpdir(), "cognito-wasm-account-"));

const POOL = "us-east-1_cwShimAcct1";
const CLIENT = "cwshimacctpublic00000001";
const UA_CLIENT = "cwshimacctuserauth000001";
const FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
const PASSWORD = "Passw0rd!Shim";
const SEED = {
  userPools: [{
    id: POOL, name: "shim-account", autoVerifiedAttributes: ["email"],
    mfaConfiguration: "OPTIONAL", enabledMfas: ["SOFTWARE_TOKEN_MFA"],
    schema: [{ name: "custom:team" }],
    clients: [
      { id: CLIENT, name: "public", explicitAuthFlows: FLOWS },
      { id: UA_CLIENT, name: "user-auth", explicitAuthFlows: ["ALLOW_USER_AUTH", ...FLOWS] },
    ],
    users: [
      { username: "settled", password: PASSWORD, attributes: { email: "settled@example.com", email_verified: "true", "custom:team": "blue" } },
    ],
  }],
};

let shim;
let emulator;
let endpoint;
const nativeEnv = { ...process.env, GOOS: "", GOARCH: "" };

before(async () => {
  let dist = process.env.COGNITO_WASM_DIST;
  if (!dist) {
    dist = join(work, "dist");
    execFileSync(join(root, "js", "build-dist.sh"), [dist], { cwd: root, env: nativeEnv, stdio: ["ignore", "ignore", "inherit"] });
  }
  assert.ok(existsSync(join(dist, "cognito-wasm.wasm")), `${dist} has no cognito-wasm.wasm: run js/build-dist.sh ${dist}`);
  shim = await import(pathToFileURL(join(dist, "cognito-wasm.js")).href);

  const bin = join(work, "cognito-emulator");
  execFileSync("go", ["build", "-o", bin, "./cmd/cognito-emulator"], { cwd: root, env: nativeEnv, stdio: ["ignore", "ignore", "inherit"] });
  const seedFile = join(work, "seed.json");
  writeFileSync(seedFile, JSON.stringify(SEED));
  const started = startEmulator(bin, ["-seed", seedFile]);
  emulator = started.child;
  endpoint = await started.endpoint;
});

after(() => {
  stopEmulator(emulator);
  rmSync(work, { recursive: true, force: true });
});

const config = (clientId = CLIENT) => ({ userPoolId: POOL, clientId, endpoint });

async function outboxCode(username) {
  const resp = await fetch(`${endpoint}/_dev/outbox?userPoolId=${POOL}&username=${encodeURIComponent(username)}`);
  const msgs = await resp.json();
  assert.ok(Array.isArray(msgs) && msgs.length > 0, `outbox for ${username}: ${JSON.stringify(msgs)}`);
  return msgs[msgs.length - 1].code;
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for a base32 secret. */
function totp(base32) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of base32.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)));
  const h = createHmac("sha1", key).update(msg).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, "0");
}

test("signUp, confirmSignUp and autoSignIn, as Amplify shapes them", async () => {
  for (const [label, clientId, username] of [["by Session (USER_AUTH client)", UA_CLIENT, "newbie-ua"], ["by password", CLIENT, "newbie-pw"]]) {
    const auth = await shim.createAuth(config(clientId));
    const up = await auth.signUp({ username, password: PASSWORD, options: { userAttributes: { email: `${username}@example.com` }, autoSignIn: true } });
    assert.equal(up.isSignUpComplete, false, label);
    assert.match(up.userId, /^[0-9a-f-]{36}$/, `${label}: userId`);
    assert.deepEqual(Object.keys(up.nextStep).sort(), ["codeDeliveryDetails", "signUpStep"], label);
    assert.equal(up.nextStep.signUpStep, "CONFIRM_SIGN_UP", label);
    assert.equal(up.nextStep.codeDeliveryDetails.deliveryMedium, "EMAIL", label);
    assert.equal(up.nextStep.codeDeliveryDetails.attributeName, "email", label);
    assert.match(up.nextStep.codeDeliveryDetails.destination, /^n\*+@e\*+/, `${label}: masked destination`);

    const again = await auth.resendSignUpCode({ username });
    assert.equal(again.deliveryMedium, "EMAIL", label);
    await rejectsWith(auth.confirmSignUp({ username, confirmationCode: "000000" }), "CodeMismatchException", "", `${label}: wrong code`);
    await rejectsWith(auth.autoSignIn(), "AutoSignInException", "has not started", `${label}: autoSignIn before confirming`);
    const confirmed = await auth.confirmSignUp({ username, confirmationCode: await outboxCode(username) });
    assert.deepEqual(confirmed, { isSignUpComplete: true, nextStep: { signUpStep: "COMPLETE_AUTO_SIGN_IN" } }, label);
    const signedIn = await auth.autoSignIn();
    assert.equal(signedIn.isSignedIn, true, label);
    assert.equal(signedIn.nextStep.signInStep, "DONE", label);
    const attrs = await auth.fetchUserAttributes();
    assert.equal(attrs.email, `${username}@example.com`, label);
    assert.equal(attrs.email_verified, "true", `${label}: confirming by email verifies it`);
    await rejectsWith(auth.autoSignIn(), "AutoSignInException", "", `${label}: a second autoSignIn`);
  }
  const auth = await shim.createAuth(config());
  await auth.signUp({ username: "newbie-plain", password: PASSWORD, options: { userAttributes: { email: "plain@example.com" } } });
  const done = await auth.confirmSignUp({ username: "newbie-plain", confirmationCode: await outboxCode("newbie-plain") });
  assert.deepEqual(done, { isSignUpComplete: true, nextStep: { signUpStep: "DONE" } }, "without autoSignIn");
  await rejectsWith(auth.signUp({ username: "newbie-plain", password: PASSWORD }), "UsernameExistsException", "", "signUp of a taken name");
});

test("resetPassword and confirmResetPassword", async () => {
  const auth = await shim.createAuth(config());
  const r = await auth.resetPassword({ username: "settled" });
  assert.equal(r.isPasswordReset, false);
  assert.equal(r.nextStep.resetPasswordStep, "CONFIRM_RESET_PASSWORD_WITH_CODE");
  assert.equal(r.nextStep.codeDeliveryDetails.deliveryMedium, "EMAIL");
  await rejectsWith(auth.confirmResetPassword({ username: "settled", confirmationCode: "000000", newPassword: "N3w!Passw0rd" }), "CodeMismatchException", "", "wrong code");
  assert.equal(await auth.confirmResetPassword({ username: "settled", confirmationCode: await outboxCode("settled"), newPassword: "N3w!Passw0rd" }), undefined);
  const s = await auth.signIn({ username: "settled", password: "N3w!Passw0rd" });
  assert.equal(s.isSignedIn, true, "sign-in with the new password");
  await auth.updatePassword({ oldPassword: "N3w!Passw0rd", newPassword: PASSWORD });
  await rejectsWith(auth.updatePassword({ oldPassword: "Wr0ng!Passw0rd", newPassword: PASSWORD }), "NotAuthorizedException", "", "updatePassword with a wrong old one");
  assert.equal((await auth.signIn({ username: "settled", password: PASSWORD })).isSignedIn, true, "sign-in after updatePassword");
});

test("attributes: fetch, update (with a code for email), confirm, send a code, delete", async () => {
  const auth = await shim.createAuth(config());
  await auth.signIn({ username: "settled", password: PASSWORD });
  const before = await auth.fetchUserAttributes();
  assert.equal(before["custom:team"], "blue");
  assert.match(before.sub, /^[0-9a-f-]{36}$/);

  const up = await auth.updateUserAttributes({ userAttributes: { email: "settled2@example.com", "custom:team": "red" } });
  assert.deepEqual(up["custom:team"], { isUpdated: true, nextStep: { updateAttributeStep: "DONE" } });
  assert.equal(up.email.isUpdated, false);
  assert.equal(up.email.nextStep.updateAttributeStep, "CONFIRM_ATTRIBUTE_WITH_CODE");
  assert.equal(up.email.nextStep.codeDeliveryDetails.attributeName, "email");
  await rejectsWith(auth.confirmUserAttribute({ userAttributeKey: "email", confirmationCode: "000000" }), "CodeMismatchException", "", "wrong code");
  assert.equal(await auth.confirmUserAttribute({ userAttributeKey: "email", confirmationCode: await outboxCode("settled") }), undefined);
  const after = await auth.fetchUserAttributes();
  assert.equal(after.email, "settled2@example.com");
  assert.equal(after.email_verified, "true");
  assert.equal(after["custom:team"], "red");

  const one = await auth.updateUserAttribute({ userAttribute: { attributeKey: "custom:team", value: "green" } });
  assert.deepEqual(one, { isUpdated: true, nextStep: { updateAttributeStep: "DONE" } });
  const sent = await auth.sendUserAttributeVerificationCode({ userAttributeKey: "email" });
  assert.equal(sent.attributeName, "email");
  assert.equal(sent.deliveryMedium, "EMAIL");
  await auth.deleteUserAttributes({ userAttributeKeys: ["custom:team"] });
  assert.equal((await auth.fetchUserAttributes())["custom:team"], undefined);
  await rejectsWith(auth.deleteUserAttributes({ userAttributeKeys: ["sub"] }), "InvalidParameterException", "", "deleting sub");
});

test("TOTP setup and MFA preferences", async () => {
  const auth = await shim.createAuth(config(UA_CLIENT));
  await auth.signUp({ username: "totp-user", password: PASSWORD, options: { userAttributes: { email: "totp@example.com" } } });
  await auth.confirmSignUp({ username: "totp-user", confirmationCode: await outboxCode("totp-user") });
  await auth.signIn({ username: "totp-user", password: PASSWORD });
  assert.deepEqual(await auth.fetchMFAPreference(), {}, "nothing enabled yet");

  const setup = await auth.setUpTOTP();
  assert.deepEqual(Object.keys(setup).sort(), ["getSetupUri", "sharedSecret"]);
  const uri = setup.getSetupUri("My App");
  assert.ok(uri instanceof URL);
  assert.equal(uri.href, `otpauth://totp/My%20App:totp-user?issuer=My+App&secret=${setup.sharedSecret}`);
  assert.equal(setup.getSetupUri("My App", "me@example.com").href, `otpauth://totp/My%20App:me@example.com?issuer=My+App&secret=${setup.sharedSecret}`);
  await rejectsWith(auth.verifyTOTPSetup({ code: "000000" }), "EnableSoftwareTokenMFAException", "", "wrong TOTP code");
  await auth.verifyTOTPSetup({ code: totp(setup.sharedSecret), options: { friendlyDeviceName: "phone" } });
  await auth.updateMFAPreference({ totp: "PREFERRED" });
  assert.deepEqual(await auth.fetchMFAPreference(), { enabled: ["TOTP"], preferred: "TOTP" });
  await auth.updateMFAPreference({ totp: "NOT_PREFERRED" });
  assert.deepEqual(await auth.fetchMFAPreference(), { enabled: ["TOTP"] });
  await auth.updateMFAPreference({ totp: "DISABLED" });
  assert.deepEqual(await auth.fetchMFAPreference(), {});
});

test("deleteUser deletes and signs out", async () => {
  const auth = await shim.createAuth(config());
  await auth.signUp({ username: "leaving", password: PASSWORD, options: { userAttributes: { email: "leaving@example.com" } } });
  await auth.confirmSignUp({ username: "leaving", confirmationCode: await outboxCode("leaving") });
  await auth.signIn({ username: "leaving", password: PASSWORD });
  assert.equal(await auth.deleteUser(), undefined);
  await rejectsWith(auth.fetchUserAttributes(), "UserUnAuthenticatedException", "", "after deleteUser");
  await rejectsWith(auth.signIn({ username: "leaving", password: PASSWORD }), "UserNotFoundException", "", "sign-in of the deleted user");
});

test("bad input is refused naming the field; calls for a user need one signed in", async () => {
  const auth = await shim.createAuth(config());
  const bad = [
    ["signUp()", () => auth.signUp(), "username is required"],
    ["signUp number username", () => auth.signUp({ username: 5 }), "username must be a string, not a number"],
    ["signUp string input", () => auth.signUp("alice"), "input must be an object, not a string"],
    ["signUp array options", () => auth.signUp({ username: "a", options: [] }), "options must be an object, not an array"],
    ["signUp attribute value", () => auth.signUp({ username: "a", options: { userAttributes: { email: 1 } } }), "options.userAttributes.email must be a string, not a number"],
    ["signUp autoSignIn string", () => auth.signUp({ username: "a", options: { autoSignIn: "yes" } }), "options.autoSignIn must be a boolean or an object"],
    ["signUp autoSignIn flow", () => auth.signUp({ username: "a", options: { autoSignIn: { authFlowType: 1 } } }), "options.autoSignIn.authFlowType must be a string"],
    ["confirmSignUp no code", () => auth.confirmSignUp({ username: "a" }), "confirmationCode is required"],
    ["confirmSignUp forceAliasCreation", () => auth.confirmSignUp({ username: "a", confirmationCode: "1", options: { forceAliasCreation: "yes" } }), "options.forceAliasCreation must be a boolean"],
    ["resendSignUpCode()", () => auth.resendSignUpCode(), "username is required"],
    ["resetPassword empty", () => auth.resetPassword({ username: "" }), "username is required"],
    ["confirmResetPassword no password", () => auth.confirmResetPassword({ username: "a", confirmationCode: "1" }), "newPassword is required"],
    ["updatePassword no old", () => auth.updatePassword({ newPassword: "x" }), "oldPassword is required"],
    ["updateUserAttributes none", () => auth.updateUserAttributes({ userAttributes: {} }), "userAttributes is required"],
    ["updateUserAttribute none", () => auth.updateUserAttribute({}), "userAttribute is required"],
    ["confirmUserAttribute no key", () => auth.confirmUserAttribute({ confirmationCode: "1" }), "userAttributeKey is required"],
    ["sendUserAttributeVerificationCode metadata", () => auth.sendUserAttributeVerificationCode({ userAttributeKey: "email", options: { clientMetadata: { k: 1 } } }), "options.clientMetadata.k must be a string"],
    ["deleteUserAttributes not an array", () => auth.deleteUserAttributes({ userAttributeKeys: "email" }), "userAttributeKeys is required"],
    ["deleteUserAttributes empty name", () => auth.deleteUserAttributes({ userAttributeKeys: ["email", ""] }), "userAttributeKeys[1] must be a non-empty string"],
    ["verifyTOTPSetup no code", () => auth.verifyTOTPSetup({}), "code is required"],
    ["updateMFAPreference bad value", () => auth.updateMFAPreference({ totp: "ON" }), "totp must be ENABLED, DISABLED, PREFERRED or NOT_PREFERRED"],
    ["updateMFAPreference number", () => auth.updateMFAPreference({ sms: 1 }), "sms must be a string"],
  ];
  for (const [label, run, fragment] of bad) await rejectsWith(run(), "InvalidParameterException", fragment, label);
  for (const [label, run] of [
    ["fetchUserAttributes", () => auth.fetchUserAttributes()],
    ["updatePassword", () => auth.updatePassword({ oldPassword: "a", newPassword: "b" })],
    ["setUpTOTP", () => auth.setUpTOTP()],
    ["fetchMFAPreference", () => auth.fetchMFAPreference()],
    ["deleteUser", () => auth.deleteUser()],
  ]) {
    await rejectsWith(run(), "UserUnAuthenticatedException", "User needs to be authenticated", `${label} signed out`);
  }
});

test("Amplify JS v6 answers the same calls on the same user with the same shapes", async () => {
  // AWS's client, pinned in e2e/reference (make js-test installs it first); its CommonJS build, one instance.
  const require = createRequire(join(root, "e2e", "reference", "package.json"));
  const { Amplify } = require("aws-amplify");
  const amplify = require("aws-amplify/auth");
  const { cognitoUserPoolsTokenProvider } = require("aws-amplify/auth/cognito");
  require("aws-amplify/utils").ConsoleLogger.LOG_LEVEL = "ERROR"; // it warns about the custom endpoint on each call
  const m = new Map();
  const storage = { getItem: async (k) => (m.has(k) ? m.get(k) : null), setItem: async (k, v) => void m.set(k, v), removeItem: async (k) => void m.delete(k), clear: async () => m.clear() };
  Amplify.configure({ Auth: { Cognito: { userPoolId: POOL, userPoolClientId: CLIENT, userPoolEndpoint: endpoint } } });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
  const auth = await shim.createAuth({ ...config(), storage });
  // Values that differ by user or call (ids, masked addresses, secrets) are replaced; undefined members dropped.
  const shape = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v, (k, x) => (["userId", "destination"].includes(k) ? `<${k}>` : x))));
  const same = (ours, theirs, label) => assert.deepEqual(shape(ours), shape(theirs), `${label}: cognito-wasm's answer differs from Amplify's`);

  const signUp = (api, username) => api.signUp({ username, password: PASSWORD, options: { userAttributes: { email: `${username}@example.com` } } });
  same(await signUp(auth, "twin-w"), await signUp(amplify, "twin-a"), "signUp");
  same(await auth.resendSignUpCode({ username: "twin-w" }), await amplify.resendSignUpCode({ username: "twin-a" }), "resendSignUpCode");
  same(await auth.confirmSignUp({ username: "twin-w", confirmationCode: await outboxCode("twin-w") }),
    await amplify.confirmSignUp({ username: "twin-a", confirmationCode: await outboxCode("twin-a") }), "confirmSignUp");
  same(await auth.resetPassword({ username: "twin-w" }), await amplify.resetPassword({ username: "twin-a" }), "resetPassword");

  // One user, signed in by Amplify; cognito-wasm works on the session it stored.
  assert.equal((await amplify.signIn({ username: "twin-a", password: PASSWORD })).isSignedIn, true);
  same(await auth.fetchUserAttributes(), await amplify.fetchUserAttributes(), "fetchUserAttributes");
  same(await auth.fetchMFAPreference(), await amplify.fetchMFAPreference(), "fetchMFAPreference, none");
  const update = (api, n) => api.updateUserAttributes({ userAttributes: { email: `twin-a${n}@example.com`, "custom:team": `team${n}` } });
  same(await update(auth, 1), await update(amplify, 2), "updateUserAttributes");
  same(await auth.updateUserAttribute({ userAttribute: { attributeKey: "custom:team", value: "x" } }),
    await amplify.updateUserAttribute({ userAttribute: { attributeKey: "custom:team", value: "y" } }), "updateUserAttribute");
  same(await auth.sendUserAttributeVerificationCode({ userAttributeKey: "email" }),
    await amplify.sendUserAttributeVerificationCode({ userAttributeKey: "email" }), "sendUserAttributeVerificationCode");
  same(await auth.confirmUserAttribute({ userAttributeKey: "email", confirmationCode: await outboxCode("twin-a") }), undefined, "confirmUserAttribute");
  same(await auth.fetchUserAttributes(), await amplify.fetchUserAttributes(), "fetchUserAttributes after the changes");

  const ours = await auth.setUpTOTP();
  const theirs = await amplify.setUpTOTP();
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort(), "setUpTOTP's members");
  // The same URI up to the order of its query (an authenticator reads the parameters by name).
  const uri = (u) => [u.protocol, decodeURIComponent(u.pathname), [...u.searchParams].map(([k, v]) => (k === "secret" ? "secret=S" : `${k}=${v}`)).sort()];
  assert.deepEqual(uri(ours.getSetupUri("My App", "me")), uri(theirs.getSetupUri("My App", "me")), "getSetupUri");
  await amplify.verifyTOTPSetup({ code: totp(theirs.sharedSecret) });
  await auth.updateMFAPreference({ totp: "PREFERRED" });
  same(await auth.fetchMFAPreference(), await amplify.fetchMFAPreference(), "fetchMFAPreference, TOTP preferred");
  await amplify.updateMFAPreference({ totp: "NOT_PREFERRED" });
  same(await auth.fetchMFAPreference(), await amplify.fetchMFAPreference(), "fetchMFAPreference, TOTP enabled");
  await amplify.signOut();
});

// Tests of the shim's passkey part under Node 20: the conversion between
// Cognito's base64url JSON and the ArrayBuffers navigator.credentials
// takes and gives, and the PasskeyNotSupported refusals. (Registration and
// sign-in against the emulator run in Chromium: e2e/passkey_test.go.)
//
// Run: node --test js/test/passkeys.test.mjs
// The module is loaded from COGNITO_WASM_DIST when set (the Makefile's
// build/dist), else built into a temp dir by js/build-dist.sh.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const work = mkdtempSync(join(tmpdir(), "cognito-wasm-passkeys-"));
let shim;

before(async () => {
  let dist = process.env.COGNITO_WASM_DIST;
  if (!dist) {
    dist = join(work, "dist");
    const env = { ...process.env, GOOS: "", GOARCH: "" };
    execFileSync(join(root, "js", "build-dist.sh"), [dist], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  }
  shim = await import(pathToFileURL(join(dist, "cognito-wasm.js")).href);
});

after(() => rmSync(work, { recursive: true, force: true }));

const bytes = (buf) => {
  assert.ok(buf instanceof ArrayBuffer, `${Object.prototype.toString.call(buf)} is not an ArrayBuffer`);
  return [...new Uint8Array(buf)];
};
const all = Uint8Array.from({ length: 256 }, (_, i) => i);
// base64url of bytes 0..255, without padding, as Cognito writes it.
const allB64 = Buffer.from(all).toString("base64url");

test("creation options: base64url members become ArrayBuffers, the rest is kept", () => {
  const json = {
    challenge: allB64,
    rp: { id: "localhost", name: "demo" },
    user: { id: "AQID", name: "alice", displayName: "Alice" },
    pubKeyCredParams: [{ type: "public-key", alg: -7 }],
    excludeCredentials: [{ type: "public-key", id: "_-8", transports: ["internal"] }],
    authenticatorSelection: { userVerification: "required", residentKey: "required" },
    timeout: 60000,
  };
  for (const input of [json, JSON.stringify(json)]) {
    const o = shim.passkeyCreationOptions(input);
    assert.deepEqual(bytes(o.challenge), [...all]);
    assert.deepEqual(bytes(o.user.id), [1, 2, 3]);
    assert.equal(o.user.name, "alice");
    assert.deepEqual(bytes(o.excludeCredentials[0].id), [0xff, 0xef]);
    assert.deepEqual(o.excludeCredentials[0].transports, ["internal"]);
    assert.deepEqual(o.rp, json.rp);
    assert.deepEqual(o.pubKeyCredParams, json.pubKeyCredParams);
    assert.deepEqual(o.authenticatorSelection, json.authenticatorSelection);
    assert.equal(o.timeout, 60000);
  }
  // Padded base64url is read too.
  assert.deepEqual(bytes(shim.passkeyCreationOptions({ ...json, challenge: "AQ==" }).challenge), [1]);
});

test("request options: challenge and allowCredentials ids become ArrayBuffers", () => {
  const o = shim.passkeyRequestOptions(JSON.stringify({ challenge: "AAEC", rpId: "localhost", userVerification: "required",
    allowCredentials: [{ type: "public-key", id: "BAUG" }] }));
  assert.deepEqual(bytes(o.challenge), [0, 1, 2]);
  assert.deepEqual(bytes(o.allowCredentials[0].id), [4, 5, 6]);
  assert.equal(o.rpId, "localhost");
  assert.equal(shim.passkeyRequestOptions({ challenge: "AA" }).allowCredentials, undefined);
});

test("bad options are refused under Amplify's names", () => {
  const refused = (f, name, re) => assert.throws(f, (e) => e.name === name && re.test(e.message), `${name} ${re}`);
  refused(() => shim.passkeyCreationOptions("{not json"), "InvalidPasskeyRegistrationOptions", /not JSON/);
  refused(() => shim.passkeyCreationOptions({ challenge: "AA", rp: {} }), "InvalidPasskeyRegistrationOptions", /user is missing/);
  refused(() => shim.passkeyCreationOptions({ challenge: "AA+/", rp: {}, user: { id: "AA" } }), "InvalidPasskeyRegistrationOptions", /challenge is not base64url/);
  refused(() => shim.passkeyCreationOptions({ challenge: "AA", rp: {}, user: {} }), "InvalidPasskeyRegistrationOptions", /user\.id is not base64url/);
  refused(() => shim.passkeyCreationOptions({ challenge: "AA", rp: {}, user: { id: "AA" }, excludeCredentials: {} }), "InvalidPasskeyRegistrationOptions", /excludeCredentials is not a list/);
  refused(() => shim.passkeyRequestOptions("null"), "InvalidPasskeyAuthenticationOptions", /not an object/);
  refused(() => shim.passkeyRequestOptions({ challenge: "AA", allowCredentials: [{ id: 7 }] }), "InvalidPasskeyAuthenticationOptions", /allowCredentials\[0\]\.id/);
});

test("credentials: ArrayBuffers and views become base64url JSON", () => {
  const view = new Uint8Array([9, 9, ...all, 9]).subarray(2, 258); // a view with an offset
  const attestation = {
    id: "cred-id", rawId: new Uint8Array([0xfb, 0xff]).buffer, type: "public-key", authenticatorAttachment: "platform",
    getClientExtensionResults: () => ({ credProps: { rk: true } }),
    response: {
      clientDataJSON: new TextEncoder().encode('{"type":"webauthn.create"}').buffer,
      attestationObject: view,
      getTransports: () => ["internal"],
      getAuthenticatorData: () => new Uint8Array([1, 2]).buffer,
      getPublicKeyAlgorithm: () => -7,
      getPublicKey: () => new Uint8Array([3]).buffer,
    },
  };
  assert.deepEqual(shim.passkeyCredentialJSON(attestation), {
    id: "cred-id", rawId: "-_8", type: "public-key", authenticatorAttachment: "platform",
    clientExtensionResults: { credProps: { rk: true } },
    response: {
      clientDataJSON: Buffer.from('{"type":"webauthn.create"}').toString("base64url"),
      attestationObject: allB64, transports: ["internal"], authenticatorData: "AQI", publicKeyAlgorithm: -7, publicKey: "Aw",
    },
  });
  const assertion = {
    id: "cred-id", rawId: new Uint8Array([1]).buffer, type: "public-key", authenticatorAttachment: null,
    getClientExtensionResults: () => ({}),
    response: { clientDataJSON: new Uint8Array([0]).buffer, authenticatorData: new Uint8Array([1, 2, 3]).buffer,
      signature: new Uint8Array([0x30, 0x44]).buffer, userHandle: null },
  };
  assert.deepEqual(shim.passkeyCredentialJSON(assertion), {
    id: "cred-id", rawId: "AQ", type: "public-key", clientExtensionResults: {},
    response: { clientDataJSON: "AA", authenticatorData: "AQID", signature: "MEQ" },
  });
});

test("no WebAuthn here: PasskeyNotSupported naming what is missing, before anything is sent", async () => {
  const auth = await shim.createAuth({ userPoolId: "us-east-1_cwPasskey01", clientId: "cwpasskeyclient000000001", endpoint: "http://127.0.0.1:9" });
  const saved = Object.getOwnPropertyDescriptor(globalThis, "isSecureContext");
  try {
    Object.defineProperty(globalThis, "isSecureContext", { value: false, configurable: true });
    await assert.rejects(auth.associateWebAuthnCredential(), (e) => e.name === "PasskeyNotSupported" && /secure context/.test(e.message));
    Object.defineProperty(globalThis, "isSecureContext", { value: true, configurable: true });
    await assert.rejects(auth.associateWebAuthnCredential(), (e) => e.name === "PasskeyNotSupported" && /navigator\.credentials/.test(e.message));
  } finally {
    if (saved) Object.defineProperty(globalThis, "isSecureContext", saved);
    else delete globalThis.isSecureContext;
  }
  // Argument checks of the list and delete calls, also before anything is sent.
  await assert.rejects(auth.listWebAuthnCredentials({ pageSize: 0 }), (e) => e.name === "InvalidParameterException" && /pageSize/.test(e.message));
  await assert.rejects(auth.listWebAuthnCredentials({ nextToken: 5 }), (e) => e.name === "InvalidParameterException" && /nextToken/.test(e.message));
  await assert.rejects(auth.deleteWebAuthnCredential({}), (e) => e.name === "InvalidParameterException" && /credentialId/.test(e.message));
  // Signed out, the calls that pass the checks are refused as Amplify does.
  await assert.rejects(auth.listWebAuthnCredentials(), (e) => e.name === "UserUnAuthenticatedException");
  auth.dispose && auth.dispose();
});

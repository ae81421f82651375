// Amplify JS v6's passkey APIs against the emulator: associateWebAuthnCredential,
// listWebAuthnCredentials, deleteWebAuthnCredential, and signIn with
// authFlowType USER_AUTH and preferredChallenge WEB_AUTHN. Amplify only
// offers passkeys in a secure browser context, so this file gives Node the
// few browser globals Amplify checks (window, document, isSecureContext,
// navigator.credentials, the PublicKeyCredential classes) backed by the
// software authenticator of lib/authenticator.mjs: Amplify's own conversion
// between Cognito's JSON and the ArrayBuffers of the WebAuthn API runs
// unchanged. Each test file runs in its own process, so the globals stay here.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  associateWebAuthnCredential, deleteWebAuthnCredential, listWebAuthnCredentials, signIn, signOut,
} from 'aws-amplify/auth';

import { SoftAuthenticator } from './lib/authenticator.mjs';
import { amplifyDone, useAmplify } from './lib/clients.mjs';
import { adminClient, makePool, makeUser, rejectsWith, startEmulator } from './lib/harness.mjs';

const ORIGIN = 'http://localhost:5173';
const toB64url = (buf) => Buffer.from(buf).toString('base64url');
const toArrayBuffer = (s) => {
  const b = Buffer.from(s, 'base64url');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
};

class PublicKeyCredential {
  constructor(json) {
    this.id = json.id;
    this.rawId = toArrayBuffer(json.rawId);
    this.type = json.type;
    this.authenticatorAttachment = json.authenticatorAttachment;
    this.extensions = json.clientExtensionResults;
  }

  getClientExtensionResults() {
    return this.extensions;
  }
}
class AuthenticatorAttestationResponse {
  constructor(json) {
    this.clientDataJSON = toArrayBuffer(json.clientDataJSON);
    this.attestationObject = toArrayBuffer(json.attestationObject);
    this.transports = json.transports;
  }

  getTransports() { return this.transports; }

  getPublicKeyAlgorithm() { return -7; }

  getAuthenticatorData() { return new ArrayBuffer(0); } // Cognito reads the attestation object

  getPublicKey() { return null; }
}
class AuthenticatorAssertionResponse {
  constructor(json) {
    this.clientDataJSON = toArrayBuffer(json.clientDataJSON);
    this.authenticatorData = toArrayBuffer(json.authenticatorData);
    this.signature = toArrayBuffer(json.signature);
    this.userHandle = null;
  }
}

// The browser: which authenticator answers, and what Amplify handed it.
const browser = { authenticator: null, created: [], got: [] };

function installBrowser() {
  globalThis.window = globalThis;
  globalThis.document = { querySelector: () => null, querySelectorAll: () => [] }; // Amplify's framework detection looks
  globalThis.isSecureContext = true;
  // Amplify's storage listens for other tabs' changes; there are none.
  globalThis.addEventListener = () => {};
  globalThis.removeEventListener = () => {};
  globalThis.PublicKeyCredential = PublicKeyCredential;
  globalThis.AuthenticatorAttestationResponse = AuthenticatorAttestationResponse;
  globalThis.AuthenticatorAssertionResponse = AuthenticatorAssertionResponse;
  Object.defineProperty(globalThis, 'navigator', {
    configurable: true,
    value: {
      userAgent: 'node',
      credentials: {
        async create({ publicKey }) {
          browser.created.push(publicKey);
          // Back to Cognito's JSON, as the browser would read the buffers.
          const options = { ...publicKey, challenge: toB64url(publicKey.challenge) };
          const json = browser.authenticator.create(options);
          const cred = new PublicKeyCredential(json);
          cred.response = new AuthenticatorAttestationResponse(json.response);
          return cred;
        },
        async get({ publicKey }) {
          browser.got.push(publicKey);
          const options = { ...publicKey, challenge: toB64url(publicKey.challenge) };
          const json = browser.authenticator.get(options);
          const cred = new PublicKeyCredential(json);
          cred.response = new AuthenticatorAssertionResponse(json.response);
          return cred;
        },
      },
    },
  });
}

let emu;
let sdk;
let pool;

describe('Amplify JS v6 passkeys against the emulator', { timeout: 90_000 }, () => {
  before(async () => {
    installBrowser();
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    pool = await makePool(sdk, emu.url, 'amplify-passkeys', {
      UserPoolTier: 'ESSENTIALS', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
    }, ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    await sdk.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.id, MfaConfiguration: 'OFF', WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' },
    }));
  });

  after(async () => {
    await emu?.stop();
  });

  beforeEach(() => useAmplify(emu.url, pool));

  test('associateWebAuthnCredential, listWebAuthnCredentials, signIn with WEB_AUTHN, deleteWebAuthnCredential', async () => {
    const u = await makeUser(sdk, pool, 'amp-pk');
    const a = new SoftAuthenticator({ origin: ORIGIN });
    browser.authenticator = a;
    await amplifyDone(await signIn({ username: u.username, password: u.password,
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' } }), pool, u);

    await associateWebAuthnCredential();
    const created = browser.created.at(-1);
    assert.ok(created.challenge instanceof ArrayBuffer && created.challenge.byteLength >= 16, 'Amplify decoded the challenge');
    assert.ok(created.user.id instanceof ArrayBuffer, 'Amplify decoded the user id');
    assert.equal(created.rp.id, 'localhost');

    const { credentials, nextToken } = await listWebAuthnCredentials();
    assert.equal(nextToken, undefined);
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].credentialId, a.id);
    assert.equal(credentials[0].relyingPartyId, 'localhost');
    assert.ok(credentials[0].createdAt instanceof Date);

    await signOut();
    const out = await signIn({ username: u.username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } });
    await amplifyDone(out, pool, u);
    const got = browser.got.at(-1);
    assert.equal(got.rpId, 'localhost');
    assert.equal(got.userVerification, 'required');
    assert.deepEqual(got.allowCredentials.map((c) => toB64url(c.id)), [a.id]);

    await deleteWebAuthnCredential({ credentialId: a.id });
    assert.equal((await listWebAuthnCredentials()).credentials.length, 0);
    await signOut();
  });

  test('a passkey used from another origin is refused: signIn rejects with WebAuthnOriginNotAllowedException', async () => {
    const u = await makeUser(sdk, pool, 'amp-pk-origin');
    const a = new SoftAuthenticator({ origin: ORIGIN });
    browser.authenticator = a;
    await amplifyDone(await signIn({ username: u.username, password: u.password,
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' } }), pool, u);
    await associateWebAuthnCredential();
    await signOut();
    a.origin = 'https://evil.example.net';
    await rejectsWith(signIn({ username: u.username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } }),
      ['WebAuthnOriginNotAllowedException']);
  });
});

// Challenge sessions as Cognito keeps them, seen through the JS SDK v3's
// public operations: single use, bound to the client, the user and the
// challenge they were issued for.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  AdminSetUserMFAPreferenceCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import {
  adminClient, createClient, createPool, createUser, lastCode, makePool, makeUser, rejectsWith, startEmulator, tokenVerifier,
} from './lib/harness.mjs';
import { SMS_MFA_CONFIG } from './lib/clients.mjs';

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const INVALID_SESSION = /^Invalid session for the user\.?$/;

let emu;
let sdk;
let poolId;
let clientA;
let clientB;
let verifier;
let seq = 0;

// newPasswordUser is a FORCE_CHANGE_PASSWORD user whose sign-in stops at
// NEW_PASSWORD_REQUIRED; returns the user and that challenge.
async function newPasswordUser(prefix) {
  seq += 1;
  const u = { username: `${prefix}-${seq}`, password: `Temp-${seq}!Sessions1` };
  u.sub = await createUser(sdk, poolId, { username: u.username, password: u.password, permanent: false });
  const init = await sdk.send(new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientA, AuthParameters: { USERNAME: u.username, PASSWORD: u.password },
  }));
  assert.equal(init.ChallengeName, 'NEW_PASSWORD_REQUIRED');
  assert.ok(init.Session, 'a session');
  return { u, init };
}

function answerNewPassword(clientId, Session, USERNAME, NEW_PASSWORD, ChallengeName = 'NEW_PASSWORD_REQUIRED') {
  return sdk.send(new RespondToAuthChallengeCommand({
    ClientId: clientId, ChallengeName, Session, ChallengeResponses: { USERNAME, NEW_PASSWORD },
  }));
}

describe('challenge sessions through the SDK v3', { timeout: 60_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    poolId = await createPool(sdk, {});
    clientA = (await createClient(sdk, poolId, 'a', FLOWS)).ClientId;
    clientB = (await createClient(sdk, poolId, 'b', FLOWS)).ClientId;
    verifier = await tokenVerifier(emu.url, poolId);
  });

  after(async () => {
    await emu?.stop();
  });

  test('a session answered once is refused the second time', async () => {
    const { u, init } = await newPasswordUser('replay');
    const out = await answerNewPassword(clientA, init.Session, u.username, 'New-Pw1!Sessions');
    const r = out.AuthenticationResult;
    await verifier.verify({ idToken: r.IdToken, accessToken: r.AccessToken }, { clientId: clientA, username: u.username, sub: u.sub });
    await rejectsWith(answerNewPassword(clientA, init.Session, u.username, 'Other-Pw1!Sessions'), ['NotAuthorizedException'], INVALID_SESSION);
  });

  test('a session is bound to the client it was issued to', async () => {
    const { u, init } = await newPasswordUser('client');
    await rejectsWith(answerNewPassword(clientB, init.Session, u.username, 'New-Pw1!Sessions'), ['NotAuthorizedException'], INVALID_SESSION);
  });

  test('a session is bound to its user', async () => {
    const { init } = await newPasswordUser('owner');
    const { u: other } = await newPasswordUser('other');
    await rejectsWith(answerNewPassword(clientA, init.Session, other.username, 'New-Pw1!Sessions'), ['NotAuthorizedException']);
  });

  test('a made-up session is refused', async () => {
    const { u } = await newPasswordUser('madeup');
    await rejectsWith(answerNewPassword(clientA, 'A'.repeat(64), u.username, 'New-Pw1!Sessions'), ['NotAuthorizedException'], INVALID_SESSION);
  });

  test('40 SMS-MFA sign-ins at once: every session gets its own code and none is lost', async () => {
    const mfaPool = await makePool(sdk, emu.url, 'concurrent', {}, FLOWS);
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: mfaPool.id, MfaConfiguration: 'ON', SmsMfaConfiguration: SMS_MFA_CONFIG }));
    const users = [];
    for (let i = 0; i < 40; i++) {
      const u = await makeUser(sdk, mfaPool, 'many', { phone_number: `+1555555${String(1000 + i)}`, phone_number_verified: 'true' });
      await sdk.send(new AdminSetUserMFAPreferenceCommand({
        UserPoolId: mfaPool.id, Username: u.username, SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }));
      users.push(u);
    }
    const results = await Promise.all(users.map(async (u) => {
      const init = await sdk.send(new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH', ClientId: mfaPool.clientId, AuthParameters: { USERNAME: u.username, PASSWORD: u.password },
      }));
      assert.equal(init.ChallengeName, 'SMS_MFA');
      const { code } = await lastCode(emu.url, mfaPool.id, u.username, 'SMS');
      const out = await sdk.send(new RespondToAuthChallengeCommand({
        ClientId: mfaPool.clientId, ChallengeName: 'SMS_MFA', Session: init.Session,
        ChallengeResponses: { USERNAME: u.username, SMS_MFA_CODE: code },
      }));
      const r = out.AuthenticationResult;
      return mfaPool.verifier.verify({ idToken: r.IdToken, accessToken: r.AccessToken }, { clientId: mfaPool.clientId, username: u.username, sub: u.sub });
    }));
    assert.equal(new Set(results.map((r) => r.access.jti)).size, users.length, 'one distinct token per sign-in');
  });
});

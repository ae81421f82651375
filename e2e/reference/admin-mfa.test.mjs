// The JS SDK v3 answers MFA challenges through AdminRespondToAuthChallenge,
// SigV4-signed against an emulator started with -credentials: SMS_MFA after
// ADMIN_USER_PASSWORD_AUTH, a wrong code kept answerable, a used session refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { SMS_MFA_CONFIG, nextTOTP, registerTOTP, setMFA, wrongCode } from './lib/clients.mjs';
import {
  ACCESS_KEY_ID, SECRET_ACCESS_KEY, adminClient, lastCode, makePool, makeUser, rejectsWith, startEmulator,
} from './lib/harness.mjs';

const FLOWS = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

let emu;
let sdk;
let pool;

function adminInitiate(u) {
  return sdk.send(new AdminInitiateAuthCommand({
    UserPoolId: pool.id, ClientId: pool.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: u.username, PASSWORD: u.password },
  }));
}

function adminRespond(ChallengeName, Session, ChallengeResponses) {
  return sdk.send(new AdminRespondToAuthChallengeCommand({
    UserPoolId: pool.id, ClientId: pool.clientId, ChallengeName, Session, ChallengeResponses,
  }));
}

async function checkResult(out, u) {
  const r = out.AuthenticationResult;
  assert.ok(r, `tokens, got ${JSON.stringify(out)}`);
  return pool.verifier.verify({ idToken: r.IdToken, accessToken: r.AccessToken }, { clientId: pool.clientId, username: u.username, sub: u.sub });
}

describe('SDK v3 Admin MFA challenges with SigV4 against the emulator', { timeout: 60_000 }, () => {
  before(async () => {
    emu = await startEmulator({ args: ['-credentials', `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY}`] });
    sdk = adminClient(emu.url);
    pool = await makePool(sdk, emu.url, 'admin-mfa', {}, FLOWS);
    await sdk.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.id, MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: SMS_MFA_CONFIG, SoftwareTokenMfaConfiguration: { Enabled: true },
    }));
  });

  after(async () => {
    await emu?.stop();
  });

  test('SMS_MFA through AdminRespondToAuthChallenge; a wrong code keeps the session, a used session is refused', async () => {
    const u = await makeUser(sdk, pool, 'adminsms', { phone_number: '+15555550142', phone_number_verified: 'true' });
    await setMFA(sdk, pool, u, { sms: true, preferred: 'SMS' });
    const init = await adminInitiate(u);
    assert.equal(init.ChallengeName, 'SMS_MFA');
    assert.equal(init.ChallengeParameters.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
    assert.equal(init.ChallengeParameters.CODE_DELIVERY_DESTINATION, '+*******0142');
    assert.ok(init.Session, 'a session');
    const { code } = await lastCode(emu.url, pool.id, u.username, 'SMS');
    const respond = (SMS_MFA_CODE) => adminRespond('SMS_MFA', init.Session, { USERNAME: u.username, SMS_MFA_CODE });
    await rejectsWith(respond(wrongCode(code)), ['CodeMismatchException']);
    await checkResult(await respond(code), u);
    await rejectsWith(respond(code), ['NotAuthorizedException'], /Invalid session/);
  });

  test('SOFTWARE_TOKEN_MFA through AdminRespondToAuthChallenge', async () => {
    const u = await makeUser(sdk, pool, 'admintotp');
    const { secret, usedStep } = await registerTOTP(sdk, pool, u);
    await setMFA(sdk, pool, u, { totp: true, preferred: 'TOTP' });
    const init = await adminInitiate(u);
    assert.equal(init.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    await checkResult(await adminRespond('SOFTWARE_TOKEN_MFA', init.Session,
      { USERNAME: u.username, SOFTWARE_TOKEN_MFA_CODE: nextTOTP(secret, usedStep) }), u);
  });

  test('three wrong codes end the session', async () => {
    const u = await makeUser(sdk, pool, 'adminsms3', { phone_number: '+15555550143', phone_number_verified: 'true' });
    await setMFA(sdk, pool, u, { sms: true, preferred: 'SMS' });
    const init = await adminInitiate(u);
    const { code } = await lastCode(emu.url, pool.id, u.username, 'SMS');
    const respond = (SMS_MFA_CODE) => adminRespond('SMS_MFA', init.Session, { USERNAME: u.username, SMS_MFA_CODE });
    for (let i = 0; i < 3; i++) await rejectsWith(respond(wrongCode(code)), ['CodeMismatchException']);
    await rejectsWith(respond(code), ['NotAuthorizedException'], /Invalid session/);
  });
});

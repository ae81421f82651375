// The JS SDK v3 answers challenges through AdminRespondToAuthChallenge,
// SigV4-signed against an emulator started with -credentials: SMS_MFA and
// SOFTWARE_TOKEN_MFA after ADMIN_USER_PASSWORD_AUTH, a wrong code kept
// answerable, a used session refused, SECRET_HASH required at each step for
// a client with a secret, and CUSTOM_AUTH and USER_AUTH through the Admin
// operations.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { SMS_MFA_CONFIG, nextTOTP, registerTOTP, setMFA, srpProof, wrongCode } from './lib/clients.mjs';
import {
  ACCESS_KEY_ID, LAMBDA_ARNS, SECRET_ACCESS_KEY, adminClient, answerFor, createClient, customAuthTriggers, lambdaServer,
  lastCode, makePool, makeUser, rejectsWith, secretHash, startEmulator,
} from './lib/harness.mjs';

const FLOWS = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

let emu;
let lambda;
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

describe('SDK v3 Admin challenges with SigV4 against the emulator', { timeout: 60_000 }, () => {
  before(async () => {
    lambda = await lambdaServer(customAuthTriggers);
    emu = await startEmulator({ args: ['-credentials', `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY}`, '-lambda-endpoint', lambda.url] });
    sdk = adminClient(emu.url);
    pool = await makePool(sdk, emu.url, 'admin-mfa', {
      UserPoolTier: 'ESSENTIALS', LambdaConfig: LAMBDA_ARNS,
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
    }, FLOWS);
    await sdk.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.id, MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: SMS_MFA_CONFIG, SoftwareTokenMfaConfiguration: { Enabled: true },
    }));
  });

  after(async () => {
    await emu?.stop();
    await lambda?.close();
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

  test('a client with a secret: SECRET_HASH is required on the MFA answer too', async () => {
    const client = await createClient(sdk, pool.id, 'admin-mfa-secret', FLOWS, { GenerateSecret: true });
    const { ClientId: id, ClientSecret: secret } = client;
    const u = await makeUser(sdk, pool, 'adminsecretsms', { phone_number: '+15555550144', phone_number_verified: 'true' });
    await setMFA(sdk, pool, u, { sms: true, preferred: 'SMS' });
    const init = await sdk.send(new AdminInitiateAuthCommand({
      UserPoolId: pool.id, ClientId: id, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: u.username, PASSWORD: u.password, SECRET_HASH: secretHash(u.username, id, secret) },
    }));
    assert.equal(init.ChallengeName, 'SMS_MFA');
    const { code } = await lastCode(emu.url, pool.id, u.username, 'SMS');
    const respond = (extra) => sdk.send(new AdminRespondToAuthChallengeCommand({
      UserPoolId: pool.id, ClientId: id, ChallengeName: 'SMS_MFA', Session: init.Session,
      ChallengeResponses: { USERNAME: u.username, SMS_MFA_CODE: code, ...extra },
    }));
    await rejectsWith(respond({}), ['NotAuthorizedException']);
    await rejectsWith(respond({ SECRET_HASH: secretHash(u.username, id, 'not-the-secret') }), ['NotAuthorizedException']);
    const out = await respond({ SECRET_HASH: secretHash(u.username, id, secret) });
    assert.ok(out.AuthenticationResult, `tokens, got ${JSON.stringify(out)}`);
    await pool.verifier.verify({ idToken: out.AuthenticationResult.IdToken, accessToken: out.AuthenticationResult.AccessToken },
      { clientId: id, username: u.username, sub: u.sub });
  });

  test('CUSTOM_AUTH through AdminInitiateAuth and AdminRespondToAuthChallenge', async () => {
    const u = await makeUser(sdk, pool, 'admincustom');
    const init = await sdk.send(new AdminInitiateAuthCommand({
      UserPoolId: pool.id, ClientId: pool.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: u.username },
    }));
    assert.equal(init.ChallengeName, 'CUSTOM_CHALLENGE');
    await checkResult(await adminRespond('CUSTOM_CHALLENGE', init.Session,
      { USERNAME: u.username, ANSWER: answerFor(init.ChallengeParameters) }), u);
  });

  test('USER_AUTH with EMAIL_OTP through AdminInitiateAuth and AdminRespondToAuthChallenge', async () => {
    const u = await makeUser(sdk, pool, 'adminuserauth');
    const init = await sdk.send(new AdminInitiateAuthCommand({
      UserPoolId: pool.id, ClientId: pool.clientId, AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: u.username, PREFERRED_CHALLENGE: 'EMAIL_OTP' },
    }));
    assert.equal(init.ChallengeName, 'EMAIL_OTP');
    assert.equal(init.ChallengeParameters.CODE_DELIVERY_DELIVERY_MEDIUM, 'EMAIL');
    const { code } = await lastCode(emu.url, pool.id, u.username, 'EMAIL');
    await checkResult(await adminRespond('EMAIL_OTP', init.Session, { USERNAME: u.username, EMAIL_OTP_CODE: code }), u);
  });

  test('USER_SRP_AUTH through AdminInitiateAuth, answered by AWS\'s AuthenticationHelper; a wrong password is refused', async () => {
    const u = await makeUser(sdk, pool, 'adminsrp');
    for (const [password, ok] of [['Wrong-Pw1!', false], [u.password, true]]) {
      const proof = srpProof(pool.id);
      const init = await sdk.send(new AdminInitiateAuthCommand({
        UserPoolId: pool.id, ClientId: pool.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: u.username, SRP_A: proof.srpA },
      }));
      assert.equal(init.ChallengeName, 'PASSWORD_VERIFIER');
      const answer = adminRespond('PASSWORD_VERIFIER', init.Session, proof.answer(init.ChallengeParameters, password));
      if (ok) await checkResult(await answer, u);
      else await rejectsWith(answer, ['NotAuthorizedException'], /^Incorrect username or password\.$/);
    }
  });
});

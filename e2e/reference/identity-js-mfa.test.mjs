// amazon-cognito-identity-js completes SMS_MFA, SOFTWARE_TOKEN_MFA,
// SELECT_MFA_TYPE, MFA_SETUP and NEW_PASSWORD_REQUIRED with required
// attributes against the emulator. SMS codes come from the emulator's
// outbox; TOTP codes are computed here from the secret.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';

import {
  CALLBACKS, SMS_MFA_CONFIG, cognitoUser, currentStep, details, identityDone, nextTOTP, registerTOTP, setMFA, step, wrongCode,
} from './lib/clients.mjs';
import { adminClient, lastCode, makePool, makeUser, outbox, rejectsWith, startEmulator, totp } from './lib/harness.mjs';

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

let emu;
let sdk;
let pools; // name -> { id, clientId, verifier }

async function mfaPool(name, config) {
  const pool = await makePool(sdk, emu.url, name, {}, FLOWS);
  await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.id, ...config }));
  return pool;
}

function signIn(pool, u) {
  return step(cognitoUser(emu.url, pool, u.username), 'authenticateUser', details(u.username, u.password));
}

describe('amazon-cognito-identity-js MFA and new-password challenges against the emulator', { timeout: 90_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    pools = {};
    // MFA optional: each user's own settings decide.
    pools.optional = await mfaPool('mfa-optional', {
      MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: SMS_MFA_CONFIG, SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    // MFA required with TOTP only: users without a token must set one up.
    pools.on = await mfaPool('mfa-on', { MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
    pools.required = await makePool(sdk, emu.url, 'required-attrs', {
      Schema: [
        { Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true },
        { Name: 'family_name', AttributeDataType: 'String', Required: true, Mutable: true },
      ],
    }, FLOWS);
  });

  after(async () => {
    await emu?.stop();
  });

  test('SMS_MFA: the code from the outbox completes sign-in; a wrong code is CodeMismatchException and can be retried', async () => {
    const pool = pools.optional;
    const u = await makeUser(sdk, pool, 'sms', { phone_number: '+15555550100', phone_number_verified: 'true' });
    await setMFA(sdk, pool, u, { sms: true, preferred: 'SMS' });
    const user = cognitoUser(emu.url, pool, u.username);
    const first = await step(user, 'authenticateUser', details(u.username, u.password));
    assert.equal(first.kind, 'mfaRequired');
    const [challengeName, params] = first.args;
    assert.equal(challengeName, 'SMS_MFA');
    assert.equal(params.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
    assert.equal(params.CODE_DELIVERY_DESTINATION, '+*******0100');
    const sent = await lastCode(emu.url, pool.id, u.username, 'SMS');
    assert.equal(sent.destination, '+15555550100');
    assert.equal(sent.username, u.username);
    await rejectsWith(step(user, 'sendMFACode', wrongCode(sent.code)), ['CodeMismatchException']);
    await identityDone(await step(user, 'sendMFACode', sent.code), pool, u);
  });

  test('SOFTWARE_TOKEN_MFA: a TOTP code computed from the secret completes sign-in; the same code again is refused', async () => {
    const pool = pools.optional;
    const u = await makeUser(sdk, pool, 'totp');
    const { secret, usedStep } = await registerTOTP(sdk, pool, u);
    await setMFA(sdk, pool, u, { totp: true, preferred: 'TOTP' });
    const user = cognitoUser(emu.url, pool, u.username);
    const first = await step(user, 'authenticateUser', details(u.username, u.password));
    assert.equal(first.kind, 'totpRequired');
    assert.equal(first.args[0], 'SOFTWARE_TOKEN_MFA');
    const code = nextTOTP(secret, usedStep);
    await identityDone(await step(user, 'sendMFACode', code, CALLBACKS, 'SOFTWARE_TOKEN_MFA'), pool, u);

    const again = cognitoUser(emu.url, pool, u.username);
    assert.equal((await step(again, 'authenticateUser', details(u.username, u.password))).kind, 'totpRequired');
    // A TOTP code is good once.
    await rejectsWith(step(again, 'sendMFACode', code, CALLBACKS, 'SOFTWARE_TOKEN_MFA'), ['CodeMismatchException', 'ExpiredCodeException']);
  });

  test('SELECT_MFA_TYPE: with SMS and TOTP enabled and none preferred, the user chooses; both choices complete', async () => {
    const pool = pools.optional;
    const u = await makeUser(sdk, pool, 'select', { phone_number: '+15555550101', phone_number_verified: 'true' });
    const { secret, usedStep } = await registerTOTP(sdk, pool, u);
    await setMFA(sdk, pool, u, { sms: true, totp: true });

    const bySMS = cognitoUser(emu.url, pool, u.username);
    const first = await step(bySMS, 'authenticateUser', details(u.username, u.password));
    assert.equal(first.kind, 'selectMFAType');
    assert.deepEqual(JSON.parse(first.args[1].MFAS_CAN_CHOOSE).sort(), ['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
    const before = (await outbox(emu.url, pool.id, u.username)).length;
    const sms = await step(bySMS, 'sendMFASelectionAnswer', 'SMS_MFA');
    assert.equal(sms.kind, 'mfaRequired');
    assert.equal(sms.args[0], 'SMS_MFA');
    const sent = await lastCode(emu.url, pool.id, u.username, 'SMS', before);
    await identityDone(await step(bySMS, 'sendMFACode', sent.code), pool, u);

    const byTOTP = cognitoUser(emu.url, pool, u.username);
    assert.equal((await step(byTOTP, 'authenticateUser', details(u.username, u.password))).kind, 'selectMFAType');
    const soft = await step(byTOTP, 'sendMFASelectionAnswer', 'SOFTWARE_TOKEN_MFA');
    assert.equal(soft.kind, 'totpRequired');
    assert.equal(soft.args[0], 'SOFTWARE_TOKEN_MFA');
    await identityDone(await step(byTOTP, 'sendMFACode', nextTOTP(secret, usedStep), CALLBACKS, 'SOFTWARE_TOKEN_MFA'), pool, u);
  });

  test('MFA_SETUP: associateSoftwareToken and verifySoftwareToken with the session complete sign-in; the token is then required', async () => {
    const pool = pools.on;
    const u = await makeUser(sdk, pool, 'setup');
    const user = cognitoUser(emu.url, pool, u.username);
    const first = await step(user, 'authenticateUser', details(u.username, u.password));
    assert.equal(first.kind, 'mfaSetup');
    assert.equal(first.args[0], 'MFA_SETUP');
    assert.deepEqual(JSON.parse(first.args[1].MFAS_CAN_SETUP), ['SOFTWARE_TOKEN_MFA']);
    const assoc = await step(user, 'associateSoftwareToken');
    assert.equal(assoc.kind, 'associateSecretCode');
    const secret = assoc.args[0];
    assert.match(secret, /^[A-Z2-7]{16,}=*$/, 'the secret is base32');
    const usedStep = currentStep();
    await rejectsWith(step(user, 'verifySoftwareToken', totp(secret, usedStep + 5), 'phone'),
      ['EnableSoftwareTokenMFAException', 'CodeMismatchException']);
    await identityDone(await step(user, 'verifySoftwareToken', totp(secret, usedStep), 'phone'), pool, u);

    const next = await signIn(pool, u);
    assert.equal(next.kind, 'totpRequired', 'the token set up is now asked for');
  });

  test('signed in: associateSoftwareToken, verifySoftwareToken and setUserMfaPreference turn TOTP on, then it is asked for', async () => {
    const pool = pools.optional;
    const u = await makeUser(sdk, pool, 'selfsetup');
    const user = cognitoUser(emu.url, pool, u.username);
    await identityDone(await step(user, 'authenticateUser', details(u.username, u.password)), pool, u);
    const assoc = await step(user, 'associateSoftwareToken');
    assert.equal(assoc.kind, 'associateSecretCode');
    const secret = assoc.args[0];
    const usedStep = currentStep();
    const verified = await step(user, 'verifySoftwareToken', totp(secret, usedStep), 'laptop');
    assert.equal(verified.kind, 'onSuccess');
    assert.equal(verified.args[0].Status, 'SUCCESS');
    const pref = await new Promise((resolve, reject) => {
      user.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, (err, res) => (err ? reject(err) : resolve(res)));
    });
    assert.equal(pref, 'SUCCESS');

    const again = cognitoUser(emu.url, pool, u.username);
    const next = await step(again, 'authenticateUser', details(u.username, u.password));
    assert.equal(next.kind, 'totpRequired');
    await identityDone(await step(again, 'sendMFACode', nextTOTP(secret, usedStep), CALLBACKS, 'SOFTWARE_TOKEN_MFA'), pool, u);
  });

  test('NEW_PASSWORD_REQUIRED with required attributes: completeNewPasswordChallenge sets them', async () => {
    const pool = pools.required;
    const u = await makeUser(sdk, pool, 'required', {}, { permanent: false, password: 'Temp-Pw1!IdentityJs' });
    const user = cognitoUser(emu.url, pool, u.username);
    const first = await step(user, 'authenticateUser', details(u.username, u.password));
    assert.equal(first.kind, 'newPasswordRequired');
    const [userAttributes, required] = first.args;
    assert.equal(userAttributes.email, u.email);
    assert.deepEqual([...required].sort(), ['family_name', 'name']);
    await rejectsWith(step(user, 'completeNewPasswordChallenge', 'New-Pw1!IdentityJs', { name: 'Ada' }), ['InvalidParameterException']);
    const retry = cognitoUser(emu.url, pool, u.username);
    assert.equal((await step(retry, 'authenticateUser', details(u.username, u.password))).kind, 'newPasswordRequired');
    const done = await step(retry, 'completeNewPasswordChallenge', 'New-Pw1!IdentityJs', { name: 'Ada', family_name: 'Lovelace' });
    const { id } = await identityDone(done, pool, u);
    assert.equal(id.name, 'Ada');
    assert.equal(id.family_name, 'Lovelace');
  });
});

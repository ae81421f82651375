// Amplify JS v6 signs in with authFlowType CUSTOM_WITHOUT_SRP and
// CUSTOM_WITH_SRP against the emulator, whose Define / Create / Verify Auth
// Challenge triggers are served by this test through the Lambda Invoke API.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { confirmSignIn, getCurrentUser, signIn } from 'aws-amplify/auth';

import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';

import { SMS_MFA_CONFIG, amplifyDone, setMFA, useAmplify } from './lib/clients.mjs';
import {
  LAMBDA_ARNS, adminClient, answerFor, customAuthTriggers, lambdaServer, lastCode, makePool, makeUser, rejectsWith,
  startEmulator,
} from './lib/harness.mjs';

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

let emu;
let lambda;
let sdk;
let pool;

describe('Amplify JS v6 custom authentication against the emulator', { timeout: 60_000 }, () => {
  before(async () => {
    lambda = await lambdaServer(customAuthTriggers);
    emu = await startEmulator({ args: ['-lambda-endpoint', lambda.url] });
    sdk = adminClient(emu.url);
    pool = await makePool(sdk, emu.url, 'custom-auth', { LambdaConfig: LAMBDA_ARNS }, FLOWS, { PreventUserExistenceErrors: 'ENABLED' });
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.id, MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: SMS_MFA_CONFIG }));
  });

  after(async () => {
    await emu?.stop();
    await lambda?.close();
  });

  beforeEach(() => {
    useAmplify(emu.url, pool);
    lambda.calls.length = 0;
  });

  test('CUSTOM_WITHOUT_SRP: CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE; a wrong answer gets a new challenge, the right one signs in', async () => {
    const u = await makeUser(sdk, pool, 'custom');
    const first = await signIn({ username: u.username, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    assert.equal(first.isSignedIn, false);
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    const info = first.nextStep.additionalInfo;
    // Cognito adds USERNAME to the trigger's public challenge parameters; the private ones stay out.
    assert.deepEqual(Object.keys(info).sort(), ['USERNAME', 'a', 'b', 'question']);
    assert.equal(info.USERNAME, u.username);
    assert.equal(info.question, `${info.a} + ${info.b}`);

    const retry = await confirmSignIn({ challengeResponse: 'wrong', options: { clientMetadata: { via: 'amplify' } } });
    assert.equal(retry.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    assert.notEqual(retry.nextStep.additionalInfo.question, info.question, 'a new question');
    const verify = lambda.calls.findLast((c) => c.name === 'ref-verify');
    assert.equal(verify.event.request.challengeAnswer, 'wrong');
    assert.deepEqual(verify.event.request.clientMetadata, { via: 'amplify' });
    await rejectsWith(getCurrentUser(), ['UserUnAuthenticatedException']);

    await amplifyDone(await confirmSignIn({ challengeResponse: answerFor(retry.nextStep.additionalInfo) }), pool, u);
  });

  test('CUSTOM_WITH_SRP: the password by SRP, then the custom challenge', async () => {
    const u = await makeUser(sdk, pool, 'customsrp');
    const first = await signIn({ username: u.username, password: u.password, options: { authFlowType: 'CUSTOM_WITH_SRP' } });
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    const sessions = lambda.calls.filter((c) => c.name === 'ref-define').map((c) => c.event.request.session.map((s) => s.challengeName));
    assert.deepEqual(sessions, [['SRP_A'], ['SRP_A', 'PASSWORD_VERIFIER']]);
    await amplifyDone(await confirmSignIn({ challengeResponse: answerFor(first.nextStep.additionalInfo) }), pool, u);
  });

  test('CUSTOM_WITH_SRP: a wrong password is NotAuthorizedException and no challenge is created', async () => {
    const u = await makeUser(sdk, pool, 'customsrpbad');
    await rejectsWith(signIn({ username: u.username, password: 'Wrong-Pw1!', options: { authFlowType: 'CUSTOM_WITH_SRP' } }),
      ['NotAuthorizedException']);
    assert.equal(lambda.calls.filter((c) => c.name === 'ref-create').length, 0);
  });

  test('CUSTOM_WITHOUT_SRP: three wrong answers end in NotAuthorizedException', async () => {
    const u = await makeUser(sdk, pool, 'customfail');
    assert.equal((await signIn({ username: u.username, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } })).nextStep.signInStep,
      'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    await confirmSignIn({ challengeResponse: 'wrong-1' });
    await confirmSignIn({ challengeResponse: 'wrong-2' });
    await rejectsWith(confirmSignIn({ challengeResponse: 'wrong-3' }), ['NotAuthorizedException']);
  });

  test('CUSTOM_WITHOUT_SRP for a user with SMS MFA: the MFA code is still asked after the custom challenge', async () => {
    const u = await makeUser(sdk, pool, 'custommfa', { phone_number: '+15555550155', phone_number_verified: 'true' });
    await setMFA(sdk, pool, u, { sms: true, preferred: 'SMS' });
    const first = await signIn({ username: u.username, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    const mfa = await confirmSignIn({ challengeResponse: answerFor(first.nextStep.additionalInfo) });
    assert.equal(mfa.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
    assert.deepEqual(mfa.nextStep.codeDeliveryDetails, { deliveryMedium: 'SMS', destination: '+*******0155' });
    const sent = await lastCode(emu.url, pool.id, u.username, 'SMS');
    await amplifyDone(await confirmSignIn({ challengeResponse: sent.code }), pool, u);
  });
});

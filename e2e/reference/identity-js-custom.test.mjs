// amazon-cognito-identity-js completes CUSTOM_AUTH with and without SRP
// against the emulator, whose Define / Create / Verify Auth Challenge
// triggers are served by this test through the Lambda Invoke API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { CALLBACKS, cognitoUser, details, identityDone, step } from './lib/clients.mjs';
import {
  LAMBDA_ARNS, adminClient, answerFor, customAuthTriggers, lambdaServer, makePool, makeUser, rejectsWith, startEmulator,
} from './lib/harness.mjs';

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

let emu;
let lambda;
let sdk;
let pool;

function customUser(u) {
  const user = cognitoUser(emu.url, pool, u.username);
  user.setAuthenticationFlowType('CUSTOM_AUTH');
  return user;
}

describe('amazon-cognito-identity-js CUSTOM_AUTH against the emulator', { timeout: 60_000 }, () => {
  before(async () => {
    lambda = await lambdaServer(customAuthTriggers);
    emu = await startEmulator({ args: ['-lambda-endpoint', lambda.url] });
    sdk = adminClient(emu.url);
    pool = await makePool(sdk, emu.url, 'custom-auth', { LambdaConfig: LAMBDA_ARNS }, FLOWS, { PreventUserExistenceErrors: 'ENABLED' });
  });

  after(async () => {
    await emu?.stop();
    await lambda?.close();
  });

  test('without SRP: initiateAuth, then sendCustomChallengeAnswer; a wrong answer gets a new challenge', async () => {
    const u = await makeUser(sdk, pool, 'custom');
    const user = customUser(u);
    lambda.calls.length = 0;
    const first = await step(user, 'initiateAuth', details(u.username, undefined, { app: 'reference' }));
    assert.equal(first.kind, 'customChallenge');
    const params = first.args[0];
    assert.equal(params.question, `${params.a} + ${params.b}`);
    assert.equal(params.answer, undefined, 'private parameters stay private');
    const define = lambda.calls.find((c) => c.name === 'ref-define');
    assert.ok(define, 'DefineAuthChallenge was invoked');
    assert.equal(define.event.triggerSource, 'DefineAuthChallenge_Authentication');
    assert.equal(define.event.region, 'us-east-1');
    assert.equal(define.event.userPoolId, pool.id);
    assert.equal(define.event.userName, u.username);
    assert.equal(define.event.callerContext.clientId, pool.clientId);
    assert.deepEqual(define.event.request.session, []);
    assert.equal(define.event.request.userAttributes.email, u.email);
    assert.equal(define.event.request.userAttributes.sub, u.sub);
    // Cognito passes InitiateAuth's ClientMetadata to none of the challenge triggers.
    assert.equal(define.event.request.clientMetadata?.app, undefined);
    const create = lambda.calls.find((c) => c.name === 'ref-create');
    assert.equal(create.event.triggerSource, 'CreateAuthChallenge_Authentication');
    assert.equal(create.event.request.challengeName, 'CUSTOM_CHALLENGE');

    const retry = await step(user, 'sendCustomChallengeAnswer', 'not the sum', CALLBACKS, { answered: 'yes' });
    assert.equal(retry.kind, 'customChallenge', 'a wrong answer is met with a new challenge');
    assert.notEqual(retry.args[0].question, params.question);
    const verify = lambda.calls.findLast((c) => c.name === 'ref-verify');
    assert.equal(verify.event.triggerSource, 'VerifyAuthChallengeResponse_Authentication');
    assert.equal(verify.event.request.challengeAnswer, 'not the sum');
    assert.deepEqual(verify.event.request.privateChallengeParameters, { answer: answerFor(params) });
    // RespondToAuthChallenge's ClientMetadata reaches the challenge triggers.
    assert.deepEqual(verify.event.request.clientMetadata, { answered: 'yes' });
    assert.deepEqual(lambda.calls.findLast((c) => c.name === 'ref-define').event.request.clientMetadata, { answered: 'yes' });

    await identityDone(await step(user, 'sendCustomChallengeAnswer', answerFor(retry.args[0])), pool, u);
    const lastDefine = lambda.calls.findLast((c) => c.name === 'ref-define');
    assert.deepEqual(lastDefine.event.request.session.map((c) => [c.challengeName, c.challengeResult, c.challengeMetadata]),
      [['CUSTOM_CHALLENGE', false, 'SUM-0'], ['CUSTOM_CHALLENGE', true, 'SUM-1']]);
  });

  test('with SRP: authenticateUser proves the password by SRP, then the custom challenge', async () => {
    const u = await makeUser(sdk, pool, 'customsrp');
    const user = customUser(u);
    lambda.calls.length = 0;
    const first = await step(user, 'authenticateUser', details(u.username, u.password));
    assert.equal(first.kind, 'customChallenge');
    const defines = lambda.calls.filter((c) => c.name === 'ref-define');
    assert.deepEqual(defines.map((c) => c.event.request.session.map((s) => [s.challengeName, s.challengeResult])),
      [[['SRP_A', true]], [['SRP_A', true], ['PASSWORD_VERIFIER', true]]]);
    await identityDone(await step(user, 'sendCustomChallengeAnswer', answerFor(first.args[0])), pool, u);
  });

  test('with SRP: a wrong password fails before any custom challenge is created', async () => {
    const u = await makeUser(sdk, pool, 'customsrpbad');
    lambda.calls.length = 0;
    await rejectsWith(step(customUser(u), 'authenticateUser', details(u.username, 'Wrong-Pw1!')), ['NotAuthorizedException']);
    assert.equal(lambda.calls.filter((c) => c.name === 'ref-create').length, 0, 'no custom challenge was created');
  });

  test('three wrong answers: the define trigger fails the sign-in with NotAuthorizedException', async () => {
    const u = await makeUser(sdk, pool, 'customfail');
    const user = customUser(u);
    assert.equal((await step(user, 'initiateAuth', details(u.username))).kind, 'customChallenge');
    assert.equal((await step(user, 'sendCustomChallengeAnswer', 'wrong-1')).kind, 'customChallenge');
    assert.equal((await step(user, 'sendCustomChallengeAnswer', 'wrong-2')).kind, 'customChallenge');
    await rejectsWith(step(user, 'sendCustomChallengeAnswer', 'wrong-3'), ['NotAuthorizedException']);
  });

  test('an unknown user with PreventUserExistenceErrors: the triggers see userNotFound and the sign-in fails alike', async () => {
    lambda.calls.length = 0;
    const user = cognitoUser(emu.url, pool, 'nobody-custom');
    user.setAuthenticationFlowType('CUSTOM_AUTH');
    await rejectsWith(step(user, 'initiateAuth', details('nobody-custom')), ['NotAuthorizedException']);
    const define = lambda.calls.find((c) => c.name === 'ref-define');
    assert.ok(define, 'DefineAuthChallenge was invoked for the unknown user');
    assert.equal(define.event.request.userNotFound, true);
  });
});

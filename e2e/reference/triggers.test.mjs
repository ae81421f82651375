// Pre and Post authentication triggers around a sign-in by Amplify JS v6
// and the SDK v3: Cognito's trigger events reach the test's own Lambda
// Invoke API server, and a pre-authentication trigger that throws refuses
// the sign-in with UserLambdaValidationException.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { signIn } from 'aws-amplify/auth';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';

import { amplifyDone, useAmplify } from './lib/clients.mjs';
import { adminClient, lambdaServer, makePool, makeUser, rejectsWith, startEmulator } from './lib/harness.mjs';

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:';

let emu;
let lambda;
let sdk;
let pool;

describe('Pre/Post authentication triggers against the emulator', { timeout: 60_000 }, () => {
  before(async () => {
    lambda = await lambdaServer({
      'ref-pre': (event) => {
        if (event.userName.startsWith('blocked-')) throw new Error('this user may not sign in');
        return { ...event, response: {} };
      },
      'ref-post': (event) => ({ ...event, response: {} }),
    });
    emu = await startEmulator({ args: ['-lambda-endpoint', lambda.url] });
    sdk = adminClient(emu.url);
    pool = await makePool(sdk, emu.url, 'pre-post', {
      LambdaConfig: { PreAuthentication: `${ARN}ref-pre`, PostAuthentication: `${ARN}ref-post` },
    }, FLOWS);
  });

  after(async () => {
    await emu?.stop();
    await lambda?.close();
  });

  beforeEach(() => {
    useAmplify(emu.url, pool);
    lambda.calls.length = 0;
  });

  test('an SRP sign-in runs PreAuthentication, then PostAuthentication, with Cognito\'s events', async () => {
    const u = await makeUser(sdk, pool, 'prepost');
    await amplifyDone(await signIn({ username: u.username, password: u.password }), pool, u);
    assert.deepEqual(lambda.calls.map((c) => c.name), ['ref-pre', 'ref-post']);
    const [pre, post] = lambda.calls.map((c) => c.event);
    assert.equal(pre.triggerSource, 'PreAuthentication_Authentication');
    assert.equal(pre.userPoolId, pool.id);
    assert.equal(pre.userName, u.username);
    assert.equal(pre.callerContext.clientId, pool.clientId);
    assert.equal(pre.request.userAttributes.email, u.email);
    assert.equal(post.triggerSource, 'PostAuthentication_Authentication');
    assert.equal(post.userName, u.username);
    assert.equal(post.request.userAttributes.sub, u.sub);
  });

  test('InitiateAuth\'s ClientMetadata reaches PreAuthentication as validationData', async () => {
    const u = await makeUser(sdk, pool, 'validation');
    const out = await sdk.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: pool.clientId,
      AuthParameters: { USERNAME: u.username, PASSWORD: u.password }, ClientMetadata: { origin: 'reference' },
    }));
    assert.ok(out.AuthenticationResult, 'signed in');
    const pre = lambda.calls.find((c) => c.name === 'ref-pre');
    assert.deepEqual(pre.event.request.validationData, { origin: 'reference' });
  });

  test('a PreAuthentication trigger that throws refuses the sign-in with UserLambdaValidationException', async () => {
    const u = await makeUser(sdk, pool, 'blocked');
    await rejectsWith(signIn({ username: u.username, password: u.password, options: { authFlowType: 'USER_PASSWORD_AUTH' } }),
      ['UserLambdaValidationException'], /^PreAuthentication failed with error this user may not sign in\.$/);
    assert.equal(lambda.calls.filter((c) => c.name === 'ref-post').length, 0, 'no PostAuthentication after a refusal');
  });

  test('a wrong password never reaches PostAuthentication', async () => {
    const u = await makeUser(sdk, pool, 'prewrong');
    await rejectsWith(signIn({ username: u.username, password: 'Wrong-Pw1!' }), ['NotAuthorizedException']);
    assert.equal(lambda.calls.filter((c) => c.name === 'ref-post').length, 0);
  });
});

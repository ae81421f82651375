// The account and token triggers, run by AWS's own clients against the
// emulator with the test's Lambda Invoke API server: CustomMessage (sign-up
// codes, sign-in codes, AdminCreateUser's invitation), PreSignUp,
// PostConfirmation and PreTokenGeneration (V2_0: id and access tokens),
// with the claims it adds checked in tokens aws-jwt-verify accepts, on
// sign-in, new-password sign-in and refresh.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { AdminCreateUserCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { confirmSignIn, confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';

import { amplifyDone, useAmplify } from './lib/clients.mjs';
import { adminClient, lambdaServer, lastCode, makePool, outbox, rejectsWith, startEmulator } from './lib/harness.mjs';

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:';

let emu;
let lambda;
let sdk;
let pool;

const sources = (name) => lambda.calls.filter((c) => c.name === name).map((c) => c.event.triggerSource);

describe('account and token triggers, run by AWS\'s clients against the emulator', { timeout: 90_000 }, () => {
  before(async () => {
    lambda = await lambdaServer({
      'acc-message': (event) => {
        const { codeParameter, usernameParameter } = event.request;
        const words = {
          CustomMessage_SignUp: `Welcome! Your code is ${codeParameter}.`,
          CustomMessage_AdminCreateUser: `Hello ${usernameParameter}, your first password is ${codeParameter}.`,
        }[event.triggerSource];
        if (!words) return { ...event, response: {} }; // Cognito's own words
        return { ...event, response: { emailSubject: 'From the trigger', emailMessage: words, smsMessage: words } };
      },
      'acc-presignup': (event) => ({
        ...event, response: { autoConfirmUser: event.userName.startsWith('auto-'), autoVerifyEmail: false, autoVerifyPhone: false },
      }),
      'acc-postconfirm': (event) => ({ ...event, response: {} }),
      'acc-pretoken': (event) => ({
        ...event,
        response: {
          claimsAndScopeOverrideDetails: {
            idTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme', source: event.triggerSource } },
            accessTokenGeneration: { claimsToAddOrOverride: { plan: 'gold' }, scopesToAdd: ['acme/read'] },
          },
        },
      }),
    });
    emu = await startEmulator({ args: ['-lambda-endpoint', lambda.url] });
    sdk = adminClient(emu.url);
    pool = await makePool(sdk, emu.url, 'account-triggers', {
      UserPoolTier: 'ESSENTIALS',
      AutoVerifiedAttributes: ['email'],
      LambdaConfig: {
        CustomMessage: `${ARN}acc-message`, PreSignUp: `${ARN}acc-presignup`, PostConfirmation: `${ARN}acc-postconfirm`,
        PreTokenGenerationConfig: { LambdaArn: `${ARN}acc-pretoken`, LambdaVersion: 'V2_0' },
      },
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

  test('Amplify: signUp sends the CustomMessage text, confirmSignUp runs PostConfirmation, tokens carry PreTokenGeneration\'s claims through a refresh', async () => {
    const a = { username: 'trig-user', password: 'Trig-1!Amplify', email: 'trig@example.com' };
    const up = await signUp({ username: a.username, password: a.password, options: { userAttributes: { email: a.email } } });
    assert.equal(up.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
    a.sub = up.userId;
    const sent = await lastCode(emu.url, pool.id, a.username, 'EMAIL');
    assert.equal(sent.message, `Welcome! Your code is ${sent.code}.`);
    assert.equal(sent.subject, 'From the trigger');
    assert.deepEqual(sources('acc-presignup'), ['PreSignUp_SignUp']);
    assert.deepEqual(sources('acc-message'), ['CustomMessage_SignUp']);

    await confirmSignUp({ username: a.username, confirmationCode: sent.code });
    assert.deepEqual(sources('acc-postconfirm'), ['PostConfirmation_ConfirmSignUp']);

    const { id, access } = await amplifyDone(await signIn({ username: a.username, password: a.password }), pool, a);
    assert.equal(id.tenant, 'acme');
    assert.equal(id.source, 'TokenGeneration_Authentication');
    assert.equal(access.plan, 'gold');
    assert.ok(access.scope.split(' ').includes('acme/read'), `scope ${access.scope} has the trigger's scope`);

    const { tokens } = await fetchAuthSession({ forceRefresh: true });
    const refreshed = await pool.verifier.verify({ idToken: tokens.idToken.toString(), accessToken: tokens.accessToken.toString() },
      { clientId: pool.clientId, username: a.username, sub: a.sub });
    assert.equal(refreshed.id.source, 'TokenGeneration_RefreshTokens');
    assert.equal(refreshed.access.plan, 'gold');
    await signOut();
  });

  test('SDK AdminCreateUser sends the trigger\'s invitation; Amplify\'s new-password sign-in is TokenGeneration_NewPasswordChallenge', async () => {
    const username = 'invited-user';
    await sdk.send(new AdminCreateUserCommand({
      UserPoolId: pool.id, Username: username, DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [{ Name: 'email', Value: 'invited@example.com' }, { Name: 'email_verified', Value: 'true' }],
    }));
    const box = await outbox(emu.url, pool.id, username);
    assert.equal(box.length, 1, 'one invitation');
    const invite = box[0]; // its code is the temporary password
    assert.equal(invite.destination, 'invited@example.com');
    assert.equal(invite.message, `Hello ${username}, your first password is ${invite.code}.`);
    assert.deepEqual(sources('acc-message'), ['CustomMessage_AdminCreateUser']);
    const invitation = lambda.calls.find((c) => c.name === 'acc-message').event;
    assert.equal(invitation.request.usernameParameter, '{username}');

    const first = await signIn({ username, password: invite.code });
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
    const done = await confirmSignIn({ challengeResponse: 'Invited-1!Amplify' });
    const { tokens } = await fetchAuthSession();
    assert.equal(done.isSignedIn, true);
    assert.equal(tokens.idToken.payload.source, 'TokenGeneration_NewPasswordChallenge');
    await signOut();
  });

  test('SDK SignUp: PreSignUp\'s autoConfirmUser confirms at once, and no code is sent', async () => {
    const out = await sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'auto-user', Password: 'Auto-1!Amplify',
      UserAttributes: [{ Name: 'email', Value: 'auto@example.com' }] }));
    assert.equal(out.UserConfirmed, true);
    assert.equal(out.CodeDeliveryDetails, undefined);
    assert.deepEqual(sources('acc-message'), [], 'no message for an auto-confirmed user');
  });

  test('without a trigger, the pool\'s own templates (SDK CreateUserPool) are the words; AllowAdminCreateUserOnly refuses SignUp', async () => {
    const own = await makePool(sdk, emu.url, 'templates', {
      AutoVerifiedAttributes: ['email'],
      VerificationMessageTemplate: { EmailMessage: 'Your pool code: {####}', EmailSubject: 'Pool code' },
    }, FLOWS);
    await sdk.send(new SignUpCommand({ ClientId: own.clientId, Username: 'templated', Password: 'Templ-1!Amplify',
      UserAttributes: [{ Name: 'email', Value: 'templated@example.com' }] }));
    const sent = await lastCode(emu.url, own.id, 'templated', 'EMAIL');
    assert.equal(sent.message, `Your pool code: ${sent.code}`);
    assert.equal(sent.subject, 'Pool code');
    const closed = await makePool(sdk, emu.url, 'closed', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } }, FLOWS);
    await rejectsWith(sdk.send(new SignUpCommand({ ClientId: closed.clientId, Username: 'nobody', Password: 'Templ-1!Amplify' })),
      ['NotAuthorizedException'], /^SignUp is not permitted for this user pool$/);
  });
});

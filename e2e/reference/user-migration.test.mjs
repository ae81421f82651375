// The UserMigration trigger, run by AWS's own clients against the emulator
// with the test's Lambda Invoke API server: Amplify JS v6 signs a legacy user
// in with USER_PASSWORD_AUTH (the user is created CONFIRMED), and resets the
// password of another (created RESET_REQUIRED); the JS SDK v3 sees the
// trigger's refusal, and with PreventUserExistenceErrors the same answer as
// for a name no trigger knows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { AdminGetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { confirmResetPassword, resetPassword, signIn, signOut } from 'aws-amplify/auth';

import { useAmplify } from './lib/clients.mjs';
import { adminClient, createClient, lambdaServer, lastCode, makePool, rejectsWith, startEmulator } from './lib/harness.mjs';

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:';
const LEGACY_PASSWORD = 'Legacy-Pass1!';

let emu;
let lambda;
let sdk;
let pool;
let hidingClient;

const sources = () => lambda.calls.filter((c) => c.name === 'migrate').map((c) => c.event.triggerSource);

function passwordAuth(ClientId, username, password) {
  return sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
}

describe('UserMigration, run by AWS\'s clients against the emulator', { timeout: 90_000 }, () => {
  before(async () => {
    lambda = await lambdaServer({
      migrate: (event) => {
        if (event.userName === 'legacy-ann' && event.triggerSource === 'UserMigration_Authentication') {
          if (event.request.password !== LEGACY_PASSWORD) throw new Error('Bad password');
          return { ...event, response: { userAttributes: { email: 'ann@example.com', email_verified: 'true' }, finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS' } };
        }
        if (event.userName === 'legacy-ben' && event.triggerSource === 'UserMigration_ForgotPassword') {
          return { ...event, response: { userAttributes: { email: 'ben@example.com', email_verified: 'true' }, messageAction: 'SUPPRESS' } };
        }
        throw new Error('User not found');
      },
    });
    emu = await startEmulator({ args: ['-lambda-endpoint', lambda.url] });
    sdk = adminClient(emu.url);
    pool = await makePool(sdk, emu.url, 'user-migration', { LambdaConfig: { UserMigration: `${ARN}migrate` } }, FLOWS,
      { PreventUserExistenceErrors: 'LEGACY' });
    hidingClient = (await createClient(sdk, pool.id, 'hiding', FLOWS, { PreventUserExistenceErrors: 'ENABLED' })).ClientId;
    useAmplify(emu.url, pool);
  });
  after(async () => {
    await emu?.stop();
    await lambda?.close();
  });

  test('Amplify signIn (USER_PASSWORD_AUTH) migrates a legacy user, CONFIRMED; the trigger is not asked again', async () => {
    const out = await signIn({ username: 'legacy-ann', password: LEGACY_PASSWORD, options: { authFlowType: 'USER_PASSWORD_AUTH' } });
    assert.deepEqual(out, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.deepEqual(sources(), ['UserMigration_Authentication']);
    const got = await sdk.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: 'legacy-ann' }));
    assert.equal(got.UserStatus, 'CONFIRMED');
    assert.equal(got.UserAttributes.find((a) => a.Name === 'email')?.Value, 'ann@example.com');
    await signOut();
    const again = await signIn({ username: 'legacy-ann', password: LEGACY_PASSWORD });
    assert.equal(again.isSignedIn, true, 'SRP sign-in of the migrated user');
    assert.equal(sources().length, 1);
    await signOut();
  });

  test('Amplify resetPassword migrates a user as RESET_REQUIRED; confirmResetPassword confirms them', async () => {
    const reset = await resetPassword({ username: 'legacy-ben' });
    assert.equal(reset.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE');
    assert.equal(sources().at(-1), 'UserMigration_ForgotPassword');
    const before = await sdk.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: 'legacy-ben' }));
    assert.equal(before.UserStatus, 'RESET_REQUIRED');
    const { code } = await lastCode(emu.url, pool.id, 'legacy-ben', 'EMAIL');
    await confirmResetPassword({ username: 'legacy-ben', confirmationCode: code, newPassword: 'Migrated-Pass2!' });
    const out = await signIn({ username: 'legacy-ben', password: 'Migrated-Pass2!' });
    assert.equal(out.isSignedIn, true);
    await signOut();
  });

  test('SDK v3: a trigger refusal is UserLambdaValidationException; with PreventUserExistenceErrors it is the unknown user\'s answer', async () => {
    await rejectsWith(passwordAuth(pool.clientId, 'ghost', LEGACY_PASSWORD), ['UserLambdaValidationException'],
      /^UserMigration failed with error User not found\.$/);
    await rejectsWith(passwordAuth(pool.clientId, 'legacy-cat', 'wrong-Pass1!'), ['UserLambdaValidationException'],
      /^UserMigration failed with error User not found\.$/);
    await rejectsWith(passwordAuth(hidingClient, 'ghost', LEGACY_PASSWORD), ['NotAuthorizedException'],
      /^Incorrect username or password\.$/);
  });
});

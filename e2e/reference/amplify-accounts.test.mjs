// Amplify JS v6's account calls against the emulator, codes read from the
// outbox: signUp -> confirmSignUp -> signIn, resendSignUpCode, autoSignIn,
// updateUserAttributes / sendUserAttributeVerificationCode /
// confirmUserAttribute / fetchUserAttributes / deleteUserAttributes,
// autoSignIn with USER_AUTH (ConfirmSignUp's Session, no password; also
// after a passwordless signUp),
// updatePassword, resetPassword / confirmResetPassword, deleteUser.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  autoSignIn, confirmResetPassword, confirmSignUp, confirmUserAttribute, deleteUser, deleteUserAttributes,
  fetchUserAttributes, getCurrentUser, resendSignUpCode, resetPassword, sendUserAttributeVerificationCode,
  signIn, signOut, signUp, updatePassword, updateUserAttributes,
} from 'aws-amplify/auth';

import { adminClient, createClient, lastCode, makePool, outbox, rejectsWith, startEmulator } from './lib/harness.mjs';
import { amplifyDone, useAmplify } from './lib/clients.mjs';

let emu;
let sdk;
let pool;
let seq = 0;

function newAccount(prefix) {
  seq += 1;
  return { username: `${prefix}-${seq}`, password: `Pw-${seq}!Amplify1`, email: `${prefix}-${seq}@example.com` };
}

// signedUp signs a up through Amplify and confirms with the outbox's code.
async function signedUp(a, options = {}) {
  const out = await signUp({ username: a.username, password: a.password, options: { userAttributes: { email: a.email }, ...options } });
  assert.equal(out.isSignUpComplete, false);
  assert.equal(out.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
  assert.deepEqual(out.nextStep.codeDeliveryDetails, { deliveryMedium: 'EMAIL', destination: `${a.username[0]}***@e***`, attributeName: 'email' });
  a.sub = out.userId;
  const code = (await lastCode(emu.url, pool.id, a.username, 'EMAIL')).code;
  return confirmSignUp({ username: a.username, confirmationCode: code });
}

// afterAutoSignInDebounce waits out Amplify's autoSignIn debounce: its
// timer is shared by every autoSignIn call, and a call within 300 ms of
// the one before is dropped, never settling, so a test that calls
// autoSignIn soon after another test did would hang.
const realSetTimeout = globalThis.setTimeout; // the tests below unref the timers Amplify sets meanwhile
const afterAutoSignInDebounce = () => new Promise((r) => { realSetTimeout(r, 350); });

// withUnrefTimers runs fn with every timer set meanwhile unref'd: signUp
// with autoSignIn arms a 3-minute timer that Amplify never clears, which
// would hold this file's process open long after its tests (the tests do
// not wait on it).
async function withUnrefTimers(fn) {
  const setTimeoutBefore = globalThis.setTimeout;
  globalThis.setTimeout = (...args) => {
    const t = setTimeoutBefore(...args);
    t.unref?.();
    return t;
  };
  try {
    return await fn();
  } finally {
    globalThis.setTimeout = setTimeoutBefore;
  }
}

describe('Amplify v6 account calls against the emulator', { timeout: 180_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    pool = await makePool(sdk, emu.url, 'amplifyaccounts', { AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] },
      ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  });

  after(async () => {
    await emu?.stop();
  });

  test('signUp, resendSignUpCode, confirmSignUp, signIn', async () => {
    useAmplify(emu.url, pool);
    const a = newAccount('amp');
    const out = await signUp({ username: a.username, password: a.password, options: { userAttributes: { email: a.email } } });
    assert.equal(out.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
    a.sub = out.userId;
    // Amplify turns UserNotConfirmedException into a sign-in step.
    const early = await signIn({ username: a.username, password: a.password });
    assert.equal(early.isSignedIn, false);
    assert.equal(early.nextStep.signInStep, 'CONFIRM_SIGN_UP');
    const sent = (await outbox(emu.url, pool.id, a.username)).length;
    const resent = await resendSignUpCode({ username: a.username });
    assert.equal(resent.deliveryMedium, 'EMAIL');
    const code = (await lastCode(emu.url, pool.id, a.username, 'EMAIL', sent)).code;
    await rejectsWith(confirmSignUp({ username: a.username, confirmationCode: code === '000000' ? '111111' : '000000' }),
      ['CodeMismatchException']);
    const done = await confirmSignUp({ username: a.username, confirmationCode: code });
    assert.deepEqual(done, { isSignUpComplete: true, nextStep: { signUpStep: 'DONE' } });
    await amplifyDone(await signIn({ username: a.username, password: a.password }), pool, a);
    await signOut();
  });

  test('signUp with autoSignIn signs in after confirmSignUp', async () => {
    useAmplify(emu.url, pool);
    const a = newAccount('auto');
    const done = await withUnrefTimers(() => signedUp(a, { autoSignIn: true }));
    assert.deepEqual(done, { isSignUpComplete: true, nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });
    await afterAutoSignInDebounce();
    await amplifyDone(await autoSignIn(), pool, a);
    await signOut();
  });

  test('signUp with autoSignIn {authFlowType: USER_AUTH} signs in with ConfirmSignUp\'s Session: no password, no challenge', async () => {
    const client = await createClient(sdk, pool.id, 'userauth', ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    const userAuthPool = { ...pool, clientId: client.ClientId };
    useAmplify(emu.url, userAuthPool);
    const a = newAccount('uauto');
    // What Amplify sends: SignUp's and ConfirmSignUp's answers must carry a
    // Session, and the sign-in must be USER_AUTH with USERNAME and Session only.
    const seen = [];
    const fetchBefore = globalThis.fetch;
    globalThis.fetch = async (url, init) => {
      const res = await fetchBefore(url, init);
      const target = new Headers(init?.headers).get('x-amz-target')?.split('.')[1];
      if (target) seen.push({ target, req: JSON.parse(init.body), res: await res.clone().json() });
      return res;
    };
    let done;
    let out;
    try {
      [done, out] = await withUnrefTimers(async () => {
        const d = await signedUp(a, { autoSignIn: { authFlowType: 'USER_AUTH' } });
        await afterAutoSignInDebounce();
        return [d, await autoSignIn()];
      });
    } finally {
      globalThis.fetch = fetchBefore;
    }
    assert.deepEqual(done, { isSignUpComplete: true, nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });
    await amplifyDone(out, userAuthPool, a);
    const [up, confirm, initiate, ...rest] = seen.filter((c) => c.target !== 'GetUser');
    assert.equal(up.target, 'SignUp');
    assert.ok(up.res.Session, 'SignUp answers a Session');
    assert.equal(confirm.target, 'ConfirmSignUp');
    assert.ok(confirm.res.Session, 'ConfirmSignUp answers a Session');
    assert.equal(initiate.target, 'InitiateAuth');
    assert.equal(initiate.req.AuthFlow, 'USER_AUTH');
    assert.deepEqual(initiate.req.AuthParameters, { USERNAME: a.username });
    assert.equal(initiate.req.Session, confirm.res.Session);
    assert.ok(initiate.res.AuthenticationResult, 'tokens at once');
    assert.deepEqual(rest, [], 'nothing else was asked');
    await signOut();
  });

  test('passwordless: signUp without a password, autoSignIn by USER_AUTH with the Session, then only EMAIL_OTP is offered', async () => {
    const passwordless = await makePool(sdk, emu.url, 'passwordless', {
      AutoVerifiedAttributes: ['email'], Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
    }, ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    useAmplify(emu.url, passwordless);
    const a = newAccount('nopw');
    const out = await withUnrefTimers(async () => {
      const up = await signUp({ username: a.username, options: { userAttributes: { email: a.email }, autoSignIn: { authFlowType: 'USER_AUTH' } } });
      assert.equal(up.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
      a.sub = up.userId;
      const code = (await lastCode(emu.url, passwordless.id, a.username, 'EMAIL')).code;
      const done = await confirmSignUp({ username: a.username, confirmationCode: code });
      assert.equal(done.nextStep.signUpStep, 'COMPLETE_AUTO_SIGN_IN');
      await afterAutoSignInDebounce();
      return autoSignIn();
    });
    await amplifyDone(out, passwordless, a);
    await signOut();
    // Signing in again: no password to offer, so Amplify is asked for the email code.
    const again = await signIn({ username: a.username, options: { authFlowType: 'USER_AUTH' } });
    assert.equal(again.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    assert.deepEqual(again.nextStep.availableChallenges, ['EMAIL_OTP']);
  });

  test('updateUserAttributes, sendUserAttributeVerificationCode, confirmUserAttribute, deleteUserAttributes, updatePassword, deleteUser', async () => {
    useAmplify(emu.url, pool);
    const a = newAccount('attr');
    await signedUp(a);
    await amplifyDone(await signIn({ username: a.username, password: a.password }), pool, a);

    const newEmail = `new-${a.email}`;
    const sent = (await outbox(emu.url, pool.id, a.username)).length;
    const updated = await updateUserAttributes({ userAttributes: { email: newEmail, nickname: 'Nick' } });
    assert.deepEqual(updated.nickname, { isUpdated: true, nextStep: { updateAttributeStep: 'DONE' } });
    assert.equal(updated.email.isUpdated, false);
    assert.equal(updated.email.nextStep.updateAttributeStep, 'CONFIRM_ATTRIBUTE_WITH_CODE');
    assert.equal(updated.email.nextStep.codeDeliveryDetails.destination, 'n***@e***');
    let attrs = await fetchUserAttributes();
    assert.equal(attrs.email, newEmail);
    assert.equal(attrs.email_verified, 'false');
    assert.equal(attrs.nickname, 'Nick');
    await lastCode(emu.url, pool.id, a.username, 'EMAIL', sent);

    const again = await sendUserAttributeVerificationCode({ userAttributeKey: 'email' });
    assert.equal(again.deliveryMedium, 'EMAIL');
    const code = (await lastCode(emu.url, pool.id, a.username, 'EMAIL', sent + 1)).code;
    await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: code });
    attrs = await fetchUserAttributes();
    assert.equal(attrs.email_verified, 'true');

    await deleteUserAttributes({ userAttributeKeys: ['nickname'] });
    assert.equal((await fetchUserAttributes()).nickname, undefined);

    await rejectsWith(updatePassword({ oldPassword: 'Wrong-1!pass', newPassword: 'Updated-1!Amplify' }),
      ['NotAuthorizedException'], /^Incorrect username or password\.$/);
    await updatePassword({ oldPassword: a.password, newPassword: 'Updated-1!Amplify' });
    await signOut();
    await rejectsWith(signIn({ username: a.username, password: a.password }), ['NotAuthorizedException']);
    await amplifyDone(await signIn({ username: newEmail, password: 'Updated-1!Amplify' }), pool, a);
    assert.equal((await getCurrentUser()).username, a.username);

    await deleteUser();
    await rejectsWith(sdk.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: a.username })), ['UserNotFoundException']);
  });

  test('resetPassword and confirmResetPassword with the code from the outbox', async () => {
    useAmplify(emu.url, pool);
    const a = newAccount('reset');
    await signedUp(a);
    const sent = (await outbox(emu.url, pool.id, a.username)).length;
    const out = await resetPassword({ username: a.username });
    assert.equal(out.isPasswordReset, false);
    assert.equal(out.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE');
    assert.deepEqual(out.nextStep.codeDeliveryDetails, { deliveryMedium: 'EMAIL', destination: 'r***@e***', attributeName: 'email' });
    const code = (await lastCode(emu.url, pool.id, a.username, 'EMAIL', sent)).code;
    await rejectsWith(confirmResetPassword({ username: a.username, confirmationCode: code, newPassword: 'weak' }), ['InvalidPasswordException']);
    await confirmResetPassword({ username: a.username, confirmationCode: code, newPassword: 'Reset-1!Amplify' });
    await amplifyDone(await signIn({ username: a.username, password: 'Reset-1!Amplify' }), pool, a);
    await signOut();
  });
});

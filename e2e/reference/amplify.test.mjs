// Amplify JS v6 (aws-amplify), the client most web apps use, against the
// emulator through Auth.Cognito.userPoolEndpoint, in plain Node. Tokens are
// verified with aws-jwt-verify against the emulator's JWKS.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, fetchUserAttributes, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { ConsoleLogger } from 'aws-amplify/utils';

import {
  MemoryStorage, adminClient, createClient, createPool, createUser, rejectsWith, startEmulator, tokenVerifier,
} from './lib/harness.mjs';

// Amplify warns on every call that the endpoint is a custom one; that is the point here.
ConsoleLogger.LOG_LEVEL = 'ERROR';

const ALL_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

let emu;
let sdk;
let poolId;
let clients; // name -> ClientId
let verifier;
let userSeq = 0;

// useClient points Amplify at the emulator and one app client, with a fresh
// token store so that no earlier sign-in is seen.
function useClient(clientId) {
  Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: emu.url } } });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
}

// newUser makes a fresh CONFIRMED user (or FORCE_CHANGE_PASSWORD with
// permanent: false), so no test's lockout or state reaches another.
async function newUser(prefix, extra = {}) {
  userSeq += 1;
  const u = { username: `${prefix}-${userSeq}`, password: `Pw-${userSeq}!Amplify1`, ...extra };
  u.sub = await createUser(sdk, poolId, {
    username: u.username, password: u.password, permanent: extra.permanent ?? true,
    attributes: { email: `${u.username}@example.com`, email_verified: 'true', ...(extra.attributes ?? {}) },
  });
  return u;
}

// signedInTokens reads the session Amplify stored and verifies its tokens.
async function signedInTokens(u, clientId) {
  const { tokens } = await fetchAuthSession();
  assert.ok(tokens?.idToken && tokens?.accessToken, 'Amplify holds an id and an access token');
  const current = await getCurrentUser();
  assert.equal(current.username, u.username);
  assert.equal(current.userId, u.sub);
  return verifier.verify(
    { idToken: tokens.idToken.toString(), accessToken: tokens.accessToken.toString() },
    { clientId, username: u.username, sub: u.sub },
  );
}

describe('Amplify JS v6 against the emulator', { timeout: 120_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    poolId = await createPool(sdk, { AliasAttributes: ['email'] });
    clients = {};
    for (const [name, flows] of [['all', ALL_FLOWS], ['srp-only', ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']]]) {
      clients[name] = (await createClient(sdk, poolId, name, flows, { PreventUserExistenceErrors: 'ENABLED' })).ClientId;
    }
    verifier = await tokenVerifier(emu.url, poolId);
  });

  after(async () => {
    await emu?.stop();
  });

  beforeEach(() => useClient(clients.all));

  test('signIn with the default flow (USER_SRP_AUTH) is DONE and the tokens verify', async () => {
    const u = await newUser('srp');
    const out = await signIn({ username: u.username, password: u.password });
    assert.deepEqual(out, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const { access } = await signedInTokens(u, clients.all);
    assert.equal(access.client_id, clients.all);
  });

  test('signIn with authFlowType USER_SRP_AUTH by email alias signs in the username', async () => {
    const u = await newUser('alias');
    const out = await signIn({ username: `${u.username}@example.com`, password: u.password, options: { authFlowType: 'USER_SRP_AUTH' } });
    assert.equal(out.isSignedIn, true);
    assert.equal(out.nextStep.signInStep, 'DONE');
    const { id } = await signedInTokens(u, clients.all);
    assert.equal(id.email, `${u.username}@example.com`);
  });

  test('fetchUserAttributes after sign-in reads the user through GetUser', async () => {
    const u = await newUser('attrs');
    await signIn({ username: u.username, password: u.password });
    const attrs = await fetchUserAttributes();
    assert.equal(attrs.sub, u.sub);
    assert.equal(attrs.email, `${u.username}@example.com`);
    assert.equal(attrs.email_verified, 'true');
  });

  test('signIn with authFlowType USER_PASSWORD_AUTH is DONE and the tokens verify', async () => {
    const u = await newUser('pw');
    const out = await signIn({ username: u.username, password: u.password, options: { authFlowType: 'USER_PASSWORD_AUTH' } });
    assert.deepEqual(out, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    await signedInTokens(u, clients.all);
  });

  test('fetchAuthSession({forceRefresh}) refreshes the tokens with GetTokensFromRefreshToken', async () => {
    const u = await newUser('refresh');
    await signIn({ username: u.username, password: u.password });
    const first = await signedInTokens(u, clients.all);
    const { tokens } = await fetchAuthSession({ forceRefresh: true });
    const second = await verifier.verify(
      { idToken: tokens.idToken.toString(), accessToken: tokens.accessToken.toString() },
      { clientId: clients.all, username: u.username, sub: u.sub },
    );
    assert.notEqual(second.access.jti, first.access.jti, 'a new access token');
    assert.equal(second.access.origin_jti, first.access.origin_jti, 'the same session');
  });

  test('NEW_PASSWORD_REQUIRED: confirmSignIn with the new password, then the new password signs in', async () => {
    const u = await newUser('newpw', { permanent: false, password: 'Temp-Pw1!Amplify' });
    const out = await signIn({ username: u.username, password: u.password });
    assert.equal(out.isSignedIn, false);
    assert.equal(out.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
    const done = await confirmSignIn({ challengeResponse: 'Brand-New-Pw1!' });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    await signedInTokens(u, clients.all);

    await signOut();
    useClient(clients.all);
    await rejectsWith(signIn({ username: u.username, password: u.password }), ['NotAuthorizedException'], /^Incorrect username or password\.$/);
    const again = await signIn({ username: u.username, password: 'Brand-New-Pw1!' });
    assert.equal(again.nextStep.signInStep, 'DONE');
    await signedInTokens(u, clients.all);
  });

  test('NEW_PASSWORD_REQUIRED: a new password that breaks the policy is refused and the step can be answered again', async () => {
    const u = await newUser('weakpw', { permanent: false, password: 'Temp-Pw1!Amplify' });
    const out = await signIn({ username: u.username, password: u.password });
    assert.equal(out.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
    await rejectsWith(confirmSignIn({ challengeResponse: 'short' }), ['InvalidPasswordException']);
    await signIn({ username: u.username, password: u.password });
    const done = await confirmSignIn({ challengeResponse: 'Brand-New-Pw1!' });
    assert.equal(done.nextStep.signInStep, 'DONE');
    await signedInTokens(u, clients.all);
  });

  for (const authFlowType of ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH']) {
    test(`${authFlowType}: a wrong password is NotAuthorizedException and nothing is stored`, async () => {
      const u = await newUser('wrong');
      await rejectsWith(signIn({ username: u.username, password: 'Wrong-Pw1!', options: { authFlowType } }),
        ['NotAuthorizedException'], /^Incorrect username or password\.$/);
      await rejectsWith(getCurrentUser(), ['UserUnAuthenticatedException']);
      const ok = await signIn({ username: u.username, password: u.password, options: { authFlowType } });
      assert.equal(ok.isSignedIn, true);
    });

    test(`${authFlowType}: an unknown user is NotAuthorizedException with PreventUserExistenceErrors`, async () => {
      await rejectsWith(signIn({ username: 'nobody-at-all', password: 'Whatever-Pw1!', options: { authFlowType } }),
        ['NotAuthorizedException'], /^Incorrect username or password\.$/);
    });
  }

  test('USER_PASSWORD_AUTH through a client that only allows SRP is refused', async () => {
    useClient(clients['srp-only']);
    const u = await newUser('notallowed');
    await rejectsWith(signIn({ username: u.username, password: u.password, options: { authFlowType: 'USER_PASSWORD_AUTH' } }),
      ['InvalidParameterException'], /USER_PASSWORD_AUTH flow not enabled for this client/);
    const ok = await signIn({ username: u.username, password: u.password });
    assert.equal(ok.isSignedIn, true);
    await signedInTokens(u, clients['srp-only']);
  });

  test('lockout: five wrong passwords lock the user, each further failure doubles the lock, and the right password is then refused with "Password attempts exceeded"', async () => {
    const u = await newUser('lockout');
    for (let i = 1; i <= 5; i++) {
      await rejectsWith(signIn({ username: u.username, password: `Wrong-Pw${i}!`, options: { authFlowType: 'USER_PASSWORD_AUTH' } }),
        ['NotAuthorizedException'], /^Incorrect username or password\.$/);
    }
    // Cognito locks for one second after the fifth failure, doubling after each further one.
    // Two more failures, each after the lock before it has passed, make the lock four seconds,
    // so the right password below is refused however slowly this machine answers.
    for (const [i, lockMs] of [[6, 1000], [7, 2000]]) {
      await sleep(lockMs + 200);
      await rejectsWith(signIn({ username: u.username, password: `Wrong-Pw${i}!`, options: { authFlowType: 'USER_PASSWORD_AUTH' } }),
        ['NotAuthorizedException'], /^Incorrect username or password\.$/);
    }
    await rejectsWith(signIn({ username: u.username, password: u.password, options: { authFlowType: 'USER_PASSWORD_AUTH' } }),
      ['NotAuthorizedException'], /^Password attempts exceeded$/);
    await rejectsWith(getCurrentUser(), ['UserUnAuthenticatedException']);
  });
});

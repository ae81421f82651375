// One user's whole account lifecycle through Amplify JS v6 against the
// emulator, in the order issue 7 lists it: signUp -> confirmSignUp (code
// from the outbox) -> signIn -> fetchAuthSession({forceRefresh: true}) ->
// updateUserAttributes -> updatePassword -> resetPassword /
// confirmResetPassword -> signOut({global: true}), after which the tokens
// Amplify held are refused: GetUser through the SDK v3, and the refresh
// token on both refresh paths. Amplify reports success from signOut even
// when its calls fail, so the test checks the tokens themselves, and a
// second session (another device's, through the SDK) proves the sign-out
// was global.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  GetTokensFromRefreshTokenCommand, GetUserCommand, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import {
  confirmResetPassword, confirmSignUp, fetchAuthSession, fetchUserAttributes, getCurrentUser, resetPassword,
  signIn, signOut, signUp, updatePassword, updateUserAttributes,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';

import { PeekStorage, adminClient, lastCode, makePool, outbox, rejectsWith, startEmulator } from './lib/harness.mjs';
import './lib/clients.mjs'; // quiets Amplify's custom-endpoint warnings

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

let emu;
let sdk;
let pool;

function passwordSignIn(username, password) {
  return sdk.send(new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH', ClientId: pool.clientId, AuthParameters: { USERNAME: username, PASSWORD: password },
  }));
}

async function held() {
  const { tokens } = await fetchAuthSession();
  assert.ok(tokens?.accessToken && tokens?.idToken, 'Amplify holds tokens');
  return { access: tokens.accessToken.toString(), id: tokens.idToken.toString() };
}

async function verified(tokens, a) {
  return pool.verifier.verify({ idToken: tokens.id, accessToken: tokens.access },
    { clientId: pool.clientId, username: a.username, sub: a.sub });
}

describe('Amplify JS v6: the whole account chain against the emulator', { timeout: 120_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    pool = await makePool(sdk, emu.url, 'amplifychain', {
      AutoVerifiedAttributes: ['email'],
      // The verified email stays until a new one is verified, so the reset
      // code below still has somewhere to go.
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    }, FLOWS);
  });

  after(async () => {
    await emu?.stop();
  });

  test('signUp -> confirmSignUp -> signIn -> refresh -> attributes -> updatePassword -> reset -> signOut({global}) -> tokens refused', async () => {
    Amplify.configure({ Auth: { Cognito: { userPoolId: pool.id, userPoolClientId: pool.clientId, userPoolEndpoint: emu.url } } });
    const storage = new PeekStorage();
    cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
    const a = { username: 'chain-user', password: 'Chain-1!Amplify', email: 'chain@example.com' };

    // signUp, then confirmSignUp with the code the outbox holds.
    const up = await signUp({ username: a.username, password: a.password, options: { userAttributes: { email: a.email } } });
    assert.equal(up.isSignUpComplete, false);
    assert.deepEqual(up.nextStep, {
      signUpStep: 'CONFIRM_SIGN_UP', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'c***@e***', attributeName: 'email' },
    });
    a.sub = up.userId;
    assert.match(a.sub, /^[0-9a-f-]{36}$/);
    // Amplify turns the emulator's UserNotConfirmedException into a step.
    assert.deepEqual(await signIn({ username: a.username, password: a.password }),
      { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_UP' } });
    const signUpCode = (await lastCode(emu.url, pool.id, a.username, 'EMAIL')).code;
    assert.deepEqual(await confirmSignUp({ username: a.username, confirmationCode: signUpCode }),
      { isSignUpComplete: true, nextStep: { signUpStep: 'DONE' } });

    // signIn (SRP, Amplify's default): tokens that aws-jwt-verify accepts.
    assert.deepEqual(await signIn({ username: a.username, password: a.password }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.equal((await getCurrentUser()).userId, a.sub);
    const first = await held();
    const firstClaims = await verified(first, a);
    assert.equal(firstClaims.id.email_verified, true, 'the sign-up code verified the email');
    const refreshToken = storage.refreshToken();

    // fetchAuthSession({forceRefresh}): new tokens of the same sign-in.
    const { tokens } = await fetchAuthSession({ forceRefresh: true });
    const refreshed = { access: tokens.accessToken.toString(), id: tokens.idToken.toString() };
    assert.notEqual(refreshed.access, first.access, 'a new access token');
    const refreshedClaims = await verified(refreshed, a);
    assert.equal(refreshedClaims.access.origin_jti, firstClaims.access.origin_jti, 'the same sign-in');
    assert.equal(storage.refreshToken(), refreshToken, 'no rotation on this client: the refresh token stays');

    // updateUserAttributes: nickname at once; the new email waits for its
    // code, and the verified one stays meanwhile.
    const sent = (await outbox(emu.url, pool.id, a.username)).length;
    const updated = await updateUserAttributes({ userAttributes: { nickname: 'Chain', email: 'chain2@example.com' } });
    assert.deepEqual(updated.nickname, { isUpdated: true, nextStep: { updateAttributeStep: 'DONE' } });
    assert.equal(updated.email.isUpdated, false);
    assert.equal(updated.email.nextStep.updateAttributeStep, 'CONFIRM_ATTRIBUTE_WITH_CODE');
    assert.equal((await lastCode(emu.url, pool.id, a.username, 'EMAIL', sent)).destination, 'chain2@example.com');
    const attrs = await fetchUserAttributes();
    assert.equal(attrs.nickname, 'Chain');
    assert.equal(attrs.email, a.email);
    assert.equal(attrs.email_verified, 'true');
    const afterUpdate = await fetchAuthSession({ forceRefresh: true });
    assert.equal(afterUpdate.tokens.idToken.payload.nickname, 'Chain', 'the refreshed id token carries the new attribute');

    // updatePassword: the old password no longer signs in, the new one does.
    await updatePassword({ oldPassword: a.password, newPassword: 'Chain-2!Amplify' });
    await rejectsWith(passwordSignIn(a.username, a.password), ['NotAuthorizedException'], /^Incorrect username or password\.$/);
    await passwordSignIn(a.username, 'Chain-2!Amplify');

    // resetPassword / confirmResetPassword: the code goes to the verified
    // email, not to the pending one.
    const beforeReset = (await outbox(emu.url, pool.id, a.username)).length;
    const reset = await resetPassword({ username: a.username });
    assert.equal(reset.isPasswordReset, false);
    assert.equal(reset.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE');
    const resetCode = await lastCode(emu.url, pool.id, a.username, 'EMAIL', beforeReset);
    assert.equal(resetCode.destination, a.email);
    await confirmResetPassword({ username: a.username, confirmationCode: resetCode.code, newPassword: 'Chain-3!Amplify' });
    await rejectsWith(passwordSignIn(a.username, 'Chain-2!Amplify'), ['NotAuthorizedException']);

    // Another device's session, then signOut({global: true}) from Amplify.
    const other = (await passwordSignIn(a.username, 'Chain-3!Amplify')).AuthenticationResult;
    const last = await held();
    assert.ok((await sdk.send(new GetUserCommand({ AccessToken: last.access }))).Username, 'Amplify\'s session is live before signOut');
    await signOut({ global: true });
    await rejectsWith(getCurrentUser(), ['UserUnAuthenticatedException']);
    assert.equal([...storage.m.keys()].filter((k) => /\.(accessToken|idToken|refreshToken)$/.test(k)).length, 0, 'Amplify cleared its tokens');

    for (const access of [first.access, refreshed.access, last.access, other.AccessToken]) {
      await rejectsWith(sdk.send(new GetUserCommand({ AccessToken: access })), ['NotAuthorizedException'], /^Access Token has been revoked$/);
    }
    for (const rt of [refreshToken, other.RefreshToken]) {
      await rejectsWith(sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: pool.clientId, RefreshToken: rt })),
        ['NotAuthorizedException'], /^Refresh Token has been revoked$/);
      await rejectsWith(sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: pool.clientId, AuthParameters: { REFRESH_TOKEN: rt } })),
        ['NotAuthorizedException'], /^Refresh Token has been revoked$/);
    }
    // The account itself is fine: a new sign-in works.
    assert.deepEqual(await signIn({ username: a.username, password: 'Chain-3!Amplify' }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    await signOut();
  });
});

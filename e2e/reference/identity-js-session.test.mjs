// amazon-cognito-identity-js's session calls against the emulator:
// signOut(callback) revokes the refresh token (RevokeToken) and
// globalSignOut signs the user out everywhere (GlobalSignOut); the old
// tokens are then refused, checked with the SDK.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { GetTokensFromRefreshTokenCommand, GetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';

import { adminClient, createClient, createPool, createUser, rejectsWith, startEmulator, tokenVerifier } from './lib/harness.mjs';
import { cognitoUser, details, identityDone, step } from './lib/clients.mjs';

let emu;
let sdk;
let pool;
let seq = 0;

async function newUser(prefix) {
  seq += 1;
  const u = { username: `${prefix}-${seq}`, password: `Pw-${seq}!Identity1` };
  u.sub = await createUser(sdk, pool.id, { username: u.username, password: u.password });
  return u;
}

// signedIn signs u in with SRP and returns the CognitoUser and its tokens.
async function signedIn(u) {
  const user = cognitoUser(emu.url, pool, u.username);
  const res = await step(user, 'authenticateUser', details(u.username, u.password));
  await identityDone(res, pool, u);
  const s = res.args[0];
  return { user, access: s.getAccessToken().getJwtToken(), refresh: s.getRefreshToken().getToken() };
}

async function wantRevoked(s) {
  await rejectsWith(sdk.send(new GetUserCommand({ AccessToken: s.access })), ['NotAuthorizedException'], /^Access Token has been revoked$/);
  await rejectsWith(sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: pool.clientId, AuthParameters: { REFRESH_TOKEN: s.refresh } })),
    ['NotAuthorizedException'], /^Refresh Token has been revoked$/);
  await rejectsWith(sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: pool.clientId, RefreshToken: s.refresh })),
    ['NotAuthorizedException'], /^Refresh Token has been revoked$/);
}

describe('amazon-cognito-identity-js sessions against the emulator', { timeout: 120_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    const id = await createPool(sdk, {});
    const clientId = (await createClient(sdk, id, 'web', ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])).ClientId;
    pool = { id, clientId, verifier: await tokenVerifier(emu.url, id) };
  });

  after(async () => {
    await emu?.stop();
  });

  test('signOut(callback) revokes the session\'s tokens (RevokeToken); another session stays', async () => {
    const u = await newUser('signout');
    const other = await signedIn(u);
    const s = await signedIn(u);
    await new Promise((resolve, reject) => { s.user.signOut((err) => (err ? reject(err) : resolve())); });
    assert.equal(s.user.getSignInUserSession(), null, 'the session is cleared');
    await wantRevoked(s);
    assert.equal((await sdk.send(new GetUserCommand({ AccessToken: other.access }))).Username, u.username);
  });

  test('globalSignOut revokes every session of the user (GlobalSignOut)', async () => {
    const u = await newUser('global');
    const other = await signedIn(u);
    const s = await signedIn(u);
    await new Promise((resolve, reject) => { s.user.globalSignOut({ onSuccess: resolve, onFailure: reject }); });
    await wantRevoked(s);
    await wantRevoked(other);
    // refreshSession on the old session is refused too.
    const err = await new Promise((resolve) => {
      other.user.refreshSession(other.user.getSignInUserSession().getRefreshToken(), (e) => resolve(e));
    });
    assert.equal(err?.code, 'NotAuthorizedException', `refreshSession after globalSignOut: ${err?.message}`);
    assert.match(err.message, /^Refresh Token has been revoked$/);
  });
});

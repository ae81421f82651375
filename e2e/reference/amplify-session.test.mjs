// Amplify JS v6's session against the emulator: token refresh through
// GetTokensFromRefreshToken (with refresh-token rotation on the client),
// signOut() revoking its refresh token (RevokeToken) and signOut({global})
// signing the user out everywhere (GlobalSignOut), after which the old
// tokens are refused by the emulator. Amplify reports success from signOut
// even when those calls fail, so each test checks the tokens themselves
// with the SDK.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  GetTokensFromRefreshTokenCommand, GetUserCommand, InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { ConsoleLogger } from 'aws-amplify/utils';

import {
  PeekStorage, adminClient, createClient, createPool, createUser, rejectsWith, startEmulator, tokenVerifier,
} from './lib/harness.mjs';

ConsoleLogger.LOG_LEVEL = 'ERROR';

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

let emu;
let sdk;
let poolId;
let verifier;
const clients = {};
let seq = 0;

async function newUser(prefix) {
  seq += 1;
  const u = { username: `${prefix}-${seq}`, password: `Pw-${seq}!Session1` };
  u.sub = await createUser(sdk, poolId, { username: u.username, password: u.password });
  return u;
}

// signedIn signs u in through Amplify on clientId and returns the session's
// tokens as Amplify holds them, with its storage.
async function signedIn(u, clientId) {
  Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: emu.url } } });
  const storage = new PeekStorage();
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
  const out = await signIn({ username: u.username, password: u.password });
  assert.equal(out.isSignedIn, true);
  const { tokens } = await fetchAuthSession();
  return { storage, access: tokens.accessToken.toString(), id: tokens.idToken.toString(), refresh: storage.refreshToken() };
}

// sdkSession signs u in with the SDK directly: another device's session.
async function sdkSession(u, clientId) {
  const out = await sdk.send(new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: u.username, PASSWORD: u.password },
  }));
  return { access: out.AuthenticationResult.AccessToken, refresh: out.AuthenticationResult.RefreshToken };
}

async function wantRevoked(session, clientId) {
  await rejectsWith(sdk.send(new GetUserCommand({ AccessToken: session.access })), ['NotAuthorizedException'], /^Access Token has been revoked$/);
  await rejectsWith(sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: session.refresh })),
    ['NotAuthorizedException'], /^Refresh Token has been revoked$/);
  await rejectsWith(sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: session.refresh } })),
    ['NotAuthorizedException'], /^Refresh Token has been revoked$/);
}

async function wantLive(session) {
  const got = await sdk.send(new GetUserCommand({ AccessToken: session.access }));
  assert.ok(got.Username, 'GetUser answers');
}

describe('Amplify JS v6 sessions against the emulator', { timeout: 120_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    poolId = await createPool(sdk, {});
    clients.plain = (await createClient(sdk, poolId, 'plain', FLOWS)).ClientId;
    clients.rotating = (await createClient(sdk, poolId, 'rotating', FLOWS, {
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
    })).ClientId;
    verifier = await tokenVerifier(emu.url, poolId);
  });

  after(async () => {
    await emu?.stop();
  });

  test('fetchAuthSession({forceRefresh}) on a client with refresh-token rotation stores the new refresh token; the old one is refused', async () => {
    const u = await newUser('rotate');
    const s = await signedIn(u, clients.rotating);
    const { tokens } = await fetchAuthSession({ forceRefresh: true });
    const fresh = await verifier.verify(
      { idToken: tokens.idToken.toString(), accessToken: tokens.accessToken.toString() },
      { clientId: clients.rotating, username: u.username, sub: u.sub },
    );
    assert.notEqual(tokens.accessToken.toString(), s.access, 'a new access token');
    const rotated = s.storage.refreshToken();
    assert.notEqual(rotated, s.refresh, 'Amplify stored the rotated refresh token');
    await rejectsWith(sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clients.rotating, RefreshToken: s.refresh })),
      ['RefreshTokenReuseException']);
    // Amplify refreshes again with the token it stored.
    const again = await fetchAuthSession({ forceRefresh: true });
    const third = await verifier.verify(
      { idToken: again.tokens.idToken.toString(), accessToken: again.tokens.accessToken.toString() },
      { clientId: clients.rotating, username: u.username, sub: u.sub },
    );
    assert.equal(third.access.origin_jti, fresh.access.origin_jti, 'one session throughout');
    assert.notEqual(s.storage.refreshToken(), rotated, 'rotated again');
  });

  test('signOut() revokes its refresh token and access tokens (RevokeToken); another session of the user stays', async () => {
    const u = await newUser('signout');
    const other = await sdkSession(u, clients.plain);
    const s = await signedIn(u, clients.plain);
    await wantLive(s);
    await signOut();
    await rejectsWith(getCurrentUser(), ['UserUnAuthenticatedException']);
    await wantRevoked(s, clients.plain);
    await wantLive(other);
  });

  test('signOut({global: true}) signs the user out everywhere (GlobalSignOut); a new sign-in works', async () => {
    const u = await newUser('global');
    const other = await sdkSession(u, clients.plain);
    const s = await signedIn(u, clients.plain);
    await signOut({ global: true });
    await rejectsWith(getCurrentUser(), ['UserUnAuthenticatedException']);
    await wantRevoked(s, clients.plain);
    await wantRevoked(other, clients.plain);
    const next = await signedIn(u, clients.plain);
    await wantLive(next);
  });
});

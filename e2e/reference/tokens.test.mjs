// The JS SDK v3's token operations against the emulator:
// GetTokensFromRefreshToken (with and without rotation, ClientSecret),
// RevokeToken, GlobalSignOut, AdminUserGlobalSignOut, UpdateUserPoolClient,
// DeleteUserPoolClient and per-client token validity, each checked by what the emulator then
// accepts and refuses.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  AdminUserGlobalSignOutCommand, DeleteUserPoolClientCommand, DescribeUserPoolClientCommand, GetTokensFromRefreshTokenCommand, GetUserCommand,
  GlobalSignOutCommand, InitiateAuthCommand, RevokeTokenCommand, UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { adminClient, createClient, createPool, createUser, rejectsWith, secretHash, startEmulator, tokenVerifier } from './lib/harness.mjs';

const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

let emu;
let sdk;
let poolId;
let verifier;
let seq = 0;

async function newUser(prefix) {
  seq += 1;
  const u = { username: `${prefix}-${seq}`, password: `Pw-${seq}!Tokens1` };
  u.sub = await createUser(sdk, poolId, { username: u.username, password: u.password });
  return u;
}

async function signIn(u, client) {
  const AuthParameters = { USERNAME: u.username, PASSWORD: u.password };
  if (client.ClientSecret) AuthParameters.SECRET_HASH = secretHash(u.username, client.ClientId, client.ClientSecret);
  const out = await sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client.ClientId, AuthParameters }));
  assert.ok(out.AuthenticationResult?.RefreshToken, 'signed in with a refresh token');
  return out.AuthenticationResult;
}

const refresh = (client, RefreshToken, extra = {}) => sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: client.ClientId, RefreshToken, ...extra }));

describe('SDK v3 token operations against the emulator', { timeout: 120_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    poolId = await createPool(sdk, {});
    verifier = await tokenVerifier(emu.url, poolId);
  });

  after(async () => {
    await emu?.stop();
  });

  test('GetTokensFromRefreshToken with rotation and a client secret: a new refresh token, the old one honoured for the grace period only', async () => {
    const client = await createClient(sdk, poolId, 'rotating', FLOWS, {
      GenerateSecret: true, RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 2 },
    });
    const described = await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId }));
    assert.deepEqual(described.UserPoolClient.RefreshTokenRotation, { Feature: 'ENABLED', RetryGracePeriodSeconds: 2 });
    const u = await newUser('rotate');
    const first = await signIn(u, client);

    await rejectsWith(refresh(client, first.RefreshToken), ['NotAuthorizedException'], /configured for secret but secret was not received/);
    await rejectsWith(sdk.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: client.ClientId,
      AuthParameters: { REFRESH_TOKEN: first.RefreshToken, SECRET_HASH: secretHash(u.username, client.ClientId, client.ClientSecret) },
    })), ['NotAuthorizedException'], /GetTokensFromRefreshToken/);

    const out = await refresh(client, first.RefreshToken, { ClientSecret: client.ClientSecret, ClientMetadata: { app: 'reference' } });
    const r = out.AuthenticationResult;
    assert.ok(r.RefreshToken && r.RefreshToken !== first.RefreshToken, 'a rotated refresh token');
    assert.equal(r.TokenType, 'Bearer');
    const { access } = await verifier.verify({ idToken: r.IdToken, accessToken: r.AccessToken }, { clientId: client.ClientId, username: u.username, sub: u.sub });
    assert.equal(access.origin_jti, (await verifier.verify({ idToken: first.IdToken, accessToken: first.AccessToken },
      { clientId: client.ClientId, username: u.username, sub: u.sub })).access.origin_jti, 'the same session');
    // A retry within the grace period still works; after it, the old token is refused.
    await refresh(client, first.RefreshToken, { ClientSecret: client.ClientSecret });
    await new Promise((resolve) => { setTimeout(resolve, 2_100); });
    await rejectsWith(refresh(client, first.RefreshToken, { ClientSecret: client.ClientSecret }), ['RefreshTokenReuseException']);
    const next = await refresh(client, r.RefreshToken, { ClientSecret: client.ClientSecret });
    assert.ok(next.AuthenticationResult.RefreshToken, 'the rotated token refreshes and rotates');
  });

  test('GetTokensFromRefreshToken without rotation returns no refresh token and honours the client\'s token validity', async () => {
    const client = await createClient(sdk, poolId, 'short', FLOWS, {
      AccessTokenValidity: 5, IdTokenValidity: 1, TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours' },
    });
    const u = await newUser('plain');
    const first = await signIn(u, client);
    assert.equal(first.ExpiresIn, 300);
    const { AuthenticationResult: r } = await refresh(client, first.RefreshToken);
    assert.equal(r.RefreshToken, undefined);
    assert.equal(r.ExpiresIn, 300);
    const { access, id } = await verifier.verify({ idToken: r.IdToken, accessToken: r.AccessToken }, { clientId: client.ClientId, username: u.username, sub: u.sub });
    assert.equal(access.exp - access.iat, 300);
    assert.equal(id.exp - id.iat, 3600);
    await rejectsWith(refresh(client, 'not-a-refresh-token'), ['NotAuthorizedException'], /^Invalid Refresh Token$/);
  });

  test('RevokeToken revokes the refresh token and its access tokens; UpdateUserPoolClient turns revocation off and on', async () => {
    const client = await createClient(sdk, poolId, 'revoking', FLOWS);
    const u = await newUser('revoke');
    const a = await signIn(u, client);
    const b = await signIn(u, client);
    const refreshed = (await refresh(client, a.RefreshToken)).AuthenticationResult;
    await rejectsWith(sdk.send(new RevokeTokenCommand({ ClientId: client.ClientId, Token: a.AccessToken })), ['UnsupportedTokenTypeException']);
    await sdk.send(new RevokeTokenCommand({ ClientId: client.ClientId, Token: a.RefreshToken }));
    for (const token of [a.AccessToken, refreshed.AccessToken]) {
      await rejectsWith(sdk.send(new GetUserCommand({ AccessToken: token })), ['NotAuthorizedException'], /^Access Token has been revoked$/);
    }
    await rejectsWith(refresh(client, a.RefreshToken), ['NotAuthorizedException'], /^Refresh Token has been revoked$/);
    assert.equal((await sdk.send(new GetUserCommand({ AccessToken: b.AccessToken }))).Username, u.username, 'the other session stays');

    await sdk.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId, ExplicitAuthFlows: FLOWS, EnableTokenRevocation: false }));
    await rejectsWith(sdk.send(new RevokeTokenCommand({ ClientId: client.ClientId, Token: b.RefreshToken })), ['UnsupportedOperationException']);
    await refresh(client, b.RefreshToken);
    await sdk.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId, ExplicitAuthFlows: FLOWS }));
    await sdk.send(new RevokeTokenCommand({ ClientId: client.ClientId, Token: b.RefreshToken }));
    await rejectsWith(refresh(client, b.RefreshToken), ['NotAuthorizedException'], /^Refresh Token has been revoked$/);
  });

  test('GlobalSignOut and AdminUserGlobalSignOut refuse every earlier session of the user', async () => {
    const client = await createClient(sdk, poolId, 'global', FLOWS);
    const u = await newUser('global');
    const a = await signIn(u, client);
    const b = await signIn(u, client);
    await sdk.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken }));
    for (const s of [a, b]) {
      await rejectsWith(sdk.send(new GetUserCommand({ AccessToken: s.AccessToken })), ['NotAuthorizedException'], /^Access Token has been revoked$/);
      await rejectsWith(refresh(client, s.RefreshToken), ['NotAuthorizedException'], /^Refresh Token has been revoked$/);
    }
    const c = await signIn(u, client);
    await sdk.send(new GetUserCommand({ AccessToken: c.AccessToken }));
    await sdk.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: u.username }));
    await rejectsWith(sdk.send(new GetUserCommand({ AccessToken: c.AccessToken })), ['NotAuthorizedException'], /^Access Token has been revoked$/);
  });

  test('DeleteUserPoolClient: the deleted client\'s access tokens are refused, its refresh tokens have no client; another client\'s stay good', async () => {
    const doomed = await createClient(sdk, poolId, 'doomed', FLOWS);
    const kept = await createClient(sdk, poolId, 'kept', FLOWS);
    const u = await newUser('deleted-client');
    const gone = await signIn(u, doomed);
    const stays = await signIn(u, kept);
    assert.equal((await sdk.send(new GetUserCommand({ AccessToken: gone.AccessToken }))).Username, u.username);
    await sdk.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: doomed.ClientId }));
    await rejectsWith(sdk.send(new GetUserCommand({ AccessToken: gone.AccessToken })), ['NotAuthorizedException'], /^Invalid Access Token$/);
    await rejectsWith(refresh(doomed, gone.RefreshToken), ['ResourceNotFoundException']);
    assert.equal((await sdk.send(new GetUserCommand({ AccessToken: stays.AccessToken }))).Username, u.username);
  });
});

// The JS SDK v3 runs the server-side sign-in (AdminInitiateAuth /
// AdminRespondToAuthChallenge) against an emulator started with
// -credentials, so every Admin call must carry a valid SigV4 signature;
// a wrong secret or an unknown key is refused as AWS refuses it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import {
  ACCESS_KEY_ID, SECRET_ACCESS_KEY, adminClient, createClient, createPool, createUser, rejectsWith,
  secretHash, startEmulator, tokenVerifier,
} from './lib/harness.mjs';

const ADMIN_FLOWS = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

let emu;
let sdk;
let poolId;
let verifier;
let clients; // name -> { id, secret? }
let seq = 0;

async function newUser(prefix, attributes = {}) {
  seq += 1;
  const u = { username: `${prefix}-${seq}`, password: `Pw-${seq}!Admin1` };
  u.sub = await createUser(sdk, poolId, {
    username: u.username, password: u.password,
    attributes: { email: `${u.username}@example.com`, email_verified: 'true', ...attributes },
  });
  return u;
}

function adminInitiate(clientId, AuthFlow, AuthParameters, extra = {}) {
  return sdk.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow, AuthParameters, ...extra }));
}

async function checkResult(out, clientId, u) {
  const r = out.AuthenticationResult;
  assert.ok(r, `tokens, got ${JSON.stringify(out)}`);
  assert.equal(r.TokenType, 'Bearer');
  assert.ok(r.ExpiresIn > 0);
  return verifier.verify({ idToken: r.IdToken, accessToken: r.AccessToken }, { clientId, username: u.username, sub: u.sub });
}

describe('SDK v3 Admin sign-in with SigV4 against the emulator', { timeout: 120_000 }, () => {
  before(async () => {
    emu = await startEmulator({ args: ['-credentials', `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY}`] });
    sdk = adminClient(emu.url);
    poolId = await createPool(sdk, {});
    clients = {};
    clients.admin = { id: (await createClient(sdk, poolId, 'admin', ADMIN_FLOWS)).ClientId };
    const withSecret = await createClient(sdk, poolId, 'admin-secret', ADMIN_FLOWS, { GenerateSecret: true });
    clients.secret = { id: withSecret.ClientId, secret: withSecret.ClientSecret };
    clients.userOnly = { id: (await createClient(sdk, poolId, 'user-only', ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])).ClientId };
    verifier = await tokenVerifier(emu.url, poolId);
  });

  after(async () => {
    await emu?.stop();
  });

  test('ADMIN_USER_PASSWORD_AUTH, then REFRESH_TOKEN_AUTH through AdminInitiateAuth', async () => {
    const u = await newUser('adminpw');
    const out = await adminInitiate(clients.admin.id, 'ADMIN_USER_PASSWORD_AUTH', { USERNAME: u.username, PASSWORD: u.password });
    const first = await checkResult(out, clients.admin.id, u);
    assert.ok(out.AuthenticationResult.RefreshToken, 'a refresh token');

    const ref = await adminInitiate(clients.admin.id, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: out.AuthenticationResult.RefreshToken });
    const second = await checkResult(ref, clients.admin.id, u);
    assert.notEqual(second.access.jti, first.access.jti, 'a new access token');
    await rejectsWith(adminInitiate(clients.admin.id, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: 'not-a-refresh-token' }), ['NotAuthorizedException']);
  });

  test('ADMIN_NO_SRP_AUTH, the older name of the same flow', async () => {
    const u = await newUser('nosrp');
    await checkResult(await adminInitiate(clients.admin.id, 'ADMIN_NO_SRP_AUTH', { USERNAME: u.username, PASSWORD: u.password }), clients.admin.id, u);
  });

  test('a wrong password is NotAuthorizedException', async () => {
    const u = await newUser('adminwrong');
    await rejectsWith(adminInitiate(clients.admin.id, 'ADMIN_USER_PASSWORD_AUTH', { USERNAME: u.username, PASSWORD: 'Wrong-Pw1!' }),
      ['NotAuthorizedException'], /^Incorrect username or password\.$/);
  });

  test('an unknown user: UserNotFoundException by default (LEGACY), NotAuthorizedException with PreventUserExistenceErrors', async () => {
    await rejectsWith(adminInitiate(clients.admin.id, 'ADMIN_USER_PASSWORD_AUTH', { USERNAME: 'nobody-admin', PASSWORD: 'Whatever-Pw1!' }),
      ['UserNotFoundException']);
    const hiding = (await createClient(sdk, poolId, 'admin-hiding', ADMIN_FLOWS, { PreventUserExistenceErrors: 'ENABLED' })).ClientId;
    await rejectsWith(adminInitiate(hiding, 'ADMIN_USER_PASSWORD_AUTH', { USERNAME: 'nobody-admin', PASSWORD: 'Whatever-Pw1!' }),
      ['NotAuthorizedException'], /^Incorrect username or password\.$/);
  });

  test('client with a secret: SECRET_HASH is required and checked', async () => {
    const { id, secret } = clients.secret;
    const u = await newUser('adminsecret');
    const params = { USERNAME: u.username, PASSWORD: u.password };
    await checkResult(await adminInitiate(id, 'ADMIN_USER_PASSWORD_AUTH', { ...params, SECRET_HASH: secretHash(u.username, id, secret) }), id, u);
    await rejectsWith(adminInitiate(id, 'ADMIN_USER_PASSWORD_AUTH', params), ['NotAuthorizedException']);
    await rejectsWith(adminInitiate(id, 'ADMIN_USER_PASSWORD_AUTH', { ...params, SECRET_HASH: secretHash(u.username, id, 'not-the-secret') }),
      ['NotAuthorizedException']);
  });

  test('a flow the client does not allow is refused', async () => {
    const u = await newUser('adminflow');
    await rejectsWith(adminInitiate(clients.userOnly.id, 'ADMIN_USER_PASSWORD_AUTH', { USERNAME: u.username, PASSWORD: u.password }),
      ['InvalidParameterException'], /not enabled for this client/);
    await rejectsWith(sdk.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clients.admin.id, AuthParameters: { USERNAME: u.username, PASSWORD: u.password },
    })), ['InvalidParameterException'], /not enabled for this client/);
  });

  test('SigV4: a wrong secret is InvalidSignatureException, an unknown key UnrecognizedClientException', async () => {
    const u = await newUser('sigv4');
    const wrongSecret = adminClient(emu.url, { secretAccessKey: `${SECRET_ACCESS_KEY.slice(0, -1)}X` });
    await rejectsWith(wrongSecret.send(new AdminInitiateAuthCommand({
      UserPoolId: poolId, ClientId: clients.admin.id, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: u.username, PASSWORD: u.password },
    })), ['InvalidSignatureException']);
    await rejectsWith(wrongSecret.send(new ListUsersCommand({ UserPoolId: poolId })), ['InvalidSignatureException']);
    const unknownKey = adminClient(emu.url, { accessKeyId: 'AKIDUNKNOWNKEY000000' });
    await rejectsWith(unknownKey.send(new ListUsersCommand({ UserPoolId: poolId })), ['UnrecognizedClientException']);
    // The right credentials still work, and public operations need none.
    await checkResult(await adminInitiate(clients.admin.id, 'ADMIN_USER_PASSWORD_AUTH', { USERNAME: u.username, PASSWORD: u.password }),
      clients.admin.id, u);
    const res = await fetch(`${emu.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clients.userOnly.id, AuthParameters: { USERNAME: u.username, PASSWORD: u.password } }),
    });
    assert.equal(res.status, 200, 'an unsigned InitiateAuth is served');
    await checkResult(await res.json(), clients.userOnly.id, u);
  });

  test('AdminListUserAuthEvents: refused without threat protection; with it, the sign-ins newest first', async () => {
    const u = await newUser('events');
    await rejectsWith(sdk.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: u.username })),
      ['UserPoolAddOnNotEnabledException']);
    const other = await createPool(sdk, { PoolName: 'events', UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } });
    const client = (await createClient(sdk, other, 'events', ADMIN_FLOWS)).ClientId;
    await createUser(sdk, other, { username: u.username, password: u.password });
    const signIn = (password) => sdk.send(new AdminInitiateAuthCommand({ UserPoolId: other, ClientId: client,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u.username, PASSWORD: password } }));
    await rejectsWith(signIn('Wrong-Pw1!'), ['NotAuthorizedException']);
    assert.ok((await signIn(u.password)).AuthenticationResult);
    const { AuthEvents } = await sdk.send(new AdminListUserAuthEventsCommand({ UserPoolId: other, Username: u.username }));
    assert.deepEqual(AuthEvents.map((e) => [e.EventType, e.EventResponse, e.ChallengeResponses[0].ChallengeResponse]),
      [['SignIn', 'Pass', 'Success'], ['SignIn', 'Fail', 'Failure']]);
    assert.ok(AuthEvents[0].CreationDate instanceof Date, 'CreationDate is a timestamp the SDK reads');
    // UpdateUserPool without UserPoolAddOns turns threat protection off, as every member left out.
    await sdk.send(new UpdateUserPoolCommand({ UserPoolId: other }));
    await rejectsWith(sdk.send(new AdminListUserAuthEventsCommand({ UserPoolId: other, Username: u.username })),
      ['UserPoolAddOnNotEnabledException']);
  });
});

// The JS SDK v3 against checks the Go tests made first: ListUsers filters as
// Cognito documents them, custom attributes outside the pool's schema
// refused, and the session token of temporary credentials checked on an
// emulator started with -credentials.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  AddCustomAttributesCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import {
  ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, adminClient, createPool, createUser, rejectsWith, startEmulator,
} from './lib/harness.mjs';

const SESSION_TOKEN = 'reference-session-token';

function tokenClient(url, sessionToken) {
  return new CognitoIdentityProviderClient({
    region: REGION, endpoint: url, maxAttempts: 1,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY, sessionToken },
  });
}

describe('SDK v3: ListUsers filters and the pool schema', { timeout: 120_000 }, () => {
  let emu;
  let sdk;
  let poolId;

  before(async () => {
    emu = await startEmulator({ args: ['-credentials', `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY}`] });
    sdk = adminClient(emu.url);
    poolId = await createPool(sdk, {});
    for (const [username, email, name] of [['ann', 'ann@example.com', 'Ann "A" Ames'], ['ben', 'ben@example.org', 'Ben'], ['cat', null, 'Cat']]) {
      await createUser(sdk, poolId, { username, password: `Pw-${username}!Check1`, attributes: { email, name } });
    }
  });
  after(() => emu?.stop());

  const names = (out) => out.Users.map((u) => u.Username).sort();

  test('ListUsers: =, ^=, no spaces, escaped quotes, case rules, a missing attribute matches nothing', async () => {
    for (const [Filter, want] of [
      ['username = "ben"', ['ben']],
      ['email ^= "ann"', ['ann']],
      ['email="ben@example.org"', ['ben']],
      ['name = "Ann \\"A\\" Ames"', ['ann']],
      ['cognito:user_status = "confirmed"', ['ann', 'ben', 'cat']],
      ['username = "BEN"', []],
      ['email ^= ""', ['ann', 'ben']],
      ['family_name = ""', []],
    ]) {
      const out = await sdk.send(new ListUsersCommand({ UserPoolId: poolId, Filter }));
      assert.deepEqual(names(out), want, Filter);
    }
  });

  test('ListUsers: a filter Cognito cannot parse or search by is InvalidParameterException', async () => {
    for (const [Filter, re] of [
      ['email = ann', /^Error while parsing filter\.$/],
      ['username != "ann"', /^Error while parsing filter\.$/],
      ['nickname = "x"', /^Invalid search attribute: nickname$/],
    ]) {
      await rejectsWith(sdk.send(new ListUsersCommand({ UserPoolId: poolId, Filter })), ['InvalidParameterException'], re);
    }
  });

  test('a custom attribute outside the schema is refused until AddCustomAttributes adds it', async () => {
    const attr = [{ Name: 'custom:team', Value: 'blue' }];
    await rejectsWith(sdk.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: 'dan', MessageAction: 'SUPPRESS', UserAttributes: attr,
    })), ['InvalidParameterException'], /custom:team: Attribute does not exist in the schema\./);
    await rejectsWith(sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dan' })), ['UserNotFoundException']);
    await rejectsWith(sdk.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'ann', UserAttributes: attr })),
      ['InvalidParameterException'], /custom:team: Attribute does not exist in the schema\./);

    await sdk.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: [{ Name: 'team', AttributeDataType: 'String', Mutable: true }] }));
    await sdk.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'ann', UserAttributes: attr }));
    const got = await sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ann' }));
    assert.equal(got.UserAttributes.find((a) => a.Name === 'custom:team')?.Value, 'blue');
  });

  test('a long-term key sent with a session token is refused', async () => {
    await rejectsWith(tokenClient(emu.url, SESSION_TOKEN).send(new ListUsersCommand({ UserPoolId: poolId })),
      ['UnrecognizedClientException'], /^The security token included in the request is invalid\.$/);
  });
});

describe('SDK v3: temporary credentials on an emulator started with a session token', { timeout: 60_000 }, () => {
  let emu;

  before(async () => {
    emu = await startEmulator({ args: ['-credentials', `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY}:${SESSION_TOKEN}`] });
  });
  after(() => emu?.stop());

  test('only the configured session token is accepted', async () => {
    const poolId = await createPool(tokenClient(emu.url, SESSION_TOKEN), {});
    const out = await tokenClient(emu.url, SESSION_TOKEN).send(new ListUsersCommand({ UserPoolId: poolId }));
    assert.deepEqual(out.Users, []);
    for (const token of ['another-token', undefined]) {
      await rejectsWith(tokenClient(emu.url, token).send(new ListUsersCommand({ UserPoolId: poolId })),
        ['UnrecognizedClientException'], /^The security token included in the request is invalid\.$/);
    }
  });
});

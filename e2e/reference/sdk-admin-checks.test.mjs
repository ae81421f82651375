// The JS SDK v3 against checks the Go tests made first: ListUsers filters as
// Cognito documents them, custom attributes outside the pool's schema
// refused, wrong reset codes slowed down without locking the user out of
// signing in, and the session token of temporary credentials checked on an
// emulator started with -credentials.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  AddCustomAttributesCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import {
  ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, adminClient, createClient, createPool, createUser, lastCode, rejectsWith,
  startEmulator,
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
      await createUser(sdk, poolId, { username, password: `Pw-${username}!Check1`, attributes: { email, email_verified: email ? 'true' : null, name } });
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

  test('wrong reset codes end in LimitExceededException, and the user still signs in with the password', async () => {
    const { ClientId } = await createClient(sdk, poolId, 'reset', ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    await sdk.send(new ForgotPasswordCommand({ ClientId, Username: 'ben' }));
    const { code } = await lastCode(emu.url, poolId, 'ben', 'EMAIL');
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 6; i++) {
      try {
        await sdk.send(new ConfirmForgotPasswordCommand({ ClientId, Username: 'ben', ConfirmationCode: wrong, Password: 'New-Pw!Check2' }));
        answers.push('accepted');
      } catch (e) {
        answers.push(e.name);
      }
    }
    assert.equal(answers[0], 'CodeMismatchException', answers.join());
    assert.equal(answers.at(-1), 'LimitExceededException', answers.join());
    const out = await sdk.send(new InitiateAuthCommand({
      ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ben', PASSWORD: 'Pw-ben!Check1' },
    }));
    assert.ok(out.AuthenticationResult?.AccessToken, `tokens, got ${JSON.stringify(out)}`);
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

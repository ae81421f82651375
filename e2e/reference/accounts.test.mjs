// The account lifecycle through AWS's own clients against the emulator:
// amazon-cognito-identity-js signs up, confirms with the code from the
// outbox, changes its password, updates and verifies attributes, resets a
// forgotten password, deletes attributes and the user; the SDK v3 signs up
// through a client with a secret, and sees sign-in refused for unconfirmed,
// reset and disabled users in Cognito's words; groups reach the tokens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';

import { adminClient, lastCode, makePool, outbox, rejectsWith, secretHash, startEmulator } from './lib/harness.mjs';
import { cognitoUser, details, identityDone, step, wrongCode } from './lib/clients.mjs';

const { CognitoUserAttribute, CognitoUserPool } = cognitoIdentity;

let emu;
let sdk;
let pool; // email alias, email auto-verified, a public client
let secretPool; // the same with a client that has a secret
let seq = 0;

function newAccount(prefix) {
  seq += 1;
  return { username: `${prefix}-${seq}`, password: `Pw-${seq}!Accounts1`, email: `${prefix}-${seq}@example.com` };
}

// nodeCall turns a (err, result) callback call into a promise.
function nodeCall(fn) {
  return new Promise((resolve, reject) => { fn((err, res) => (err ? reject(err) : resolve(res))); });
}

// handlers turns an {onSuccess, onFailure, ...} callback call into a promise
// resolving with {kind, data}.
function handlers(fn, kinds = ['onSuccess', 'inputVerificationCode']) {
  return new Promise((resolve, reject) => {
    const cb = { onFailure: reject };
    for (const kind of kinds) cb[kind] = (data) => resolve({ kind, data });
    fn(cb);
  });
}

async function userAttrs(user) {
  const list = await nodeCall((cb) => user.getUserAttributes(cb));
  return Object.fromEntries(list.map((a) => [a.getName(), a.getValue()]));
}

describe('account lifecycle against the emulator', { timeout: 180_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    const poolInput = { AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] };
    const flows = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
    pool = await makePool(sdk, emu.url, 'accounts', poolInput, flows);
    secretPool = await makePool(sdk, emu.url, 'accountssecret', poolInput, flows, { GenerateSecret: true });
  });

  after(async () => {
    await emu?.stop();
  });

  test('amazon-cognito-identity-js: signUp, confirmRegistration, sign-in, changePassword', async () => {
    const a = newAccount('ident');
    const userPool = new CognitoUserPool({ UserPoolId: pool.id, ClientId: pool.clientId, endpoint: emu.url });
    const res = await nodeCall((cb) => userPool.signUp(a.username, a.password,
      [new CognitoUserAttribute({ Name: 'email', Value: a.email })], [], cb));
    assert.equal(res.userConfirmed, false);
    assert.match(res.userSub, /^[0-9a-f-]{36}$/);
    assert.deepEqual(res.codeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'i***@e***' });
    a.sub = res.userSub;

    const user = cognitoUser(emu.url, pool, a.username);
    await assert.rejects(step(user, 'authenticateUser', details(a.username, a.password)),
      (e) => e.code === 'UserNotConfirmedException' && e.message === 'User is not confirmed.');
    await assert.rejects(nodeCall((cb) => user.confirmRegistration(wrongCode('x'), false, cb)),
      (e) => e.code === 'CodeMismatchException' && e.message === 'Invalid verification code provided, please try again.');
    const resent = await nodeCall((cb) => user.resendConfirmationCode(cb));
    assert.equal(resent.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
    const code = (await lastCode(emu.url, pool.id, a.username, 'EMAIL')).code;
    assert.equal(await nodeCall((cb) => user.confirmRegistration(code, false, cb)), 'SUCCESS');
    assert.equal((await sdk.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: a.username }))).UserStatus, 'CONFIRMED');

    // The verified email signs in as an alias.
    const byEmail = cognitoUser(emu.url, pool, a.email);
    const signedIn = await step(byEmail, 'authenticateUser', details(a.email, a.password));
    await identityDone(signedIn, pool, a);
    assert.equal(await nodeCall((cb) => byEmail.changePassword(a.password, 'Changed-1!Accounts', cb)), 'SUCCESS');
    await assert.rejects(step(cognitoUser(emu.url, pool, a.username), 'authenticateUser', details(a.username, a.password)),
      (e) => e.code === 'NotAuthorizedException' && e.message === 'Incorrect username or password.');
    await identityDone(await step(cognitoUser(emu.url, pool, a.username), 'authenticateUser',
      details(a.username, 'Changed-1!Accounts')), pool, a);
  });

  test('amazon-cognito-identity-js: updateAttributes, getAttributeVerificationCode, verifyAttribute, deleteAttributes, deleteUser', async () => {
    const a = newAccount('attrs');
    const userPool = new CognitoUserPool({ UserPoolId: pool.id, ClientId: pool.clientId, endpoint: emu.url });
    a.sub = (await nodeCall((cb) => userPool.signUp(a.username, a.password,
      [new CognitoUserAttribute({ Name: 'email', Value: a.email })], [], cb))).userSub;
    await sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.id, Username: a.username }));
    const user = cognitoUser(emu.url, pool, a.username);
    await identityDone(await step(user, 'authenticateUser', details(a.username, a.password)), pool, a);

    const newEmail = `new-${a.email}`;
    const sentBefore = (await outbox(emu.url, pool.id, a.username)).length;
    const updated = await new Promise((resolve, reject) => {
      user.updateAttributes([new CognitoUserAttribute({ Name: 'email', Value: newEmail }), { Name: 'nickname', Value: 'Nick' }],
        (err, result, details) => (err ? reject(err) : resolve({ result, details })));
    });
    assert.equal(updated.result, 'SUCCESS');
    assert.deepEqual(updated.details.CodeDeliveryDetailsList, [{ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'n***@e***' }]);
    let attrs = await userAttrs(user);
    assert.equal(attrs.email, newEmail);
    assert.equal(attrs.email_verified, 'false');
    assert.equal(attrs.nickname, 'Nick');
    await lastCode(emu.url, pool.id, a.username, 'EMAIL', sentBefore);

    const asked = await handlers((cb) => user.getAttributeVerificationCode('email', cb));
    assert.equal(asked.kind, 'inputVerificationCode');
    assert.equal(asked.data.CodeDeliveryDetails.Destination, 'n***@e***');
    const sent = await lastCode(emu.url, pool.id, a.username, 'EMAIL', sentBefore + 1);
    assert.equal(sent.destination, newEmail);
    await assert.rejects(handlers((cb) => user.verifyAttribute('email', wrongCode(sent.code), cb)),
      (e) => e.code === 'CodeMismatchException');
    assert.equal((await handlers((cb) => user.verifyAttribute('email', sent.code, cb))).data, 'SUCCESS');
    attrs = await userAttrs(user);
    assert.equal(attrs.email_verified, 'true');

    assert.equal(await nodeCall((cb) => user.deleteAttributes(['nickname'], cb)), 'SUCCESS');
    attrs = await userAttrs(user);
    assert.equal(attrs.nickname, undefined);

    const access = user.getSignInUserSession().getAccessToken().getJwtToken();
    assert.equal(await nodeCall((cb) => user.deleteUser(cb)), 'SUCCESS');
    await rejectsWith(sdk.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: a.username })), ['UserNotFoundException']);
    await rejectsWith(sdk.send(new GetUserCommand({ AccessToken: access })), ['UserNotFoundException', 'NotAuthorizedException']);
  });

  test('amazon-cognito-identity-js: forgotPassword and confirmPassword with the code from the outbox', async () => {
    const a = newAccount('forgot');
    const userPool = new CognitoUserPool({ UserPoolId: pool.id, ClientId: pool.clientId, endpoint: emu.url });
    a.sub = (await nodeCall((cb) => userPool.signUp(a.username, a.password,
      [new CognitoUserAttribute({ Name: 'email', Value: a.email })], [], cb))).userSub;
    const user = cognitoUser(emu.url, pool, a.username);
    const code = (await lastCode(emu.url, pool.id, a.username, 'EMAIL')).code;
    await nodeCall((cb) => user.confirmRegistration(code, false, cb));

    const sentBefore = (await outbox(emu.url, pool.id, a.username)).length;
    const asked = await handlers((cb) => user.forgotPassword(cb));
    assert.equal(asked.kind, 'inputVerificationCode');
    assert.deepEqual(asked.data.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'f***@e***' });
    const reset = (await lastCode(emu.url, pool.id, a.username, 'EMAIL', sentBefore)).code;
    await assert.rejects(handlers((cb) => user.confirmPassword(reset, 'weak', cb)), (e) => e.code === 'InvalidPasswordException');
    assert.equal((await handlers((cb) => user.confirmPassword(reset, 'Reset-1!Accounts', cb))).data, 'SUCCESS');
    await identityDone(await step(cognitoUser(emu.url, pool, a.username), 'authenticateUser',
      details(a.username, 'Reset-1!Accounts')), pool, a);
  });

  test('SDK v3: SignUp with SecretHash, ConfirmSignUp, AdminResetUserPassword, AdminDisableUser', async () => {
    const a = newAccount('sdk');
    const { clientId, clientSecret } = secretPool;
    const hash = secretHash(a.username, clientId, clientSecret);
    await rejectsWith(sdk.send(new SignUpCommand({ ClientId: clientId, Username: a.username, Password: a.password })),
      ['NotAuthorizedException'], /configured for secret but secret was not received/);
    const out = await sdk.send(new SignUpCommand({ ClientId: clientId, SecretHash: hash, Username: a.username, Password: a.password,
      UserAttributes: [{ Name: 'email', Value: a.email }] }));
    assert.equal(out.UserConfirmed, false);
    await rejectsWith(sdk.send(new SignUpCommand({ ClientId: clientId, SecretHash: hash, Username: a.username, Password: a.password })),
      ['UsernameExistsException'], /^User already exists$/);
    const signIn = () => sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId,
      AuthParameters: { USERNAME: a.username, PASSWORD: a.password, SECRET_HASH: hash } }));
    await rejectsWith(signIn(), ['UserNotConfirmedException'], /^User is not confirmed\.$/);
    await sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, SecretHash: hash, Username: a.username }));
    const code = (await lastCode(emu.url, secretPool.id, a.username, 'EMAIL')).code;
    await sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, SecretHash: hash, Username: a.username, ConfirmationCode: code }));
    assert.ok((await signIn()).AuthenticationResult.AccessToken);

    const sentBefore = (await outbox(emu.url, secretPool.id, a.username)).length;
    await sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: secretPool.id, Username: a.username }));
    await rejectsWith(signIn(), ['PasswordResetRequiredException'], /^Password reset required for the user$/);
    const reset = (await lastCode(emu.url, secretPool.id, a.username, 'EMAIL', sentBefore)).code;
    a.password = 'After-Reset1!Accounts';
    await sdk.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, SecretHash: hash, Username: a.username,
      ConfirmationCode: reset, Password: a.password }));
    assert.ok((await signIn()).AuthenticationResult.AccessToken);

    await sdk.send(new AdminDisableUserCommand({ UserPoolId: secretPool.id, Username: a.username }));
    await rejectsWith(signIn(), ['NotAuthorizedException'], /^User is disabled\.$/);
    await sdk.send(new AdminEnableUserCommand({ UserPoolId: secretPool.id, Username: a.username }));
    assert.ok((await signIn()).AuthenticationResult.AccessToken);
  });

  test('SDK v3: groups, and cognito:groups in the tokens aws-jwt-verify accepts', async () => {
    const a = newAccount('grp');
    const userPool = new CognitoUserPool({ UserPoolId: pool.id, ClientId: pool.clientId, endpoint: emu.url });
    a.sub = (await nodeCall((cb) => userPool.signUp(a.username, a.password, [], [], cb))).userSub;
    await sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.id, Username: a.username }));
    for (const [GroupName, Precedence] of [['editors', 2], ['viewers', 5]]) {
      const out = await sdk.send(new CreateGroupCommand({ UserPoolId: pool.id, GroupName, Precedence }));
      assert.equal(out.Group.GroupName, GroupName);
      assert.ok(out.Group.CreationDate instanceof Date);
      await sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.id, Username: a.username, GroupName }));
    }
    const groups = await sdk.send(new AdminListGroupsForUserCommand({ UserPoolId: pool.id, Username: a.username }));
    assert.deepEqual(groups.Groups.map((g) => g.GroupName), ['editors', 'viewers']);
    const users = await sdk.send(new ListUsersInGroupCommand({ UserPoolId: pool.id, GroupName: 'editors' }));
    assert.deepEqual(users.Users.map((u) => u.Username), [a.username]);
    const { id, access } = await identityDone(await step(cognitoUser(emu.url, pool, a.username), 'authenticateUser',
      details(a.username, a.password)), pool, a);
    assert.deepEqual(id['cognito:groups'], ['editors', 'viewers']);
    assert.deepEqual(access['cognito:groups'], ['editors', 'viewers']);
  });
});

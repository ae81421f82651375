// amazon-cognito-identity-js's remembered devices against the emulator: the
// library confirms the device NewDeviceMetadata names (ConfirmDevice with its
// own SRP verifier), marks it remembered, and signs in again through
// DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER without MFA, by USER_SRP_AUTH and
// USER_PASSWORD_AUTH; a device confirmed but not remembered is only tracked. A forgotten device, another user's device keys and a
// wrong device secret are refused as Cognito refuses them.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  AdminForgetDeviceCommand, AdminGetDeviceCommand, AdminListDevicesCommand, AdminUpdateDeviceStatusCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';

import { SMS_MFA_CONFIG, identityDone, setMFA, step } from './lib/clients.mjs';
import { adminClient, lastCode, makePool, makeUser, outbox, rejectsWith, startEmulator } from './lib/harness.mjs';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognitoIdentity;
const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

let emu;
let sdk;
let pool; // the pool of the running test
let prompt; // device tracking with the user's choice, and a remembered device standing in for MFA
let always; // every confirmed device remembered at once

// SyncStorage is the Storage amazon-cognito-identity-js writes its tokens
// and device keys to (window.localStorage's shape), one per simulated browser.
class SyncStorage {
  m = new Map();
  setItem(k, v) { this.m.set(k, String(v)); }
  getItem(k) { return this.m.has(k) ? this.m.get(k) : null; }
  removeItem(k) { this.m.delete(k); }
  clear() { this.m.clear(); }
  deviceKeys(username) {
    const p = `CognitoIdentityServiceProvider.${pool.clientId}.${username}`;
    return { deviceKey: this.getItem(`${p}.deviceKey`), deviceGroupKey: this.getItem(`${p}.deviceGroupKey`), randomPasswordKey: this.getItem(`${p}.randomPasswordKey`) };
  }
  setDeviceKeys(username, keys) {
    const p = `CognitoIdentityServiceProvider.${pool.clientId}.${username}`;
    for (const [k, v] of Object.entries(keys)) this.setItem(`${p}.${k}`, v);
  }
}

function user(storage, username, flow = 'USER_SRP_AUTH') {
  const userPool = new CognitoUserPool({ UserPoolId: pool.id, ClientId: pool.clientId, endpoint: emu.url, Storage: storage });
  const u = new CognitoUser({ Username: username, Pool: userPool, Storage: storage });
  u.setAuthenticationFlowType(flow);
  return u;
}

// refresh runs the library's refreshSession (REFRESH_TOKEN_AUTH with the
// DEVICE_KEY it stored) and resolves with the new session.
function refresh(cu) {
  return new Promise((resolve, reject) => {
    cu.refreshSession(cu.getSignInUserSession().getRefreshToken(), (err, session) => (err ? reject(err) : resolve(session)));
  });
}

async function smsCount(u) {
  return (await outbox(emu.url, pool.id, u.username)).filter((m) => m.medium === 'SMS').length;
}

// signInWithMFA signs in through SMS_MFA; the library confirms the new
// device on the way (ConfirmDevice) and reports UserConfirmationNecessary.
async function signInWithMFA(storage, u, typed = u.username) {
  const cu = user(storage, typed);
  const before = await smsCount(u);
  const first = await step(cu, 'authenticateUser', new AuthenticationDetails({ Username: typed, Password: u.password }));
  assert.equal(first.kind, 'mfaRequired', `MFA asked, got ${first.kind} ${JSON.stringify(first.args)}`);
  const sent = await lastCode(emu.url, pool.id, u.username, 'SMS', before);
  const done = await step(cu, 'sendMFACode', sent.code);
  await identityDone(done, pool, u);
  return { cu, done };
}

// signInWithDevice signs in and expects no MFA: the library answers
// DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER itself.
async function signInWithDevice(storage, u, typed = u.username, flow = 'USER_SRP_AUTH') {
  const cu = user(storage, typed, flow);
  const before = await smsCount(u);
  const done = await step(cu, 'authenticateUser', new AuthenticationDetails({ Username: typed, Password: u.password }));
  const claims = await identityDone(done, pool, u);
  assert.equal(await smsCount(u), before, 'no MFA code was sent');
  return { cu, claims };
}

async function newUser(prefix) {
  const u = await makeUser(sdk, pool, prefix, { phone_number: '+15555550142', phone_number_verified: 'true' });
  await setMFA(sdk, pool, u, { sms: true, preferred: 'SMS' });
  return u;
}

// rememberedDevice signs a new user in, confirms and remembers the device.
async function rememberedDevice(prefix) {
  const u = await newUser(prefix);
  const storage = new SyncStorage();
  const { cu, done } = await signInWithMFA(storage, u);
  assert.equal(done.args[1], true, 'ConfirmDevice says the user must be asked (DeviceOnlyRememberedOnUserPrompt)');
  await step(cu, 'setDeviceStatusRemembered');
  return { u, storage, cu };
}

describe('amazon-cognito-identity-js remembered devices against the emulator', { timeout: 120_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    const devicePool = async (name, DeviceConfiguration) => {
      const p = await makePool(sdk, emu.url, name, {
        AliasAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false }, DeviceConfiguration,
      }, FLOWS);
      await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: p.id, MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: SMS_MFA_CONFIG }));
      return p;
    };
    prompt = await devicePool('devices-prompt', { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
    always = await devicePool('devices-always', { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false });
  });

  beforeEach(() => {
    pool = prompt;
  });

  after(async () => {
    await emu?.stop();
  });

  test('confirm, remember, then sign in through DEVICE_SRP_AUTH without MFA (SRP, alias, USER_PASSWORD_AUTH)', async () => {
    const u = await newUser('dev');
    const storage = new SyncStorage();
    const { cu, done } = await signInWithMFA(storage, u);
    assert.equal(done.args[1], true, 'UserConfirmationNecessary');
    const keys = storage.deviceKeys(u.username);
    assert.match(keys.deviceKey ?? '', /^us-east-1_[0-9a-f-]{36}$/, 'the library stored the device key');
    assert.ok(keys.deviceGroupKey && keys.randomPasswordKey, 'and the group key and device password');

    // Not remembered yet: the user's own GetDevice and ListDevices show
    // remembered devices only; AdminGetDevice shows it with its status.
    await rejectsWith(step(cu, 'getDevice'), ['ResourceNotFoundException']);
    assert.deepEqual((await step(cu, 'listDevices', 10, null)).args[0].Devices, []);
    const got = await sdk.send(new AdminGetDeviceCommand({ UserPoolId: pool.id, Username: u.username, DeviceKey: keys.deviceKey }));
    const attrs = Object.fromEntries(got.Device.DeviceAttributes.map((a) => [a.Name, a.Value]));
    assert.equal(attrs['dev:device_remembered_status'], 'not_remembered');
    assert.equal(attrs.device_status, 'valid');
    assert.ok(attrs.device_name, 'the library named the device (its user agent)');

    // Confirmed but not yet remembered: only tracked, so MFA as before
    // (and no new device: the library presented this one).
    const second = user(storage, u.username);
    const first = await step(second, 'authenticateUser', new AuthenticationDetails({ Username: u.username, Password: u.password }));
    assert.equal(first.kind, 'mfaRequired', 'a device that is not remembered does not skip MFA');
    const sent = await lastCode(emu.url, pool.id, u.username, 'SMS');
    const tracked = await identityDone(await step(second, 'sendMFACode', sent.code), pool, u);
    assert.equal(tracked.access.device_key, keys.deviceKey);
    assert.equal(storage.deviceKeys(u.username).deviceKey, keys.deviceKey, 'the library kept its device');

    await step(cu, 'setDeviceStatusRemembered');
    const listed = await step(cu, 'listDevices', 10, null);
    assert.equal(listed.args[0].Devices.length, 1);
    assert.equal(listed.args[0].Devices[0].DeviceKey, keys.deviceKey);
    const remembered = await step(cu, 'getDevice');
    assert.equal(remembered.args[0].Device.DeviceKey, keys.deviceKey);

    const { cu: signedIn, claims } = await signInWithDevice(storage, u);
    assert.equal(claims.access.device_key, keys.deviceKey, 'the access token names the device');
    // The refresh token is the device's: the library refreshes with its DEVICE_KEY.
    const renewed = await refresh(signedIn);
    const again = await pool.verifier.verify(
      { idToken: renewed.getIdToken().getJwtToken(), accessToken: renewed.getAccessToken().getJwtToken() },
      { clientId: pool.clientId, username: u.username, sub: u.sub },
    );
    assert.equal(again.access.device_key, keys.deviceKey);
    // The email alias in another letter case: the library keys its device
    // by USER_ID_FOR_SRP, the emulator by the user, so the device is found.
    await signInWithDevice(storage, u, u.email.toUpperCase());
    // USER_PASSWORD_AUTH sends DEVICE_KEY with the password and gets DEVICE_SRP_AUTH too.
    await signInWithDevice(storage, u, u.username, 'USER_PASSWORD_AUTH');
    const dev = await sdk.send(new AdminGetDeviceCommand({ UserPoolId: pool.id, Username: u.username, DeviceKey: keys.deviceKey }));
    assert.ok(dev.Device.DeviceLastAuthenticatedDate >= dev.Device.DeviceCreateDate, 'last authenticated is kept');
    assert.equal(Object.fromEntries(dev.Device.DeviceAttributes.map((a) => [a.Name, a.Value])).last_ip_used, '127.0.0.1');
  });

  test('forgetDevice: the library drops its keys and the next sign-in asks for MFA and gets a new device', async () => {
    const { u, storage, cu } = await rememberedDevice('forget');
    const old = storage.deviceKeys(u.username).deviceKey;
    await signInWithDevice(storage, u);
    await step(cu, 'forgetDevice');
    assert.equal(storage.deviceKeys(u.username).deviceKey, null, 'the library cleared its device keys');
    const { cu: again } = await signInWithMFA(storage, u);
    const fresh = storage.deviceKeys(u.username).deviceKey;
    assert.ok(fresh && fresh !== old, 'a new device was confirmed');
    await step(again, 'setDeviceStatusRemembered');
    const listed = await step(again, 'listDevices', 10, null);
    assert.deepEqual(listed.args[0].Devices.map((d) => d.DeviceKey), [fresh]);
  });

  test('a device forgotten elsewhere (AdminForgetDevice): "Device does not exist.", the library retries without it and MFA is asked', async () => {
    const { u, storage, cu } = await rememberedDevice('admin-forget');
    const { deviceKey } = storage.deviceKeys(u.username);
    await refresh(cu);
    await sdk.send(new AdminForgetDeviceCommand({ UserPoolId: pool.id, Username: u.username, DeviceKey: deviceKey }));
    // Forgetting a device ends its refresh tokens, as Cognito does.
    await rejectsWith(refresh(cu), ['NotAuthorizedException'], /^Invalid Refresh Token$/);
    await rejectsWith(sdk.send(new AdminGetDeviceCommand({ UserPoolId: pool.id, Username: u.username, DeviceKey: deviceKey })),
      ['ResourceNotFoundException'], /^Device does not exist\.$/);
    // The library still holds the key: the password step refuses it, the
    // library clears it and answers again on the same session, and MFA follows.
    await signInWithMFA(storage, u);
    assert.notEqual(storage.deviceKeys(u.username).deviceKey, deviceKey);
  });

  test("another user's device keys do not let a user skip MFA, and that device stays its owner's", async () => {
    const owner = await rememberedDevice('owner');
    const other = await newUser('other');
    const storage = new SyncStorage();
    storage.setDeviceKeys(other.username, owner.storage.deviceKeys(owner.u.username));
    await signInWithMFA(storage, other);
    const { Devices } = await sdk.send(new AdminListDevicesCommand({ UserPoolId: pool.id, Username: other.username }));
    assert.ok(!Devices.some((d) => d.DeviceKey === owner.storage.deviceKeys(owner.u.username).deviceKey));
    await signInWithDevice(owner.storage, owner.u);
  });

  test('a wrong device secret is refused at DEVICE_PASSWORD_VERIFIER', async () => {
    const { u, storage } = await rememberedDevice('wrong');
    const keys = storage.deviceKeys(u.username);
    storage.setDeviceKeys(u.username, { randomPasswordKey: `${keys.randomPasswordKey}x` });
    await rejectsWith(step(user(storage, u.username), 'authenticateUser', new AuthenticationDetails({ Username: u.username, Password: u.password })),
      ['NotAuthorizedException']);
    storage.setDeviceKeys(u.username, { deviceGroupKey: '-AAAAAAAA', randomPasswordKey: keys.randomPasswordKey });
    await rejectsWith(step(user(storage, u.username), 'authenticateUser', new AuthenticationDetails({ Username: u.username, Password: u.password })),
      ['NotAuthorizedException']);
    storage.setDeviceKeys(u.username, keys);
    await signInWithDevice(storage, u);
  });

  test('"Always remember": ConfirmDevice remembers at once, and the next sign-in skips MFA without setDeviceStatusRemembered', async () => {
    pool = always;
    const u = await newUser('always');
    const storage = new SyncStorage();
    const { done } = await signInWithMFA(storage, u);
    assert.equal(done.args[1], undefined, 'no UserConfirmationNecessary');
    await signInWithDevice(storage, u);
  });

  test('AdminUpdateDeviceStatus not_remembered brings MFA back; listDevices pages through two remembered devices', async () => {
    const { u, storage, cu } = await rememberedDevice('admin-status');
    const second = new SyncStorage();
    const { cu: other } = await signInWithMFA(second, u);
    await step(other, 'setDeviceStatusRemembered');
    const keys = [storage.deviceKeys(u.username).deviceKey, second.deviceKeys(u.username).deviceKey];
    const page1 = (await step(cu, 'listDevices', 1, null)).args[0];
    assert.equal(page1.Devices.length, 1);
    assert.ok(page1.PaginationToken, 'a second page');
    const page2 = (await step(cu, 'listDevices', 1, page1.PaginationToken)).args[0];
    assert.deepEqual([page1.Devices[0].DeviceKey, page2.Devices[0].DeviceKey].sort(), [...keys].sort());
    assert.equal(page2.PaginationToken, undefined, 'no third page');

    await sdk.send(new AdminUpdateDeviceStatusCommand({
      UserPoolId: pool.id, Username: u.username, DeviceKey: keys[0], DeviceRememberedStatus: 'not_remembered',
    }));
    const again = user(storage, u.username);
    const first = await step(again, 'authenticateUser', new AuthenticationDetails({ Username: u.username, Password: u.password }));
    assert.equal(first.kind, 'mfaRequired', 'a device no longer remembered does not skip MFA');
    await signInWithDevice(second, u);
  });
});

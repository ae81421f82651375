// Amplify JS v6's remembered devices against the emulator: the sign-in that
// gets NewDeviceMetadata confirms the device itself (ConfirmDevice), then
// rememberDevice / fetchDevices / forgetDevice, and a remembered device
// signs in through DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER without MFA.
// A device forgotten elsewhere makes Amplify drop its keys and ask for MFA.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { confirmSignIn, fetchAuthSession, fetchDevices, forgetDevice, rememberDevice, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { AdminForgetDeviceCommand, AdminListDevicesCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';

import { SMS_MFA_CONFIG, amplifyDone, setMFA, useAmplify } from './lib/clients.mjs';
import { PeekStorage, adminClient, lastCode, makePool, makeUser, outbox, startEmulator } from './lib/harness.mjs';

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

// Amplify names the device from navigator (userAgentData or userAgent), as
// a browser has it; Node 20 has no navigator, and without one Amplify's
// ConfirmDevice step fails silently and no device is remembered.
if (typeof globalThis.navigator === 'undefined') {
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Mozilla/5.0 (cognito-wasm reference test)' }, configurable: true });
}

let emu;
let sdk;
let pool;
let storage;

function deviceKeyStored(u) {
  return storage.m.get(`CognitoIdentityServiceProvider.${pool.clientId}.${u.username}.deviceKey`) ?? null;
}

async function smsCount(u) {
  return (await outbox(emu.url, pool.id, u.username)).filter((m) => m.medium === 'SMS').length;
}

async function newUser(prefix) {
  const u = await makeUser(sdk, pool, prefix, { phone_number: '+15555550143', phone_number_verified: 'true' });
  await setMFA(sdk, pool, u, { sms: true, preferred: 'SMS' });
  return u;
}

// signInWithMFA signs in through CONFIRM_SIGN_IN_WITH_SMS_CODE.
async function signInWithMFA(u, typed = u.username) {
  const before = await smsCount(u);
  const first = await signIn({ username: typed, password: u.password });
  assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE', `MFA asked, got ${JSON.stringify(first)}`);
  const sent = await lastCode(emu.url, pool.id, u.username, 'SMS', before);
  return amplifyDone(await confirmSignIn({ challengeResponse: sent.code }), pool, u);
}

// signInWithDevice expects Amplify to finish without MFA: its device answers
// DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER.
async function signInWithDevice(u, typed = u.username) {
  const before = await smsCount(u);
  const claims = await amplifyDone(await signIn({ username: typed, password: u.password }), pool, u);
  assert.equal(await smsCount(u), before, 'no MFA code was sent');
  return claims;
}

describe('Amplify JS v6 remembered devices against the emulator', { timeout: 120_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    pool = await makePool(sdk, emu.url, 'amplify-devices', {
      AliasAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false },
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    }, FLOWS);
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.id, MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: SMS_MFA_CONFIG }));
  });

  after(async () => {
    await emu?.stop();
  });

  beforeEach(() => {
    useAmplify(emu.url, pool);
    storage = new PeekStorage();
    cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
  });

  test('rememberDevice, fetchDevices, sign in again without MFA, forgetDevice and MFA again', async () => {
    const u = await newUser('amp-dev');
    await signInWithMFA(u);
    const key = deviceKeyStored(u);
    assert.match(key ?? '', /^us-east-1_[0-9a-f-]{36}$/, 'Amplify confirmed and stored the new device');
    // Confirmed, not yet remembered: fetchDevices lists remembered devices only.
    assert.deepEqual(await fetchDevices(), []);

    await rememberDevice();
    const devices = await fetchDevices();
    assert.equal(devices.length, 1);
    assert.equal(devices[0].id, key);
    assert.equal(devices[0].attributes['dev:device_remembered_status'], 'remembered');
    assert.ok(devices[0].name, 'the device has the name Amplify gave it');
    assert.ok(devices[0].createDate instanceof Date && devices[0].lastAuthenticatedDate instanceof Date);

    await signOut();
    const claims = await signInWithDevice(u);
    assert.equal(claims.access.device_key, key, 'the access token names the remembered device');
    // Amplify refreshes with the device's key (the refresh token is bound to it).
    const before = (await fetchAuthSession()).tokens.accessToken.toString();
    const { tokens } = await fetchAuthSession({ forceRefresh: true });
    assert.notEqual(tokens.accessToken.toString(), before, 'new tokens');
    assert.equal(tokens.accessToken.payload.device_key, key);
    await signOut();
    // By the email alias, in capitals: the device is the user's, whatever was typed.
    await signInWithDevice(u, u.email.toUpperCase());

    await forgetDevice();
    assert.equal(deviceKeyStored(u), null, 'Amplify dropped its device keys');
    assert.deepEqual(await fetchDevices(), []);
    await signOut();
    await signInWithMFA(u);
    const fresh = deviceKeyStored(u);
    assert.ok(fresh && fresh !== key, 'a new device was confirmed');
  });

  test('forgetDevice({device}) forgets another of the user\'s devices, by its id', async () => {
    const u = await newUser('amp-other');
    await signInWithMFA(u);
    await rememberDevice();
    const first = deviceKeyStored(u);
    await signOut();
    // A second browser: its own storage, so a second device.
    storage = new PeekStorage();
    cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
    await signInWithMFA(u);
    await rememberDevice();
    const second = deviceKeyStored(u);
    assert.notEqual(first, second);
    assert.deepEqual((await fetchDevices()).map((d) => d.id).sort(), [first, second].sort());
    await forgetDevice({ device: { id: first } });
    assert.deepEqual((await fetchDevices()).map((d) => d.id), [second]);
    assert.equal(deviceKeyStored(u), second, 'this browser keeps its own device');
  });

  test('a device forgotten elsewhere: "Device does not exist.", Amplify drops its keys, answers again and gets MFA', async () => {
    const u = await newUser('amp-gone');
    await signInWithMFA(u);
    await rememberDevice();
    const key = deviceKeyStored(u);
    await signOut();
    await sdk.send(new AdminForgetDeviceCommand({ UserPoolId: pool.id, Username: u.username, DeviceKey: key }));
    await signInWithMFA(u);
    const { Devices } = await sdk.send(new AdminListDevicesCommand({ UserPoolId: pool.id, Username: u.username }));
    assert.ok(!Devices.some((d) => d.DeviceKey === key), 'the forgotten device stays forgotten');
    assert.notEqual(deviceKeyStored(u), key);
    const { tokens } = await fetchAuthSession();
    assert.ok(tokens?.accessToken, 'signed in');
  });
});

// Amplify JS v6 through every MFA step against the emulator:
// CONFIRM_SIGN_IN_WITH_SMS_CODE / _TOTP_CODE / _EMAIL_CODE,
// CONTINUE_SIGN_IN_WITH_MFA_SELECTION, CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION,
// CONTINUE_SIGN_IN_WITH_TOTP_SETUP, CONTINUE_SIGN_IN_WITH_EMAIL_SETUP, and
// setUpTOTP / verifyTOTPSetup / updateMFAPreference after sign-in. SMS and
// email codes come from the emulator's outbox, TOTP codes are computed here.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  confirmSignIn, fetchMFAPreference, setUpTOTP, signIn, signOut, updateMFAPreference, verifyTOTPSetup,
} from 'aws-amplify/auth';
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';

import {
  EMAIL_MFA_CONFIG, SMS_MFA_CONFIG, amplifyDone, currentStep, nextTOTP, registerTOTP, setMFA, useAmplify, wrongCode,
} from './lib/clients.mjs';
import { adminClient, lastCode, makePool, makeUser, rejectsWith, startEmulator, totp } from './lib/harness.mjs';

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
// Users who must set MFA up have no email Cognito could send a code to yet.
const NO_EMAIL = { email: null, email_verified: null };

let emu;
let sdk;
let pools; // name -> { id, clientId, verifier }

async function mfaPool(name, config) {
  // Email MFA needs the Essentials plan or above.
  const pool = await makePool(sdk, emu.url, name, { UserPoolTier: 'ESSENTIALS' }, FLOWS);
  await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.id, ...config }));
  return pool;
}

describe('Amplify JS v6 MFA steps against the emulator', { timeout: 120_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    pools = {};
    pools.optional = await mfaPool('mfa-optional', {
      MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: SMS_MFA_CONFIG, SoftwareTokenMfaConfiguration: { Enabled: true },
      EmailMfaConfiguration: EMAIL_MFA_CONFIG,
    });
    pools.setupBoth = await mfaPool('mfa-setup-both', {
      MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: EMAIL_MFA_CONFIG,
    });
    pools.setupTOTP = await mfaPool('mfa-setup-totp', { MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
    pools.setupEmail = await mfaPool('mfa-setup-email', { MfaConfiguration: 'ON', EmailMfaConfiguration: EMAIL_MFA_CONFIG });
  });

  after(async () => {
    await emu?.stop();
  });

  beforeEach(() => useAmplify(emu.url, pools.optional));

  test('CONFIRM_SIGN_IN_WITH_SMS_CODE: SMS MFA after SRP, the code from the outbox; a wrong code can be retried', async () => {
    const pool = pools.optional;
    const u = await makeUser(sdk, pool, 'mfa-sms', { phone_number: '+15555550190', phone_number_verified: 'true' });
    await setMFA(sdk, pool, u, { sms: true, preferred: 'SMS' });
    const first = await signIn({ username: u.username, password: u.password });
    assert.equal(first.isSignedIn, false);
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
    assert.deepEqual(first.nextStep.codeDeliveryDetails, { deliveryMedium: 'SMS', destination: '+*******0190' });
    const sent = await lastCode(emu.url, pool.id, u.username, 'SMS');
    await rejectsWith(confirmSignIn({ challengeResponse: wrongCode(sent.code) }), ['CodeMismatchException']);
    await amplifyDone(await confirmSignIn({ challengeResponse: sent.code }), pool, u);
  });

  test('CONFIRM_SIGN_IN_WITH_TOTP_CODE: TOTP MFA after USER_PASSWORD_AUTH; the same code again is refused', async () => {
    const pool = pools.optional;
    const u = await makeUser(sdk, pool, 'mfa-totp');
    const { secret, usedStep } = await registerTOTP(sdk, pool, u);
    await setMFA(sdk, pool, u, { totp: true, preferred: 'TOTP' });
    const first = await signIn({ username: u.username, password: u.password, options: { authFlowType: 'USER_PASSWORD_AUTH' } });
    assert.deepEqual(first, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    const code = nextTOTP(secret, usedStep);
    await rejectsWith(confirmSignIn({ challengeResponse: totp(secret, currentStep() + 5) }), ['CodeMismatchException']);
    await amplifyDone(await confirmSignIn({ challengeResponse: code }), pool, u);

    useAmplify(emu.url, pool);
    assert.equal((await signIn({ username: u.username, password: u.password })).nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    await rejectsWith(confirmSignIn({ challengeResponse: code }), ['CodeMismatchException', 'ExpiredCodeException']);
  });

  test('CONFIRM_SIGN_IN_WITH_EMAIL_CODE: email MFA after the password', async () => {
    const pool = pools.optional;
    const u = await makeUser(sdk, pool, 'mfa-email');
    await setMFA(sdk, pool, u, { email: true, preferred: 'EMAIL' });
    const first = await signIn({ username: u.username, password: u.password });
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal(first.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    assert.match(first.nextStep.codeDeliveryDetails.destination, /^m\*\*\*@e\*\*\*/);
    const sent = await lastCode(emu.url, pool.id, u.username, 'EMAIL');
    assert.equal(sent.destination, u.email);
    await rejectsWith(confirmSignIn({ challengeResponse: wrongCode(sent.code) }), ['CodeMismatchException']);
    await amplifyDone(await confirmSignIn({ challengeResponse: sent.code }), pool, u);
  });

  test('CONTINUE_SIGN_IN_WITH_MFA_SELECTION: SMS, TOTP and email enabled, none preferred; each choice completes', async () => {
    const pool = pools.optional;
    const u = await makeUser(sdk, pool, 'mfa-select', { phone_number: '+15555550191', phone_number_verified: 'true' });
    const { secret, usedStep } = await registerTOTP(sdk, pool, u);
    await setMFA(sdk, pool, u, { sms: true, totp: true, email: true });
    for (const choice of ['EMAIL', 'SMS', 'TOTP']) {
      useAmplify(emu.url, pool);
      const first = await signIn({ username: u.username, password: u.password });
      assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION');
      assert.deepEqual([...first.nextStep.allowedMFATypes].sort(), ['EMAIL', 'SMS', 'TOTP']);
      const chosen = await confirmSignIn({ challengeResponse: choice });
      assert.equal(chosen.nextStep.signInStep, `CONFIRM_SIGN_IN_WITH_${choice}_CODE`);
      const code = choice === 'TOTP' ? nextTOTP(secret, usedStep) : (await lastCode(emu.url, pool.id, u.username, choice)).code;
      await amplifyDone(await confirmSignIn({ challengeResponse: code }), pool, u);
    }
  });

  test('CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION, then CONTINUE_SIGN_IN_WITH_TOTP_SETUP', async () => {
    const pool = pools.setupBoth;
    useAmplify(emu.url, pool);
    const u = await makeUser(sdk, pool, 'setup-totp', NO_EMAIL);
    const first = await signIn({ username: u.username, password: u.password });
    assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
    assert.deepEqual([...first.nextStep.allowedMFATypes].sort(), ['EMAIL', 'TOTP']);
    const setup = await confirmSignIn({ challengeResponse: 'TOTP' });
    assert.equal(setup.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const secret = setup.nextStep.totpSetupDetails.sharedSecret;
    assert.match(secret, /^[A-Z2-7]{16,}=*$/);
    const uri = setup.nextStep.totpSetupDetails.getSetupUri('Reference');
    assert.equal(uri.searchParams.get('secret'), secret);
    await rejectsWith(confirmSignIn({ challengeResponse: totp(secret, currentStep() + 5) }),
      ['EnableSoftwareTokenMFAException', 'CodeMismatchException']);
    await amplifyDone(await confirmSignIn({ challengeResponse: totp(secret) }), pool, u);
  });

  test('CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION, then CONTINUE_SIGN_IN_WITH_EMAIL_SETUP; email MFA is then asked for', async () => {
    const pool = pools.setupBoth;
    useAmplify(emu.url, pool);
    const u = await makeUser(sdk, pool, 'setup-email', NO_EMAIL);
    const first = await signIn({ username: u.username, password: u.password });
    assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
    const setup = await confirmSignIn({ challengeResponse: 'EMAIL' });
    assert.equal(setup.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP');
    const address = `mfa-${u.username}@example.org`;
    const code = await confirmSignIn({ challengeResponse: address });
    assert.equal(code.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const sent = await lastCode(emu.url, pool.id, u.username, 'EMAIL');
    assert.equal(sent.destination, address);
    await amplifyDone(await confirmSignIn({ challengeResponse: sent.code }), pool, u);

    await signOut();
    useAmplify(emu.url, pool);
    const again = await signIn({ username: u.username, password: u.password });
    assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  });

  test('CONTINUE_SIGN_IN_WITH_TOTP_SETUP directly when TOTP is the only MFA; the token is then asked for', async () => {
    const pool = pools.setupTOTP;
    useAmplify(emu.url, pool);
    const u = await makeUser(sdk, pool, 'setup-only');
    const first = await signIn({ username: u.username, password: u.password });
    assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const secret = first.nextStep.totpSetupDetails.sharedSecret;
    const usedStep = currentStep();
    await amplifyDone(await confirmSignIn({ challengeResponse: totp(secret, usedStep), options: { friendlyDeviceName: 'phone' } }), pool, u);

    await signOut();
    useAmplify(emu.url, pool);
    const again = await signIn({ username: u.username, password: u.password });
    assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    await amplifyDone(await confirmSignIn({ challengeResponse: nextTOTP(secret, usedStep) }), pool, u);
  });

  test('setUpTOTP, verifyTOTPSetup, updateMFAPreference and fetchMFAPreference after sign-in', async () => {
    const pool = pools.optional;
    const u = await makeUser(sdk, pool, 'after');
    await amplifyDone(await signIn({ username: u.username, password: u.password }), pool, u);
    assert.deepEqual(await fetchMFAPreference(), { enabled: undefined, preferred: undefined }, 'no MFA yet');
    const details = await setUpTOTP();
    const secret = details.sharedSecret;
    assert.match(secret, /^[A-Z2-7]{16,}=*$/);
    await rejectsWith(verifyTOTPSetup({ code: totp(secret, currentStep() + 5) }), ['EnableSoftwareTokenMFAException', 'CodeMismatchException']);
    const usedStep = currentStep();
    await verifyTOTPSetup({ code: totp(secret, usedStep), options: { friendlyDeviceName: 'laptop' } });
    await updateMFAPreference({ totp: 'PREFERRED' });
    assert.deepEqual(await fetchMFAPreference(), { enabled: ['TOTP'], preferred: 'TOTP' });

    await signOut();
    useAmplify(emu.url, pool);
    const again = await signIn({ username: u.username, password: u.password });
    assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    await amplifyDone(await confirmSignIn({ challengeResponse: nextTOTP(secret, usedStep) }), pool, u);

    // Turned off again, the next sign-in asks for nothing more.
    await updateMFAPreference({ totp: 'DISABLED' });
    assert.deepEqual(await fetchMFAPreference(), { enabled: undefined, preferred: undefined });
    await signOut();
    useAmplify(emu.url, pool);
    await amplifyDone(await signIn({ username: u.username, password: u.password }), pool, u);
  });

  test('a chain: NEW_PASSWORD_REQUIRED, then CONTINUE_SIGN_IN_WITH_TOTP_SETUP in a pool that requires MFA', async () => {
    const pool = pools.setupTOTP;
    useAmplify(emu.url, pool);
    const u = await makeUser(sdk, pool, 'chain-setup', {}, { permanent: false, password: 'Temp-Pw1!Chain' });
    const first = await signIn({ username: u.username, password: u.password });
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
    const setup = await confirmSignIn({ challengeResponse: 'New-Pw1!Chain' });
    assert.equal(setup.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    await amplifyDone(await confirmSignIn({ challengeResponse: totp(setup.nextStep.totpSetupDetails.sharedSecret) }), pool, u);
  });

  test('a chain: NEW_PASSWORD_REQUIRED, then CONFIRM_SIGN_IN_WITH_SMS_CODE for a user with SMS MFA', async () => {
    const pool = pools.optional;
    const u = await makeUser(sdk, pool, 'chain-sms', { phone_number: '+15555550192', phone_number_verified: 'true' },
      { permanent: false, password: 'Temp-Pw1!Chain' });
    await setMFA(sdk, pool, u, { sms: true, preferred: 'SMS' });
    const first = await signIn({ username: u.username, password: u.password });
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
    const code = await confirmSignIn({ challengeResponse: 'New-Pw1!Chain' });
    assert.equal(code.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
    const sent = await lastCode(emu.url, pool.id, u.username, 'SMS');
    await amplifyDone(await confirmSignIn({ challengeResponse: sent.code }), pool, u);
  });

  test('CONTINUE_SIGN_IN_WITH_EMAIL_SETUP directly when email is the only MFA', async () => {
    const pool = pools.setupEmail;
    useAmplify(emu.url, pool);
    const u = await makeUser(sdk, pool, 'setup-email-only', NO_EMAIL);
    const first = await signIn({ username: u.username, password: u.password });
    assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP');
    const address = `only-${u.username}@example.org`;
    const code = await confirmSignIn({ challengeResponse: address });
    assert.equal(code.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const sent = await lastCode(emu.url, pool.id, u.username, 'EMAIL');
    assert.equal(sent.destination, address);
    await amplifyDone(await confirmSignIn({ challengeResponse: sent.code }), pool, u);
  });
});

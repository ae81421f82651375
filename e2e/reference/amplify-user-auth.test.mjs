// Amplify JS v6 signs in with authFlowType USER_AUTH against the emulator:
// each first factor (PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP) as the
// preferredChallenge and through CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION.
// Codes come from the emulator's outbox.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { confirmSignIn, signIn } from 'aws-amplify/auth';

import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';

import { amplifyDone, nextTOTP, registerTOTP, setMFA, useAmplify, wrongCode } from './lib/clients.mjs';
import { adminClient, lastCode, makePool, makeUser, outbox, rejectsWith, startEmulator } from './lib/harness.mjs';

const FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const PHONE = { phone_number: '+15555550177', phone_number_verified: 'true' };

let emu;
let sdk;
let pool;

describe('Amplify JS v6 USER_AUTH against the emulator', { timeout: 90_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    // Choice-based sign-in needs the Essentials plan or above.
    pool = await makePool(sdk, emu.url, 'user-auth', {
      UserPoolTier: 'ESSENTIALS',
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] } },
    }, FLOWS, { PreventUserExistenceErrors: 'ENABLED' });
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.id, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  });

  after(async () => {
    await emu?.stop();
  });

  beforeEach(() => useAmplify(emu.url, pool));

  for (const preferredChallenge of ['PASSWORD', 'PASSWORD_SRP']) {
    test(`preferredChallenge ${preferredChallenge}: DONE in one signIn`, async () => {
      const u = await makeUser(sdk, pool, `ua-${preferredChallenge.toLowerCase()}`);
      const out = await signIn({ username: u.username, password: u.password, options: { authFlowType: 'USER_AUTH', preferredChallenge } });
      await amplifyDone(out, pool, u);
    });

    test(`preferredChallenge ${preferredChallenge}: a wrong password is NotAuthorizedException`, async () => {
      const u = await makeUser(sdk, pool, `ua-wrong-${preferredChallenge.toLowerCase()}`);
      await rejectsWith(signIn({ username: u.username, password: 'Wrong-Pw1!', options: { authFlowType: 'USER_AUTH', preferredChallenge } }),
        ['NotAuthorizedException'], /^Incorrect username or password\.$/);
    });
  }

  test('preferredChallenge EMAIL_OTP: the emailed code signs in; a wrong one is CodeMismatchException and can be retried', async () => {
    const u = await makeUser(sdk, pool, 'ua-email');
    const first = await signIn({ username: u.username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
    assert.equal(first.isSignedIn, false);
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal(first.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    assert.match(first.nextStep.codeDeliveryDetails.destination, /^u\*\*\*@e\*\*\*/);
    const sent = await lastCode(emu.url, pool.id, u.username, 'EMAIL');
    assert.equal(sent.destination, u.email);
    await rejectsWith(confirmSignIn({ challengeResponse: wrongCode(sent.code) }), ['CodeMismatchException']);
    await amplifyDone(await confirmSignIn({ challengeResponse: sent.code }), pool, u);
  });

  test('preferredChallenge SMS_OTP: the texted code signs in', async () => {
    const u = await makeUser(sdk, pool, 'ua-sms', PHONE);
    const first = await signIn({ username: u.username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'SMS_OTP' } });
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
    assert.deepEqual(first.nextStep.codeDeliveryDetails, { deliveryMedium: 'SMS', destination: '+*******0177' });
    const sent = await lastCode(emu.url, pool.id, u.username, 'SMS');
    assert.equal(sent.destination, PHONE.phone_number);
    await amplifyDone(await confirmSignIn({ challengeResponse: sent.code }), pool, u);
  });

  for (const choice of ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']) {
    test(`no preference: CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION, then ${choice}`, async () => {
      const u = await makeUser(sdk, pool, `ua-select-${choice.toLowerCase()}`, PHONE);
      const first = await signIn({ username: u.username, options: { authFlowType: 'USER_AUTH' } });
      assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
      for (const c of ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']) {
        assert.ok(first.nextStep.availableChallenges.includes(c), `${c} in ${first.nextStep.availableChallenges}`);
      }
      const before = (await outbox(emu.url, pool.id, u.username)).length;
      const chosen = await confirmSignIn({ challengeResponse: choice });
      if (choice.startsWith('PASSWORD')) {
        assert.equal(chosen.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_PASSWORD');
        await amplifyDone(await confirmSignIn({ challengeResponse: u.password }), pool, u);
      } else {
        const medium = choice === 'EMAIL_OTP' ? 'EMAIL' : 'SMS';
        assert.equal(chosen.nextStep.signInStep, `CONFIRM_SIGN_IN_WITH_${medium}_CODE`);
        assert.equal(chosen.nextStep.codeDeliveryDetails.deliveryMedium, medium);
        const sent = await lastCode(emu.url, pool.id, u.username, medium, before);
        await amplifyDone(await confirmSignIn({ challengeResponse: sent.code }), pool, u);
      }
    });
  }

  test('a client that does not allow USER_AUTH refuses it', async () => {
    const other = await makePool(sdk, emu.url, 'no-user-auth', { UserPoolTier: 'ESSENTIALS' }, ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    useAmplify(emu.url, other);
    const u = await makeUser(sdk, other, 'ua-notallowed');
    await rejectsWith(signIn({ username: u.username, password: u.password, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' } }),
      ['InvalidParameterException'], /not enabled for this client/);
  });

  test('a user with TOTP MFA: the PASSWORD first factor is followed by the TOTP code, a passwordless one is not', async () => {
    const u = await makeUser(sdk, pool, 'ua-mfa');
    const { secret, usedStep } = await registerTOTP(sdk, pool, u);
    await setMFA(sdk, pool, u, { totp: true, preferred: 'TOTP' });
    const first = await signIn({ username: u.username, password: u.password, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' } });
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    await amplifyDone(await confirmSignIn({ challengeResponse: nextTOTP(secret, usedStep) }), pool, u);

    // Cognito asks no MFA after a passwordless first factor.
    useAmplify(emu.url, pool);
    const otp = await signIn({ username: u.username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
    assert.equal(otp.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const sent = await lastCode(emu.url, pool.id, u.username, 'EMAIL');
    await amplifyDone(await confirmSignIn({ challengeResponse: sent.code }), pool, u);
  });

  test('an unknown user with PreventUserExistenceErrors gets the same EMAIL_OTP step, and no code opens it', async () => {
    const first = await signIn({ username: 'nobody@example.com', options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal(first.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    assert.deepEqual(await outbox(emu.url, pool.id, 'nobody@example.com'), [], 'nothing was sent');
    await rejectsWith(confirmSignIn({ challengeResponse: '123456' }), ['CodeMismatchException', 'NotAuthorizedException']);
  });
});

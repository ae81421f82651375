// Small drivers around AWS's clients, shared by the test files: promise
// wrappers for amazon-cognito-identity-js's callbacks, Amplify configured
// against one pool with a fresh token store, and MFA setup through the SDK.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';

import { Amplify } from 'aws-amplify';
import { fetchAuthSession, getCurrentUser } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { ConsoleLogger } from 'aws-amplify/utils';
import {
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';

import { MemoryStorage, totp } from './harness.mjs';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognitoIdentity;
const require = createRequire(import.meta.url);
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper').default;
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger').default;
const DateHelper = require('amazon-cognito-identity-js/lib/DateHelper').default;

// Amplify warns on every call that the endpoint is a custom one; that is the point here.
ConsoleLogger.LOG_LEVEL = 'ERROR';

export const SMS_MFA_CONFIG = {
  SmsAuthenticationMessage: 'Your code is {####}',
  SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/cognito-sms', ExternalId: 'cognito-wasm-reference' },
};
export const EMAIL_MFA_CONFIG = { Message: 'Your code is {####}', Subject: 'Your sign-in code' };

// useAmplify points Amplify at the emulator and one pool's app client, with
// a fresh token store so that no earlier sign-in is seen.
export function useAmplify(url, pool) {
  Amplify.configure({ Auth: { Cognito: { userPoolId: pool.id, userPoolClientId: pool.clientId, userPoolEndpoint: url } } });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
}

// amplifyDone asserts a finished Amplify sign-in and verifies the tokens it stored.
export async function amplifyDone(out, pool, u) {
  assert.deepEqual(out, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const { tokens } = await fetchAuthSession();
  assert.ok(tokens?.idToken && tokens?.accessToken, 'Amplify holds the tokens');
  const current = await getCurrentUser();
  assert.equal(current.username, u.username);
  assert.equal(current.userId, u.sub);
  return pool.verifier.verify(
    { idToken: tokens.idToken.toString(), accessToken: tokens.accessToken.toString() },
    { clientId: pool.clientId, username: u.username, sub: u.sub },
  );
}

// CALLBACKS marks where step puts the callback map when it is not the last
// argument (sendCustomChallengeAnswer(answer, callbacks, clientMetadata)).
export const CALLBACKS = Symbol('callbacks');

// step runs one amazon-cognito-identity-js call and resolves with the
// callback it ended in: { kind: 'onSuccess' | 'mfaRequired' | ..., args }.
export function step(user, method, ...args) {
  return new Promise((resolve, reject) => {
    const cb = {};
    for (const kind of ['onSuccess', 'newPasswordRequired', 'mfaRequired', 'totpRequired', 'customChallenge',
      'mfaSetup', 'selectMFAType', 'associateSecretCode']) {
      cb[kind] = (...a) => resolve({ kind, args: a });
    }
    cb.onFailure = (err) => reject(err);
    user[method](...(args.includes(CALLBACKS) ? args.map((a) => (a === CALLBACKS ? cb : a)) : [...args, cb]));
  });
}

export function cognitoUser(url, pool, username) {
  const userPool = new CognitoUserPool({ UserPoolId: pool.id, ClientId: pool.clientId, endpoint: url });
  return new CognitoUser({ Username: username, Pool: userPool });
}

export function details(username, password, clientMetadata) {
  return new AuthenticationDetails({ Username: username, Password: password, ClientMetadata: clientMetadata });
}

// identityDone verifies the tokens of a finished amazon-cognito-identity-js sign-in.
export async function identityDone(res, pool, u) {
  assert.equal(res.kind, 'onSuccess', `sign-in finished, got ${res.kind} ${JSON.stringify(res.args)}`);
  const session = res.args[0];
  assert.ok(session.isValid(), 'amazon-cognito-identity-js considers the session valid');
  assert.ok(session.getRefreshToken().getToken(), 'a refresh token');
  return pool.verifier.verify(
    { idToken: session.getIdToken().getJwtToken(), accessToken: session.getAccessToken().getJwtToken() },
    { clientId: pool.clientId, username: u.username, sub: u.sub },
  );
}

export function wrongCode(code) {
  return code === '000000' ? '111111' : '000000';
}

export function currentStep() {
  return Math.floor(Date.now() / 30_000);
}

// registerTOTP gives a user a verified software token through the SDK
// (AssociateSoftwareToken / VerifySoftwareToken with an access token) and
// returns the secret and the 30 s step whose code was used.
export async function registerTOTP(sdk, pool, u) {
  const auth = await sdk.send(new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH', ClientId: pool.clientId, AuthParameters: { USERNAME: u.username, PASSWORD: u.password },
  }));
  const AccessToken = auth.AuthenticationResult?.AccessToken;
  assert.ok(AccessToken, `signed in without MFA to register a token, got ${JSON.stringify(auth)}`);
  const { SecretCode } = await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken }));
  assert.match(SecretCode, /^[A-Z2-7]{16,}=*$/, 'the secret is base32');
  const usedStep = currentStep();
  const out = await sdk.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(SecretCode, usedStep), FriendlyDeviceName: 'reference' }));
  assert.equal(out.Status, 'SUCCESS');
  return { secret: SecretCode, usedStep };
}

// nextTOTP is a code for a step after the one already used (one step of
// drift is accepted), so a freshly registered token signs in at once.
export function nextTOTP(secret, usedStep) {
  return totp(secret, Math.max(usedStep + 1, currentStep()));
}

export async function setMFA(sdk, pool, u, { sms, totp: soft, email, preferred }) {
  const s = (on, name) => (on === undefined ? undefined : { Enabled: on, PreferredMfa: preferred === name });
  await sdk.send(new AdminSetUserMFAPreferenceCommand({
    UserPoolId: pool.id, Username: u.username,
    SMSMfaSettings: s(sms, 'SMS'), SoftwareTokenMfaSettings: s(soft, 'TOTP'), EmailMfaSettings: s(email, 'EMAIL'),
  }));
}

// srpProof does the client half of USER_SRP_AUTH with AWS's own
// AuthenticationHelper (from amazon-cognito-identity-js), for flows that
// library cannot carry itself (Admin operations, SECRET_HASH): srpA goes in
// AuthParameters.SRP_A, answer(challengeParameters, password) returns the
// PASSWORD_VERIFIER ChallengeResponses.
export function srpProof(poolId) {
  const poolName = poolId.split('_')[1];
  const helper = new AuthenticationHelper(poolName);
  return {
    srpA: helper.largeAValue.toString(16),
    answer(cp, password) {
      let key;
      helper.getPasswordAuthenticationKey(cp.USER_ID_FOR_SRP, password, new BigInteger(cp.SRP_B, 16), new BigInteger(cp.SALT, 16),
        (err, k) => { if (err) throw err; key = k; });
      const timestamp = new DateHelper().getNowString();
      const signature = createHmac('sha256', Buffer.from(key))
        .update(Buffer.concat([Buffer.from(poolName), Buffer.from(cp.USER_ID_FOR_SRP), Buffer.from(cp.SECRET_BLOCK, 'base64'), Buffer.from(timestamp)]))
        .digest('base64');
      return { USERNAME: cp.USERNAME, PASSWORD_CLAIM_SECRET_BLOCK: cp.SECRET_BLOCK, TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: signature };
    },
  };
}

// Users made by a seed file (the emulator's -seed, documented in
// emulator/seed.go) behave for Amplify JS v6 as users made through the API:
// a disabled user is refused, a FORCE_CHANGE_PASSWORD user is asked for a new
// password, a user seeded with a TOTP secret is asked for its code.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { confirmSignIn, signIn } from 'aws-amplify/auth';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';

import { amplifyDone, useAmplify } from './lib/clients.mjs';
import { adminClient, rejectsWith, startEmulator, tokenVerifier, totp } from './lib/harness.mjs';

const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const SEED = {
  userPools: [{
    id: 'us-east-1_refSeed01',
    name: 'reference-seed',
    mfaConfiguration: 'OPTIONAL',
    enabledMfas: ['SOFTWARE_TOKEN_MFA'],
    clients: [{
      id: 'refseedclient0000000000001',
      name: 'reference-seed',
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
    }],
    users: [
      { username: 'seed-disabled', password: 'Seed-Pw1!Disabled', enabled: false },
      { username: 'seed-newpw', password: 'Seed-Pw1!Temporary', status: 'FORCE_CHANGE_PASSWORD' },
      { username: 'seed-totp', password: 'Seed-Pw1!Totp', mfa: { totpSecret: TOTP_SECRET, preferred: 'SOFTWARE_TOKEN_MFA' } },
    ],
  }],
};

let emu;
let sdk;
let pool;

async function seeded(username) {
  const got = await sdk.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: username }));
  return { username, sub: got.UserAttributes.find((a) => a.Name === 'sub').Value, password: SEED.userPools[0].users.find((u) => u.username === username).password };
}

describe('seeded users through Amplify JS v6', { timeout: 60_000 }, () => {
  before(async () => {
    emu = await startEmulator({ seed: SEED });
    sdk = adminClient(emu.url);
    const p = SEED.userPools[0];
    pool = { id: p.id, clientId: p.clients[0].id, verifier: await tokenVerifier(emu.url, p.id) };
  });

  after(async () => {
    await emu?.stop();
  });

  beforeEach(() => useAmplify(emu.url, pool));

  for (const authFlowType of ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH']) {
    test(`a disabled user is NotAuthorizedException "User is disabled." (${authFlowType})`, async () => {
      const u = await seeded('seed-disabled');
      await rejectsWith(signIn({ username: u.username, password: u.password, options: { authFlowType } }),
        ['NotAuthorizedException'], /^User is disabled\.$/);
    });
  }

  test('a FORCE_CHANGE_PASSWORD user sets a new password', async () => {
    const u = await seeded('seed-newpw');
    const first = await signIn({ username: u.username, password: u.password });
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
    await amplifyDone(await confirmSignIn({ challengeResponse: 'Seed-Pw1!NewOne' }), pool, u);
  });

  test('a user seeded with a TOTP secret is asked for the code computed from it', async () => {
    const u = await seeded('seed-totp');
    const first = await signIn({ username: u.username, password: u.password });
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    await amplifyDone(await confirmSignIn({ challengeResponse: totp(TOTP_SECRET) }), pool, u);
  });
});

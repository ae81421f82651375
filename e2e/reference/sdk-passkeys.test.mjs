// The JS SDK v3's passkey operations against the emulator, with a Node
// software authenticator (lib/authenticator.mjs): WebAuthnConfiguration in
// Set/GetUserPoolMfaConfig, StartWebAuthnRegistration /
// CompleteWebAuthnRegistration / ListWebAuthnCredentials /
// DeleteWebAuthnCredential, and USER_AUTH sign-in with WEB_AUTHN, with the
// refusals Cognito names (origin, challenge, another user's passkey).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  CompleteWebAuthnRegistrationCommand, DeleteWebAuthnCredentialCommand, GetUserPoolMfaConfigCommand, InitiateAuthCommand,
  ListWebAuthnCredentialsCommand, RespondToAuthChallengeCommand, SetUserPoolMfaConfigCommand, StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';

import { SoftAuthenticator } from './lib/authenticator.mjs';
import { adminClient, makePool, makeUser, rejectsWith, startEmulator } from './lib/harness.mjs';

const FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const ORIGIN = 'http://localhost:5173';

let emu;
let sdk;
let pool;

async function passwordSignIn(u) {
  const out = await sdk.send(new InitiateAuthCommand({
    AuthFlow: 'USER_AUTH', ClientId: pool.clientId,
    AuthParameters: { USERNAME: u.username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: u.password },
  }));
  assert.ok(out.AuthenticationResult?.AccessToken, 'signed in with the password');
  return out.AuthenticationResult.AccessToken;
}

async function register(token, authenticator) {
  const { CredentialCreationOptions: options } = await sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }));
  await sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: authenticator.create(options) }));
  return options;
}

async function passkeyChallenge(u) {
  const out = await sdk.send(new InitiateAuthCommand({
    AuthFlow: 'USER_AUTH', ClientId: pool.clientId, AuthParameters: { USERNAME: u.username, PREFERRED_CHALLENGE: 'WEB_AUTHN' },
  }));
  assert.equal(out.ChallengeName, 'WEB_AUTHN');
  return { session: out.Session, options: JSON.parse(out.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS) };
}

const answer = (u, session, credential) => sdk.send(new RespondToAuthChallengeCommand({
  ClientId: pool.clientId, ChallengeName: 'WEB_AUTHN', Session: session,
  ChallengeResponses: { USERNAME: u.username, CREDENTIAL: JSON.stringify(credential) },
}));

describe('SDK v3 passkeys (WebAuthn) against the emulator', { timeout: 90_000 }, () => {
  before(async () => {
    emu = await startEmulator();
    sdk = adminClient(emu.url);
    pool = await makePool(sdk, emu.url, 'passkeys', {
      UserPoolTier: 'ESSENTIALS', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
    }, FLOWS);
  });

  after(async () => {
    await emu?.stop();
  });

  test('WebAuthnConfiguration: unset reports UserVerification preferred; registration then needs an RP ID; Set/Get round trip', async () => {
    const before = await sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.id }));
    assert.equal(before.WebAuthnConfiguration?.UserVerification, 'preferred');
    assert.equal(before.WebAuthnConfiguration?.RelyingPartyId, undefined);
    const u = await makeUser(sdk, pool, 'pk-config');
    const token = await passwordSignIn(u);
    await rejectsWith(sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: token })), ['WebAuthnConfigurationMissingException']);

    await sdk.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.id, MfaConfiguration: 'OFF', WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' },
    }));
    const after = await sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.id }));
    assert.equal(after.WebAuthnConfiguration.RelyingPartyId, 'localhost');
    assert.equal(after.WebAuthnConfiguration.UserVerification, 'required');
  });

  test('register, list, sign in with WEB_AUTHN, replay refused, delete', async () => {
    const u = await makeUser(sdk, pool, 'pk-main');
    const token = await passwordSignIn(u);
    const a = new SoftAuthenticator({ origin: ORIGIN });
    const options = await register(token, a);
    assert.equal(options.rp.id, 'localhost');
    assert.equal(options.user.name, u.username);
    assert.equal(options.authenticatorSelection.userVerification, 'required');
    assert.ok(options.pubKeyCredParams.some((p) => p.alg === -7), 'ES256 offered');

    const list = await sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }));
    assert.equal(list.Credentials.length, 1);
    const [cred] = list.Credentials;
    assert.equal(cred.CredentialId, a.id);
    assert.equal(cred.RelyingPartyId, 'localhost');
    assert.equal(cred.AuthenticatorAttachment, 'cross-platform');
    assert.deepEqual(cred.AuthenticatorTransports, ['usb']);
    assert.ok(cred.CreatedAt instanceof Date && Math.abs(cred.CreatedAt - Date.now()) < 600_000, 'CreatedAt is a recent date');
    assert.ok(cred.FriendlyCredentialName);

    const { session, options: requestOptions } = await passkeyChallenge(u);
    assert.equal(requestOptions.rpId, 'localhost');
    assert.deepEqual(requestOptions.allowCredentials.map((c) => c.id), [a.id]);
    const credential = a.get(requestOptions);
    const out = await answer(u, session, credential);
    await pool.verifier.verify({ idToken: out.AuthenticationResult.IdToken, accessToken: out.AuthenticationResult.AccessToken },
      { clientId: pool.clientId, username: u.username, sub: u.sub });
    // The same answer again, to its spent session and to a new sign-in.
    await rejectsWith(answer(u, session, credential), ['NotAuthorizedException'], /Invalid session/);
    const next = await passkeyChallenge(u);
    await rejectsWith(answer(u, next.session, credential), ['NotAuthorizedException']);

    await sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: token, CredentialId: a.id }));
    assert.equal((await sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }))).Credentials.length, 0);
    await rejectsWith(sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: token, CredentialId: a.id })), ['ResourceNotFoundException']);
  });

  test('refusals: a page on another origin, no user verification, another user\'s passkey', async () => {
    const u = await makeUser(sdk, pool, 'pk-refuse');
    const token = await passwordSignIn(u);
    const a = new SoftAuthenticator({ origin: ORIGIN });
    const { CredentialCreationOptions: options } = await sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }));
    await rejectsWith(sdk.send(new CompleteWebAuthnRegistrationCommand({
      AccessToken: token, Credential: a.create(options, { origin: 'https://evil.example.net' }),
    })), ['WebAuthnOriginNotAllowedException']);
    const noUV = new SoftAuthenticator({ origin: ORIGIN, uv: false });
    const again = await sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }));
    await rejectsWith(sdk.send(new CompleteWebAuthnRegistrationCommand({
      AccessToken: token, Credential: noUV.create(again.CredentialCreationOptions),
    })), ['WebAuthnCredentialNotSupportedException']);
    await register(token, a);

    const { session, options: requestOptions } = await passkeyChallenge(u);
    await rejectsWith(answer(u, session, a.get(requestOptions, { origin: 'https://evil.example.net' })), ['WebAuthnOriginNotAllowedException']);

    const other = await makeUser(sdk, pool, 'pk-other');
    const b = new SoftAuthenticator({ origin: ORIGIN });
    await register(await passwordSignIn(other), b);
    const c = await passkeyChallenge(u);
    await rejectsWith(answer(u, c.session, b.get(c.options)), ['NotAuthorizedException'], /not registered for this user/);
  });
});

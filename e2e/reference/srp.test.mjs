// AWS's own JavaScript clients against this project's Cognito emulator: the
// proof that the emulator speaks SRP, SECRET_HASH and JWTs as Cognito does.
//
// Run: cd e2e/reference && npm ci && NODE_NO_WARNINGS=1 node --test
// The emulator binary comes from $COGNITO_EMULATOR_BIN, else it is built from
// ./cmd/cognito-emulator into a temporary directory.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';

import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';

import { srpProof } from './lib/clients.mjs';
import { rejectsWith, secretHash, startEmulator } from './lib/harness.mjs';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognitoIdentity;

const REGION = 'us-east-1';

// The seeded pool, exactly as the emulator's seed-file contract describes it.
const SEED = {
  userPools: [{
    id: 'us-east-1_cwDemo001',
    name: 'demo',
    aliasAttributes: ['email'],
    usernameAttributes: [],
    clients: [{
      id: 'cognitowasmdemoclient00001',
      name: 'demo-web',
      secret: '',
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }],
    users: [{
      username: 'alice',
      password: 'Passw0rd!Demo',
      attributes: { email: 'alice@example.com', email_verified: 'true' },
    }],
  }],
};

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

// Users made through the SDK's Admin calls. Non-ASCII names and passwords
// check that both sides hash the same UTF-8 bytes.
const USERS = [
  { username: 'ref-ascii', password: 'Passw0rd!Ref', email: 'ascii@example.com' },
  { username: 'jürgen', password: 'Jürgen-Pässwort-1é', email: 'juergen@example.com' },
  { username: '名前', password: 'パスワードPw1!🔑', email: 'namae@example.com' },
  { username: 'émile', password: 'Émile😀Pw1!ça', email: 'emile@example.com' },
  { username: 'zoë_o.brien', password: 'Ünïcödé Pw1!', email: 'zoe@example.com' },
];
// Only ever tried with a wrong password, once, so lockout cannot touch others.
const VICTIM = { username: 'wrong-pw-victim', password: 'Right!Passw0rd', email: 'victim@example.com' };

let emu; // { url, proc, stderr, stop }
let sdk;
let pool; // { id, srpClient, legacyClient, secretClient: {id, secret} }
const subs = new Map(); // username -> sub, from AdminGetUser
const jwksCache = new Map();

// SRP traffic seen by amazon-cognito-identity-js (it calls the global fetch).
const srpWire = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, opts = {}) => {
  const res = await realFetch(url, opts);
  const target = opts.headers?.['X-Amz-Target'] ?? '';
  if (target.endsWith('.InitiateAuth') && res.ok) {
    const req = JSON.parse(opts.body);
    const body = await res.clone().json();
    if (req.AuthParameters?.SRP_A && body.ChallengeName === 'PASSWORD_VERIFIER') {
      srpWire.push({ username: req.AuthParameters.USERNAME, A: req.AuthParameters.SRP_A, params: body.ChallengeParameters });
    }
  }
  return res;
};

function b64urlJSON(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

async function jwks(poolId) {
  if (!jwksCache.has(poolId)) {
    const res = await realFetch(`${emu.url}/${poolId}/.well-known/jwks.json`);
    assert.equal(res.status, 200, `GET /${poolId}/.well-known/jwks.json`);
    const body = await res.json();
    assert.ok(Array.isArray(body.keys) && body.keys.length > 0, 'JWKS has keys');
    jwksCache.set(poolId, body);
  }
  return jwksCache.get(poolId);
}

// verifyJWT checks the RS256 signature against the pool's JWKS and returns the claims.
async function verifyJWT(token, poolId) {
  const parts = token.split('.');
  assert.equal(parts.length, 3, 'JWT has three parts');
  const header = b64urlJSON(parts[0]);
  assert.equal(header.alg, 'RS256');
  assert.ok(header.kid, 'JWT header has a kid');
  const jwk = (await jwks(poolId)).keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, `kid ${header.kid} is in the JWKS`);
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const ok = cryptoVerify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'));
  assert.ok(ok, 'JWT signature verifies against the JWKS');
  return b64urlJSON(parts[1]);
}

// checkTokens verifies both tokens and the claims AWS's clients and APIs rely on.
async function checkTokens({ idToken, accessToken }, { poolId, clientId, username }) {
  const iss = `https://cognito-idp.${poolId.split('_')[0]}.amazonaws.com/${poolId}`;
  const now = Math.floor(Date.now() / 1000);
  const sub = subs.get(`${poolId}/${username}`);
  assert.ok(sub, `sub of ${username} known`);

  const id = await verifyJWT(idToken, poolId);
  assert.equal(id.token_use, 'id');
  assert.equal(id.iss, iss);
  assert.equal(id.aud, clientId);
  assert.equal(id['cognito:username'], username);
  assert.equal(id.sub, sub);
  assert.ok(id.exp > now && id.iat <= now + 5, `id token times iat=${id.iat} exp=${id.exp} now=${now}`);

  const access = await verifyJWT(accessToken, poolId);
  assert.equal(access.token_use, 'access');
  assert.equal(access.iss, iss);
  assert.equal(access.client_id, clientId);
  assert.equal(access.username, username);
  assert.equal(access.sub, sub);
  assert.ok(access.exp > now && access.iat <= now + 5, `access token times iat=${access.iat} exp=${access.exp}`);
  return { id, access };
}

// srpSignIn is amazon-cognito-identity-js's default flow (USER_SRP_AUTH).
function srpSignIn({ poolId, clientId, username, password }) {
  const userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: emu.url });
  const user = new CognitoUser({ Username: username, Pool: userPool });
  assert.equal(user.getAuthenticationFlowType(), 'USER_SRP_AUTH');
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve(session),
      onFailure: (err) => reject(err),
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
      mfaRequired: () => reject(new Error('unexpected SMS_MFA')),
      totpRequired: () => reject(new Error('unexpected SOFTWARE_TOKEN_MFA')),
      customChallenge: () => reject(new Error('unexpected CUSTOM_CHALLENGE')),
      mfaSetup: () => reject(new Error('unexpected MFA_SETUP')),
      selectMFAType: () => reject(new Error('unexpected SELECT_MFA_TYPE')),
    });
  });
}

async function srpSignInChecked(poolId, clientId, u) {
  const session = await srpSignIn({ poolId, clientId, username: u.signInAs ?? u.username, password: u.password });
  assert.ok(session.isValid(), 'amazon-cognito-identity-js considers the session valid');
  const tokens = { idToken: session.getIdToken().getJwtToken(), accessToken: session.getAccessToken().getJwtToken() };
  assert.ok(session.getRefreshToken().getToken(), 'a refresh token');
  return checkTokens(tokens, { poolId, clientId, username: u.username });
}

async function createUser(poolId, u) {
  await sdk.send(new AdminCreateUserCommand({
    UserPoolId: poolId,
    Username: u.username,
    TemporaryPassword: 'Temp0rary!Pw',
    MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: u.email }, { Name: 'email_verified', Value: 'true' }],
  }));
  await sdk.send(new AdminSetUserPasswordCommand({
    UserPoolId: poolId, Username: u.username, Password: u.password, Permanent: true,
  }));
  const got = await sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: u.username }));
  assert.equal(got.Username, u.username);
  assert.equal(got.UserStatus, 'CONFIRMED');
  const sub = got.UserAttributes.find((a) => a.Name === 'sub')?.Value;
  assert.match(sub ?? '', /^[0-9a-f-]{36}$/, 'sub is a UUID');
  subs.set(`${poolId}/${u.username}`, sub);
}

async function createClient(poolId, name, extra) {
  const out = await sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: name, ExplicitAuthFlows: FLOWS, ...extra,
  }));
  return out.UserPoolClient;
}

describe('AWS JS clients against the cognito emulator', { timeout: 300_000 }, () => {
  before(async () => {
    emu = await startEmulator({ seed: SEED });
    sdk = new CognitoIdentityProviderClient({
      region: REGION,
      endpoint: emu.url,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      maxAttempts: 1,
    });

    const created = await sdk.send(new CreateUserPoolCommand({ PoolName: 'reference', AliasAttributes: ['email'] }));
    const poolId = created.UserPool.Id;
    assert.match(poolId, /^us-east-1_[0-9a-zA-Z]+$/, 'pool id has Cognito\'s shape');
    const srpClient = await createClient(poolId, 'srp', { PreventUserExistenceErrors: 'ENABLED' });
    const legacyClient = await createClient(poolId, 'legacy', { PreventUserExistenceErrors: 'LEGACY' });
    const secretClient = await createClient(poolId, 'with-secret', { GenerateSecret: true, PreventUserExistenceErrors: 'ENABLED' });
    assert.ok(!srpClient.ClientSecret, 'no secret unless asked');
    assert.ok(secretClient.ClientSecret, 'GenerateSecret gives a secret');
    pool = {
      id: poolId,
      srpClient: srpClient.ClientId,
      legacyClient: legacyClient.ClientId,
      secretClient: { id: secretClient.ClientId, secret: secretClient.ClientSecret },
    };
    for (const u of [...USERS, VICTIM]) await createUser(poolId, u);

    const seeded = await sdk.send(new AdminGetUserCommand({ UserPoolId: SEED.userPools[0].id, Username: 'alice' }));
    subs.set(`${SEED.userPools[0].id}/alice`, seeded.UserAttributes.find((a) => a.Name === 'sub')?.Value);
  });

  after(async () => {
    await emu?.stop();
  });

  test('ListUsers returns the created users by name', async () => {
    const out = await sdk.send(new ListUsersCommand({ UserPoolId: pool.id }));
    const names = out.Users.map((u) => u.Username).sort();
    assert.deepEqual(names, [...USERS, VICTIM].map((u) => u.username).sort());
  });

  test('SRP sign-in of the seeded user, by username and by email alias', async () => {
    const p = SEED.userPools[0];
    const alice = { username: 'alice', password: 'Passw0rd!Demo' };
    await srpSignInChecked(p.id, p.clients[0].id, alice);
    const { id } = await srpSignInChecked(p.id, p.clients[0].id, { ...alice, signInAs: 'alice@example.com' });
    assert.equal(id.email, 'alice@example.com');
  });

  test('SRP sign-in of every user, non-ASCII names and passwords included', async () => {
    for (const u of USERS) {
      await srpSignInChecked(pool.id, pool.srpClient, u);
    }
  });

  test('SRP sign-in by email alias: USER_ID_FOR_SRP is the username, not the alias', async () => {
    for (const u of USERS.slice(0, 3)) {
      srpWire.length = 0;
      await srpSignInChecked(pool.id, pool.srpClient, { ...u, signInAs: u.email });
      assert.equal(srpWire.length, 1, 'one PASSWORD_VERIFIER challenge seen');
      assert.equal(srpWire[0].username, u.email);
      assert.equal(srpWire[0].params.USER_ID_FOR_SRP, u.username);
      assert.equal(srpWire[0].params.USERNAME, u.username);
    }
  });

  test('20 SRP sign-ins in a row all pass, both Java-padding edges of A and B included', async (t) => {
    const RUNS = 20;
    srpWire.length = 0;
    for (let i = 0; i < RUNS; i++) {
      const u = USERS[i % USERS.length];
      await srpSignInChecked(pool.id, pool.srpClient, u);
    }
    const topBit = (h) => /^[89a-f]/i.test(h.length % 2 ? `0${h}` : h);
    const aTop = srpWire.filter((w) => topBit(w.A)).length;
    const bTop = srpWire.filter((w) => topBit(w.params.SRP_B)).length;
    const saltTop = srpWire.filter((w) => topBit(w.params.SALT)).length;
    assert.equal(srpWire.length, RUNS);
    // Each is a fair coin per sign-in; all-or-nothing in 20 happens with p = 2^-19.
    assert.ok(aTop > 0 && aTop < RUNS, `SRP_A with top bit set in ${aTop}/${RUNS}`);
    assert.ok(bTop > 0 && bTop < RUNS, `SRP_B with top bit set in ${bTop}/${RUNS}`);
    // Salts are per user (5 users): report, do not require.
    t.diagnostic(`top bit set: A ${aTop}/${RUNS}, B ${bTop}/${RUNS}, SALT ${saltTop}/${RUNS}`);
  });

  test('a wrong password is refused with NotAuthorizedException', async () => {
    await rejectsWith(srpSignIn({ poolId: pool.id, clientId: pool.srpClient, username: VICTIM.username, password: 'Wrong!Passw0rd' }),
      ['NotAuthorizedException'], /^Incorrect username or password\.$/);
  });

  test('an unknown user: NotAuthorizedException with PreventUserExistenceErrors, else UserNotFoundException', async () => {
    await rejectsWith(srpSignIn({ poolId: pool.id, clientId: pool.srpClient, username: 'nobody-here', password: 'Whatever!1' }),
      ['NotAuthorizedException'], /^Incorrect username or password\.$/);
    await rejectsWith(srpSignIn({ poolId: pool.id, clientId: pool.legacyClient, username: 'nobody-here', password: 'Whatever!1' }),
      ['UserNotFoundException']);
    // Real users still sign in through the LEGACY client.
    await srpSignInChecked(pool.id, pool.legacyClient, USERS[1]);
  });

  test('an unknown user with PreventUserExistenceErrors gets a PASSWORD_VERIFIER challenge of the same shape as a real one', async () => {
    const A = srpProof(pool.id).srpA;
    const challenge = (USERNAME) => sdk.send(new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH', ClientId: pool.srpClient, AuthParameters: { USERNAME, SRP_A: A },
    }));
    const real = await challenge(USERS[0].username);
    const fake = await challenge('nobody-at-all');
    assert.equal(fake.ChallengeName, 'PASSWORD_VERIFIER');
    assert.deepEqual(Object.keys(fake.ChallengeParameters).sort(), Object.keys(real.ChallengeParameters).sort());
    for (const k of ['SALT', 'SRP_B']) assert.match(fake.ChallengeParameters[k], /^[0-9a-f]+$/i, `${k} is hex`);
    assert.ok(fake.ChallengeParameters.SECRET_BLOCK.length > 100, 'a secret block');
    assert.equal(fake.ChallengeParameters.USER_ID_FOR_SRP, 'nobody-at-all');
  });

  test('amazon-cognito-identity-js: USER_PASSWORD_AUTH, then refreshSession with the refresh token', async () => {
    const u = USERS[3];
    const userPool = new CognitoUserPool({ UserPoolId: pool.id, ClientId: pool.srpClient, endpoint: emu.url });
    const user = new CognitoUser({ Username: u.username, Pool: userPool });
    user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    const session = await new Promise((resolve, reject) => {
      user.authenticateUser(new AuthenticationDetails({ Username: u.username, Password: u.password }), {
        onSuccess: resolve, onFailure: reject,
      });
    });
    const first = await checkTokens({ idToken: session.getIdToken().getJwtToken(), accessToken: session.getAccessToken().getJwtToken() },
      { poolId: pool.id, clientId: pool.srpClient, username: u.username });
    const refreshed = await new Promise((resolve, reject) => {
      user.refreshSession(session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s)));
    });
    assert.ok(refreshed.isValid());
    const second = await checkTokens({ idToken: refreshed.getIdToken().getJwtToken(), accessToken: refreshed.getAccessToken().getJwtToken() },
      { poolId: pool.id, clientId: pool.srpClient, username: u.username });
    assert.notEqual(second.access.jti, first.access.jti, 'a new access token');
  });

  test('SDK v3: USER_PASSWORD_AUTH then REFRESH_TOKEN_AUTH', async () => {
    for (const u of USERS.slice(0, 3)) {
      const out = await sdk.send(new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH', ClientId: pool.srpClient,
        AuthParameters: { USERNAME: u.username, PASSWORD: u.password },
      }));
      const r = out.AuthenticationResult;
      assert.ok(r, `tokens for ${u.username}, got ${JSON.stringify(out)}`);
      assert.equal(r.TokenType, 'Bearer');
      assert.ok(r.ExpiresIn > 0);
      assert.ok(r.RefreshToken);
      const first = await checkTokens({ idToken: r.IdToken, accessToken: r.AccessToken }, { poolId: pool.id, clientId: pool.srpClient, username: u.username });

      const ref = await sdk.send(new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: pool.srpClient, AuthParameters: { REFRESH_TOKEN: r.RefreshToken },
      }));
      const rr = ref.AuthenticationResult;
      assert.ok(rr?.AccessToken && rr?.IdToken, 'refresh gives new tokens');
      const second = await checkTokens({ idToken: rr.IdToken, accessToken: rr.AccessToken }, { poolId: pool.id, clientId: pool.srpClient, username: u.username });
      assert.notEqual(second.access.jti, first.access.jti, 'a new access token');
    }
    await rejectsWith(sdk.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: pool.srpClient,
      AuthParameters: { USERNAME: VICTIM.username, PASSWORD: 'Wrong!Again1' },
    })), ['NotAuthorizedException'], /^Incorrect username or password\.$/);
    await rejectsWith(sdk.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: pool.srpClient, AuthParameters: { REFRESH_TOKEN: 'not-a-refresh-token' },
    })), ['NotAuthorizedException']);
  });

  test('client with a secret: SECRET_HASH on USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH', async () => {
    const { id: clientId, secret } = pool.secretClient;
    const u = USERS[1];
    const out = await sdk.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId,
      AuthParameters: { USERNAME: u.username, PASSWORD: u.password, SECRET_HASH: secretHash(u.username, clientId, secret) },
    }));
    const r = out.AuthenticationResult;
    await checkTokens({ idToken: r.IdToken, accessToken: r.AccessToken }, { poolId: pool.id, clientId, username: u.username });

    const ref = await sdk.send(new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId,
      AuthParameters: { REFRESH_TOKEN: r.RefreshToken, SECRET_HASH: secretHash(u.username, clientId, secret) },
    }));
    await checkTokens({ idToken: ref.AuthenticationResult.IdToken, accessToken: ref.AuthenticationResult.AccessToken },
      { poolId: pool.id, clientId, username: u.username });

    await rejectsWith(sdk.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: u.username, PASSWORD: u.password },
    })), ['NotAuthorizedException']);
    await rejectsWith(sdk.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId,
      AuthParameters: { USERNAME: u.username, PASSWORD: u.password, SECRET_HASH: secretHash(u.username, clientId, 'wrong-secret') },
    })), ['NotAuthorizedException']);
  });

  test('client with a secret: SRP by AWS\'s AuthenticationHelper over SDK v3, signed in by email alias', async () => {
    // amazon-cognito-identity-js cannot send SECRET_HASH, so its SRP helper
    // does the math and the SDK carries it. The answer's SECRET_HASH uses the
    // USERNAME from the challenge, not the alias typed.
    const { id: clientId, secret } = pool.secretClient;
    const u = USERS[2];
    const proof = srpProof(pool.id);
    const init = await sdk.send(new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH', ClientId: clientId,
      AuthParameters: { USERNAME: u.email, SRP_A: proof.srpA, SECRET_HASH: secretHash(u.email, clientId, secret) },
    }));
    assert.equal(init.ChallengeName, 'PASSWORD_VERIFIER');
    const cp = init.ChallengeParameters;
    assert.equal(cp.USER_ID_FOR_SRP, u.username);
    const resp = await sdk.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', Session: init.Session,
      ChallengeResponses: { ...proof.answer(cp, u.password), SECRET_HASH: secretHash(cp.USERNAME, clientId, secret) },
    }));
    const r = resp.AuthenticationResult;
    assert.ok(r, `tokens, got ${JSON.stringify(resp)}`);
    await checkTokens({ idToken: r.IdToken, accessToken: r.AccessToken }, { poolId: pool.id, clientId, username: u.username });
  });
});

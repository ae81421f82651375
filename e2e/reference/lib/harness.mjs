// Shared by the reference tests: start the emulator, make pools, clients and
// users through the SDK's Admin calls, verify tokens with aws-jwt-verify,
// read codes from the outbox, compute TOTP codes, and serve Lambda triggers.
// Each test file starts its own emulator, so files are independent of each
// other and of demo/seed.json.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';

export const REGION = 'us-east-1';
export const ACCESS_KEY_ID = 'AKIDEXAMPLE';
export const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

let builtBin;
async function emulatorBin() {
  if (process.env.COGNITO_EMULATOR_BIN) return process.env.COGNITO_EMULATOR_BIN;
  if (!builtBin) {
    const dir = await mkdtemp(join(tmpdir(), 'cognito-ref-bin-'));
    builtBin = join(dir, 'cognito-emulator');
    await promisify(execFile)('go', ['build', '-o', builtBin, './cmd/cognito-emulator'], { cwd: repoRoot, timeout: 240_000 });
  }
  return builtBin;
}

// startEmulator runs the emulator on a free port with the extra flags given
// (and a seed, if any) and waits for its one stdout line.
export async function startEmulator({ args = [], seed } = {}) {
  const tmp = await mkdtemp(join(tmpdir(), 'cognito-ref-'));
  const argv = ['-addr', '127.0.0.1:0', ...args];
  if (seed) {
    const seedFile = join(tmp, 'seed.json');
    await writeFile(seedFile, JSON.stringify(seed));
    argv.push('-seed', seedFile);
  }
  const proc = spawn(await emulatorBin(), argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const lines = createInterface({ input: proc.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start in 30s; stderr:\n${stderr}`)), 30_000);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code} before listening; stderr:\n${stderr}`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^cognito-emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (m) resolve(m[1]);
      else reject(new Error(`unexpected first stdout line ${JSON.stringify(line)}`));
    });
  });
  return {
    url,
    proc,
    stderr: () => stderr,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

// adminClient is the SDK v3 client the tests use for setup, signed with SigV4.
export function adminClient(url, { accessKeyId = ACCESS_KEY_ID, secretAccessKey = SECRET_ACCESS_KEY } = {}) {
  return new CognitoIdentityProviderClient({
    region: REGION, endpoint: url, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1,
  });
}

export async function createPool(sdk, input) {
  const out = await sdk.send(new CreateUserPoolCommand({ PoolName: 'reference', ...input }));
  assert.match(out.UserPool.Id, /^us-east-1_[0-9a-zA-Z]+$/, 'pool id has Cognito\'s shape');
  return out.UserPool.Id;
}

export async function createClient(sdk, poolId, name, flows, extra = {}) {
  const out = await sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: name, ExplicitAuthFlows: flows, ...extra,
  }));
  return out.UserPoolClient;
}

// createUser makes a user through AdminCreateUser; with permanent it sets the
// password so the user is CONFIRMED, else the user keeps the temporary
// password in FORCE_CHANGE_PASSWORD. Returns the user's sub.
export async function createUser(sdk, poolId, { username, password, attributes = {}, permanent = true }) {
  await sdk.send(new AdminCreateUserCommand({
    UserPoolId: poolId,
    Username: username,
    TemporaryPassword: permanent ? 'Temp0rary!Pw' : password,
    MessageAction: 'SUPPRESS',
    UserAttributes: Object.entries(attributes).filter(([, v]) => v !== null).map(([Name, Value]) => ({ Name, Value })),
  }));
  if (permanent) {
    await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
  }
  const got = await sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  assert.equal(got.UserStatus, permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD');
  const sub = got.UserAttributes.find((a) => a.Name === 'sub')?.Value;
  assert.match(sub ?? '', /^[0-9a-f-]{36}$/, 'sub is a UUID');
  return sub;
}

// tokenVerifier verifies a pool's tokens with aws-jwt-verify against the
// JWKS the emulator serves, under the issuer real Cognito uses.
export async function tokenVerifier(url, poolId) {
  const res = await fetch(`${url}/${poolId}/.well-known/jwks.json`);
  assert.equal(res.status, 200, `GET /${poolId}/.well-known/jwks.json`);
  const jwks = await res.json();
  const verifiers = new Map();
  const verifierFor = (clientId, tokenUse) => {
    const key = `${clientId}/${tokenUse}`;
    if (!verifiers.has(key)) {
      const v = CognitoJwtVerifier.create({ userPoolId: poolId, clientId, tokenUse });
      v.cacheJwks(jwks);
      verifiers.set(key, v);
    }
    return verifiers.get(key);
  };
  return {
    // verify checks both tokens' signatures, issuer, audience, use and
    // expiry, and that they name the user; returns the payloads.
    async verify({ idToken, accessToken }, { clientId, username, sub }) {
      const id = await verifierFor(clientId, 'id').verify(String(idToken));
      const access = await verifierFor(clientId, 'access').verify(String(accessToken));
      assert.equal(id.iss, `https://cognito-idp.${REGION}.amazonaws.com/${poolId}`);
      assert.equal(id['cognito:username'], username);
      assert.equal(access.username, username);
      if (sub) {
        assert.equal(id.sub, sub);
        assert.equal(access.sub, sub);
      }
      return { id, access };
    },
  };
}

// outbox returns the codes the emulator "sent" to a user, newest last.
export async function outbox(url, poolId, username) {
  const q = new URLSearchParams({ userPoolId: poolId, username });
  const res = await fetch(`${url}/_dev/outbox?${q}`);
  assert.equal(res.status, 200, `GET /_dev/outbox: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

// lastCode is the newest code sent to the user by medium ("SMS" or "EMAIL"),
// asserting that one was sent after `since` entries.
export async function lastCode(url, poolId, username, medium, since = 0) {
  const box = await outbox(url, poolId, username);
  const sent = box.slice(since).filter((m) => m.medium === medium);
  assert.ok(sent.length > 0, `a ${medium} code was sent to ${username}; outbox: ${JSON.stringify(box)}`);
  const m = sent.at(-1);
  assert.match(m.code, /^\d{6,8}$/, 'the code is digits');
  return m;
}

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// totp is RFC 6238 (SHA-1, 6 digits, 30 s steps) for a base32 secret at a
// given time step.
export function totp(secret, step = Math.floor(Date.now() / 30_000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const n = (mac.readUInt32BE(off) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}

export function secretHash(username, clientId, secret) {
  return createHmac('sha256', secret).update(`${username}${clientId}`).digest('base64');
}

// rejectsWith awaits a call that must fail with one of the named errors
// (SDK v3 and Amplify use name, amazon-cognito-identity-js uses code).
export async function rejectsWith(promise, names, messageRe) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${names.join(' or ')}, but the call succeeded`);
  const name = err.code ?? err.name;
  assert.ok(names.includes(name), `error ${name}: ${err.message}; want ${names.join(' or ')}`);
  if (messageRe) assert.match(err.message, messageRe);
  return err;
}

// MemoryStorage is Amplify's KeyValueStorageInterface kept in a Map (m, which
// a test may read), one per test so that no sign-in leaks into the next.
export class MemoryStorage {
  m = new Map();
  async setItem(k, v) { this.m.set(k, v); }
  async getItem(k) { return this.m.has(k) ? this.m.get(k) : null; }
  async removeItem(k) { this.m.delete(k); }
  async clear() { this.m.clear(); }
}

// PeekStorage is MemoryStorage that also gets the refresh token Amplify
// keeps (fetchAuthSession does not return it).
export class PeekStorage extends MemoryStorage {
  refreshToken() {
    const keys = [...this.m.keys()].filter((k) => k.endsWith('.refreshToken'));
    assert.equal(keys.length, 1, `one refresh token stored (keys: ${[...this.m.keys()].join(', ')})`);
    return this.m.get(keys[0]);
  }
}

// lambdaServer speaks the Lambda Invoke API
// (POST /2015-03-31/functions/{name}/invocations) as `sam local start-lambda`
// does: each function name maps to a handler that gets Cognito's trigger
// event and returns the event to answer. Every invocation is recorded.
export async function lambdaServer(handlers) {
  const calls = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url.split('?')[0]);
    const send = (status, obj, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(obj));
    };
    if (req.method !== 'POST' || !m) return send(404, { Type: 'User', message: `no route ${req.method} ${req.url}` });
    const name = decodeURIComponent(m[1]);
    const handler = handlers[name];
    if (!handler) {
      return send(404, { Type: 'User', message: `Function not found: ${name}` }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
    }
    let event;
    try {
      event = JSON.parse(body);
    } catch {
      return send(400, { message: 'body is not JSON' }, { 'x-amzn-errortype': 'InvalidRequestContentException' });
    }
    calls.push({ name, event: structuredClone(event) });
    try {
      send(200, await handler(event));
    } catch (e) {
      // A function error, as Lambda reports one: 200 with X-Amz-Function-Error.
      send(200, { errorType: 'Error', errorMessage: e.message }, { 'x-amz-function-error': 'Unhandled' });
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    calls,
    close: () => new Promise((r) => server.close(r)),
  };
}

// customAuthTriggers are the Define, Create and Verify Auth Challenge
// triggers of the tests' CUSTOM_AUTH: after SRP_A (CUSTOM_WITH_SRP) ask for
// PASSWORD_VERIFIER, then pose "a + b" as a CUSTOM_CHALLENGE; issue tokens
// on a right sum, pose a new sum after a wrong one, fail after three wrong.
// Names are the function names in LAMBDA_ARNS.
export const LAMBDA_ARNS = {
  DefineAuthChallenge: 'arn:aws:lambda:us-east-1:123456789012:function:ref-define',
  CreateAuthChallenge: 'arn:aws:lambda:us-east-1:123456789012:function:ref-create',
  VerifyAuthChallengeResponse: 'arn:aws:lambda:us-east-1:123456789012:function:ref-verify',
};

export const customAuthTriggers = {
  'ref-define': (event) => {
    const session = event.request.session ?? [];
    const last = session.at(-1);
    const wrong = session.filter((c) => c.challengeName === 'CUSTOM_CHALLENGE' && !c.challengeResult).length;
    const r = { issueTokens: false, failAuthentication: false };
    if (event.request.userNotFound) {
      r.failAuthentication = true;
    } else if (!last) {
      r.challengeName = 'CUSTOM_CHALLENGE';
    } else if (last.challengeName === 'SRP_A') {
      r.challengeName = 'PASSWORD_VERIFIER';
    } else if (last.challengeName === 'PASSWORD_VERIFIER') {
      if (last.challengeResult) r.challengeName = 'CUSTOM_CHALLENGE';
      else r.failAuthentication = true;
    } else if (last.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult) {
      r.issueTokens = true;
    } else if (wrong >= 3) {
      r.failAuthentication = true;
    } else {
      r.challengeName = 'CUSTOM_CHALLENGE';
    }
    return { ...event, response: r };
  },
  'ref-create': (event) => {
    const n = (event.request.session ?? []).length;
    const a = 3 + n;
    const b = 4 + 2 * n;
    return {
      ...event,
      response: {
        publicChallengeParameters: { question: `${a} + ${b}`, a: String(a), b: String(b) },
        privateChallengeParameters: { answer: String(a + b) },
        challengeMetadata: `SUM-${n}`,
      },
    };
  },
  'ref-verify': (event) => ({
    ...event,
    response: { answerCorrect: event.request.challengeAnswer === event.request.privateChallengeParameters.answer },
  }),
};

// answerFor is the right answer to the triggers' challenge parameters.
export function answerFor(params) {
  return String(Number(params.a) + Number(params.b));
}

let userSeq = 0;

// makeUser creates a fresh user in a pool (CONFIRMED, or FORCE_CHANGE_PASSWORD
// with permanent: false) with a verified email (an attribute given as null is
// left out), so that no test's lockout, used codes or MFA state reaches
// another. Returns {username, password, email, sub}.
export async function makeUser(sdk, pool, prefix, attributes = {}, { permanent = true, password } = {}) {
  userSeq += 1;
  const u = {
    username: `${prefix}-${userSeq}`,
    password: password ?? `Pw-${userSeq}!Reference1`,
    email: `${prefix}-${userSeq}@example.com`,
  };
  u.sub = await createUser(sdk, pool.id, {
    username: u.username, password: u.password, permanent,
    attributes: { email: u.email, email_verified: 'true', ...attributes },
  });
  return u;
}

// makePool creates a pool and one app client allowing `flows`, and returns
// {id, clientId, clientSecret, verifier}.
export async function makePool(sdk, url, name, poolInput = {}, flows = [], clientInput = {}) {
  const id = await createPool(sdk, { PoolName: name, ...poolInput });
  const client = await createClient(sdk, id, name, flows, clientInput);
  return { id, clientId: client.ClientId, clientSecret: client.ClientSecret, verifier: await tokenVerifier(url, id) };
}

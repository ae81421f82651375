// srp-bench-browser.mjs: the same bench as srp-bench.mjs (srp-core.mjs), run
// inside headless Chromium: the Go wasm loaded with the toolchain's
// wasm_exec.js, AWS's helper from amazon-cognito-identity-js's own browser
// build (dist/amazon-cognito-identity.min.js), both in one page.
//
// usage: node bench/srp-bench-browser.mjs --wasm PATH/srpbench.wasm [--n 20] [--warmup 3] [--chromium /usr/bin/chromium]
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { formatReport } from './srp-core.mjs';

const { values: opts } = parseArgs({
  options: {
    wasm: { type: 'string' },
    n: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});
const n = Number(opts.n);
const warmup = Number(opts.warmup);
if (!opts.wasm || !(n >= 1) || !(warmup >= 0)) {
  console.error('usage: node bench/srp-bench-browser.mjs --wasm PATH/srpbench.wasm [--n 20 (>= 1)] [--warmup 3] [--chromium PATH]');
  process.exit(2);
}

const require = createRequire(new URL('../e2e/reference/package.json', import.meta.url));
const awsDist = require.resolve('amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js');
const awsVersion = require('amazon-cognito-identity-js/package.json').version;
const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();

const page = `<!doctype html>
<meta charset="utf-8"><title>srp bench</title>
<script src="/aws.js"></script>
<script src="/wasm_exec.js"></script>
<script type="module">
import { runBench } from '/srp-core.mjs';
const post = (body) => fetch('/result', { method: 'POST', body: JSON.stringify(body) });
try {
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch('/srpbench.wasm'), go.importObject);
  go.run(instance);
  const r = runBench({
    goSrp: globalThis.cognitoSrpBench,
    AuthenticationHelper: AmazonCognitoIdentity.AuthenticationHelper,
    randomBytes: (k) => crypto.getRandomValues(new Uint8Array(k)),
    now: () => performance.now(),
    n: ${n}, warmup: ${warmup},
  });
  await post({ ok: true, r, ua: navigator.userAgent });
} catch (e) {
  await post({ ok: false, error: String((e && e.stack) || e) });
}
</script>`;

const files = {
  '/': ['text/html; charset=utf-8', () => page],
  '/aws.js': ['text/javascript', () => readFileSync(awsDist)],
  '/wasm_exec.js': ['text/javascript', () => readFileSync(join(goroot, 'lib', 'wasm', 'wasm_exec.js'))],
  '/srp-core.mjs': ['text/javascript', () => readFileSync(new URL('./srp-core.mjs', import.meta.url))],
  '/srpbench.wasm': ['application/wasm', () => readFileSync(opts.wasm)],
};

let settle;
const result = new Promise((resolve, reject) => { settle = { resolve, reject }; });
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/result') {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      res.end('ok');
      try {
        settle.resolve(JSON.parse(body));
      } catch (e) {
        settle.reject(e);
      }
    });
    return;
  }
  const f = files[req.url];
  if (req.method !== 'GET' || !f) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': f[0], 'Cache-Control': 'no-store' }).end(f[1]());
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const profile = await mkdtemp(join(tmpdir(), 'srp-bench-chromium-'));
const chromium = spawn(opts.chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', `--user-data-dir=${profile}`, url,
], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
let chromiumErr = '';
chromium.stderr.on('data', (d) => { chromiumErr += d; });
chromium.once('exit', (code) => settle.reject(new Error(`chromium exited (${code}) before the bench finished:\n${chromiumErr}`)));
const timer = setTimeout(() => settle.reject(new Error('the page did not report within 10 minutes')), 600_000);

let rc = 0;
try {
  const out = await result;
  if (!out.ok) throw new Error(`in the page: ${out.error}`);
  const version = /Chrom(?:e|ium)\/[\d.]+/.exec(out.ua)?.[0] ?? out.ua;
  console.log(formatReport(out.r, `headless ${version}, amazon-cognito-identity-js ${awsVersion} (dist build)`));
} catch (e) {
  console.error(`srp-bench-browser: ${e.message}`);
  rc = 1;
} finally {
  clearTimeout(timer);
  chromium.removeAllListeners('exit');
  if (chromium.exitCode === null) {
    const exited = new Promise((r) => chromium.once('exit', r));
    process.kill(-chromium.pid, 'SIGTERM'); // the process group of the Chromium started above
    await exited;
  }
  server.close();
  await rm(profile, { recursive: true, force: true });
}
process.exit(rc);

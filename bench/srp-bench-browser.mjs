// srp-bench-browser.mjs: the same bench as srp-bench.mjs (srp-core.mjs), run
// inside headless Chromium: the Go wasm loaded with the toolchain's
// wasm_exec.js, AWS's helper from amazon-cognito-identity-js's own browser
// build (dist/amazon-cognito-identity.min.js), both in one page.
//
// usage: node bench/srp-bench-browser.mjs --wasm PATH/srpbench.wasm [--n 20] [--warmup 3] [--chromium /usr/bin/chromium]
//   [--native PATH: bench/srpnative built; the page asks the server to run it between its own runs]
// With BENCH_RESULTS set it records target 1's figures (bench/lib/results.mjs).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { runInChromium } from './page-harness.mjs';
import { record } from './lib/results.mjs';
import { formatReport, recordFigures } from './srp-core.mjs';

const { values: opts } = parseArgs({
  options: {
    wasm: { type: 'string' },
    n: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    native: { type: 'string' }, // bench/srpnative built, for the figure against native Go
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});
// nativeMs runs bench/srpnative (--native) for one timed client computation
// after one untimed, and returns the milliseconds it measured.
const nativeMs = opts.native ? () => {
  const ms = JSON.parse(execFileSync(opts.native, ['-n', '1', '-warmup', '1'], { encoding: 'utf8' })).ms;
  if (!(ms > 0)) throw new Error(`${opts.native} printed no figure`);
  return ms;
} : undefined;
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
// A synchronous request, so that the bench loop stays synchronous: the server
// runs native Go once and answers the milliseconds it measured.
const nativeMs = () => {
  const x = new XMLHttpRequest();
  x.open('GET', '/native', false);
  x.send();
  if (x.status !== 200) throw new Error('/native: ' + x.status + ' ' + x.responseText);
  return Number(x.responseText);
};
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
    native: ${opts.native ? 'nativeMs' : 'undefined'},
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
  '/srp-ref-bigint.mjs': ['text/javascript', () => readFileSync(new URL('./srp-ref-bigint.mjs', import.meta.url))],
  '/srpbench.wasm': ['application/wasm', () => readFileSync(opts.wasm)],
  ...(nativeMs ? { '/native': ['text/plain', () => String(nativeMs())] } : {}),
};

let rc = 0;
try {
  const out = await runInChromium({ chromium: opts.chromium, files, name: 'srp-bench' });
  if (!out.ok) throw new Error(`in the page: ${out.error}`);
  const version = /Chrom(?:e|ium)\/[\d.]+/.exec(out.ua)?.[0] ?? out.ua;
  console.log(formatReport(out.r, `headless ${version}, amazon-cognito-identity-js ${awsVersion} (dist build)`));
  recordFigures(record, out.r, 'Chromium');
} catch (e) {
  console.error(`srp-bench-browser: ${e.message}`);
  rc = 1;
}
process.exit(rc);

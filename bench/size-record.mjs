// size-record.mjs: the shipped wasm module's raw, gzip and brotli sizes
// (brotli at quality 11 with a 16 MB window, as a server precompresses;
// gzip at level 9), printed and recorded as target 3's figure: at most
// 1.65 MB brotli with the SDK kept (stretch 1.0 MB).
//   node bench/size-record.mjs path/to/cognito-wasm.wasm
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { record } from './lib/results.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/size-record.mjs cognito-wasm.wasm');
  process.exit(2);
}
const raw = readFileSync(file);
const gzip = gzipSync(raw, { level: 9 }).length;
const brotli = brotliCompressSync(raw, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
    [constants.BROTLI_PARAM_LGWIN]: 24,
    [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
  },
}).length;
const MB = (n) => +(n / 1e6).toFixed(3);
const goal = 1.65;
console.log(`${file}: ${MB(raw.length)} MB raw, ${MB(gzip)} MB gzip -9, ${MB(brotli)} MB brotli q11 (goal <= ${goal} MB, stretch 1.0 MB)`);
record({
  target: '3',
  figure: 'shipped cognito-wasm.wasm, brotli q11 (SDK types, signer and retryer kept)',
  value: MB(brotli),
  unit: 'MB',
  reference: null,
  ratio: null,
  goal: `<= ${goal} MB brotli (stretch 1.0)`,
  met: MB(brotli) <= goal,
  note: `raw ${MB(raw.length)} MB, gzip -9 ${MB(gzip)} MB; before issue 6: 14.04 MB raw, 2.46 MB brotli`,
});

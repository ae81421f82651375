// table.mjs: prints the JSON lines benches wrote (bench/lib/results.mjs) as
// one table: each figure's median, the reference's, the ratio and the target.
// usage: node bench/table.mjs RESULTS_FILE
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/table.mjs RESULTS_FILE');
  process.exit(2);
}
const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const num = (v) => (typeof v !== 'number' ? '-' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(3));
const cells = [['target', 'figure', 'value', 'reference', 'ratio', 'goal', 'met', 'note']];
for (const r of rows) {
  cells.push([
    String(r.target), r.figure, `${num(r.value)} ${r.unit}`, r.reference == null ? '-' : `${num(r.reference)} ${r.unit}`,
    r.ratio == null ? '-' : `${num(r.ratio)}x`, r.goal, r.met ? 'yes' : 'NO', r.note || '',
  ]);
}
const widths = cells[0].map((_, i) => Math.max(...cells.map((c) => c[i].length)));
for (const [i, c] of cells.entries()) {
  console.log(c.map((s, j) => s.padEnd(widths[j])).join(' | ').trimEnd());
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
}
const missed = rows.filter((r) => !r.met).length;
console.log(`\n${rows.length} figures, ${rows.length - missed} met, ${missed} not met`);

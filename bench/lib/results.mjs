// results.mjs: the one format every bench reports in, so that `make bench`
// prints a single table (bench/table.mjs). When BENCH_RESULTS names a file,
// record() appends one JSON line to it; it always returns the line's object.
import { appendFileSync } from 'node:fs';

// record({target, figure, value, unit, reference, ratio, goal, met, note}):
// target is the target ("1".."6" or "ship"); value and reference are
// medians in unit; ratio is value/reference (computed here when both are
// numbers and ratio is left out); met is the bench's own verdict.
export function record(r) {
  const line = { ...r };
  if (line.ratio === undefined) {
    line.ratio = typeof line.value === 'number' && typeof line.reference === 'number' && line.reference !== 0
      ? line.value / line.reference : null;
  }
  for (const k of ['target', 'figure', 'value', 'unit', 'goal', 'met']) {
    if (line[k] === undefined) throw new Error(`bench result is missing ${k}: ${JSON.stringify(r)}`);
  }
  if (process.env.BENCH_RESULTS) appendFileSync(process.env.BENCH_RESULTS, JSON.stringify(line) + '\n');
  return line;
}

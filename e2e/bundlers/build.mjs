// Builds app/ for production with each pinned bundler, as a new user would
// with the defaults, into one folder per build under the given directory:
//   vite/         `vite build` (it emits the .wasm and wasm_exec.js itself)
//   webpack/      webpack in production mode (the same, as asset and chunk)
//   esbuild-esm/  an ESM bundle; the .wasm copied next to it (esbuild emits no
//                 files for new URL(..., import.meta.url))
//   esbuild-iife/ an IIFE bundle run by <script src>, the .wasm next to it
//   esbuild-iife-wasmurl/ the same bundle with the .wasm renamed elsewhere,
//                 which only loadCognitoWasm({wasmUrl}) can find; and
//                 no-base.html, the bundle inline, where nothing tells
// Usage: node build.mjs OUTDIR
import { build as viteBuild } from "vite";
import * as esbuild from "esbuild";
import webpack from "webpack";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, "out"));
rmSync(out, { recursive: true, force: true });
// The .wasm as the package exports it, which esbuild users copy by hand.
const wasm = createRequire(import.meta.url).resolve("cognito-wasm/cognito-wasm.wasm");

const page = (script) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cognito-wasm from a bundle</title></head>
<body><p>A production build that signs in with cognito-wasm.</p>
${script}
</body></html>
`;

const timings = {};
async function timed(name, f) {
  const t0 = performance.now();
  await f();
  timings[name] = Math.round(performance.now() - t0);
}

await timed("vite", () =>
  viteBuild({ root: join(here, "app"), logLevel: "warn", build: { outDir: join(out, "vite"), emptyOutDir: true } }),
);

await timed("webpack", async () => {
  const stats = await new Promise((resolve, reject) =>
    webpack(
      {
        mode: "production",
        context: here,
        entry: "./app/main.js",
        output: { path: join(out, "webpack"), filename: "app.[contenthash].js", clean: true },
        performance: { hints: false }, // the .wasm is big on purpose
      },
      (err, stats) => (err ? reject(err) : resolve(stats)),
    ),
  );
  if (stats.hasErrors() || stats.hasWarnings()) {
    const info = stats.toJson({ all: false, errors: true, warnings: true });
    for (const w of info.warnings) console.warn(`webpack: ${w.message}`);
    if (stats.hasErrors()) throw new Error(`webpack: ${info.errors.map((e) => e.message).join("\n")}`);
  }
  const main = stats.toJson({ all: false, assets: true }).assetsByChunkName.main[0];
  writeFileSync(join(out, "webpack", "index.html"), page(`<script src="${main}"></script>`));
});

async function esbuildApp(format, dir) {
  const result = await esbuild.build({
    entryPoints: [join(here, "app", "main.js")],
    bundle: true,
    minify: true,
    format,
    platform: "browser",
    outfile: join(out, dir, "app.js"),
    logLevel: "silent",
  });
  // The one warning expected: an IIFE has an empty import.meta, which the
  // shim handles. Any other is printed.
  for (const w of result.warnings) {
    if (!(format === "iife" && w.id === "empty-import-meta")) console.warn(`esbuild ${format}: ${w.text}`);
  }
}

await timed("esbuild-esm", async () => {
  await esbuildApp("esm", "esbuild-esm");
  copyFileSync(wasm, join(out, "esbuild-esm", "cognito-wasm.wasm"));
  writeFileSync(join(out, "esbuild-esm", "index.html"), page('<script type="module" src="app.js"></script>'));
});

await timed("esbuild-iife", async () => {
  await esbuildApp("iife", "esbuild-iife");
  copyFileSync(wasm, join(out, "esbuild-iife", "cognito-wasm.wasm"));
  writeFileSync(join(out, "esbuild-iife", "index.html"), page('<script src="app.js"></script>'));

  const other = join(out, "esbuild-iife-wasmurl");
  mkdirSync(join(other, "assets"), { recursive: true });
  copyFileSync(join(out, "esbuild-iife", "app.js"), join(other, "app.js"));
  copyFileSync(wasm, join(other, "assets", "cognito-wasm.0123abcd.wasm"));
  writeFileSync(join(other, "index.html"), page('<script src="app.js"></script>'));
  const inline = readFileSync(join(other, "app.js"), "utf8").replaceAll("</script", "<\\/script");
  writeFileSync(join(other, "no-base.html"), page(`<script>${inline}</script>`));
});

console.log(JSON.stringify(timings));

// Serves app/ with Vite's dev server, as `vite` does for a developer, with
// the cognito-wasm package pre-bundled like any installed dependency (a
// linked one would otherwise be served as source). Prints the page's URL on
// one line, then serves until it is stopped.
// Usage: node dev.mjs
import { createServer } from "vite";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const server = await createServer({
  configFile: false,
  root: join(here, "app"),
  cacheDir: join(here, "node_modules", ".vite-dev"),
  logLevel: "warn",
  server: { host: "127.0.0.1", port: 0, hmr: false },
  optimizeDeps: { include: ["cognito-wasm"], force: true },
  resolve: { preserveSymlinks: true },
});
await server.listen();
console.log(`vite dev server: ${server.resolvedUrls.local[0]}`);

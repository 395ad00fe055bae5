// Bundles the compiled `qg` CLI into one file, dist/cli/qg-bundle.mjs, which batch jobs run:
// one file loads in about a third of the time of the ~400 ES modules it replaces, and a job
// that runs a few quanta spends most of its life starting. Run after `tsc` (npm run build).
// The bundle sits two levels below the project root, like every compiled module, so their
// `../../` paths to package.json, pipelines/ and site-configs/ still resolve.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli/qg.js'],
  outfile: 'dist/cli/qg-bundle.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Native or optional modules stay outside; node_modules is found from dist/cli/.
  external: ['better-sqlite3', 'pg-native'],
  banner: { js: "import { createRequire as __bpsCreateRequire } from 'node:module'; const require = __bpsCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

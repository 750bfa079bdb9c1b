/**
 * Bundles a TypeScript entry (with the app's `~` alias) into one ESM file under .cache/, so a test
 * can start it as a child process in ~150 ms instead of ~1 s through tsx. better-sqlite3 stays
 * external (native); the file sits in the project so Node finds it in node_modules.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

export async function bundleScript(entry: string): Promise<string> {
  const root = process.cwd();
  const outfile = path.join(root, ".cache", "test-bundles", `${path.basename(entry, ".ts")}-${crypto.randomUUID()}.mjs`);
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile,
    external: ["better-sqlite3"],
    alias: { "~": path.join(root, "app") },
    logLevel: "error",
    banner: { js: "import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);" },
  });
  return outfile;
}

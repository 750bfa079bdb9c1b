import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export default defineConfig({
  root,
  resolve: { alias: { "~": path.join(root, "app") } },
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    environment: "node",
    setupFiles: ["test/support/setup-env.ts"],
    // Browser tests start a server and Chromium; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // expect.poll waits on the browser's rendering; a loaded CI machine can take over a second.
    expect: { poll: { timeout: 30_000 } },
    pool: "forks",
  },
});

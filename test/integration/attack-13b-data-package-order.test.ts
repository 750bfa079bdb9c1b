/**
 * Attack on two heavy read threads (decision 0030): data package builds now overlap. A build of an
 * older state of the data that finishes after the build of the current state must not remove the
 * current state's package (with one heavy thread builds ran one after the other, oldest first).
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { dataPackageBuilds, ensureDataPackage, packagesRoot } from "~/models/data-package-cache.server";
import { MANIFEST, packageKey } from "~/models/data-package.server";
import { runReadTask } from "~/models/read-tasks.server";
import { installReadPool, type ReadPool } from "~/utils/read-pool.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
beforeAll(() => {
  db = freshDatabase();
  fs.rmSync(packagesRoot(), { recursive: true, force: true });
  createLetter(db, { sent_on: "2025-01-10" });
});
afterEach(() => installReadPool(null));

/** A pool of two heavy threads whose builds read their snapshot when they start and finish when the test says. */
function heldPool() {
  const releases: Array<() => void> = [];
  const pool = {
    run: (name: string, args: unknown) => {
      const result = runReadTask(name as "dataPackage", args as { dir: string; siteUrl: string | null });
      return new Promise((resolve) => releases.push(() => resolve(result)));
    },
  } as unknown as ReadPool;
  return { pool, releases };
}

describe("data package builds that overlap", () => {
  it("keep the current state's package when an older state's build finishes last", async () => {
    const { pool, releases } = heldPool();
    installReadPool(pool);
    const older = ensureDataPackage();
    const olderKey = packageKey().key;
    createLetter(db, { sent_on: "2025-02-10" });
    const currentKey = packageKey().key;
    expect(currentKey).not.toBe(olderKey);
    const current = ensureDataPackage();
    expect(releases).toHaveLength(2);
    releases[1]!();
    expect((await current).dir).toBe(path.join(packagesRoot(), currentKey));
    releases[0]!();
    await older;
    expect(fs.existsSync(path.join(packagesRoot(), currentKey, MANIFEST)), "the current state's package is still on disk").toBe(true);
    const builds = dataPackageBuilds();
    expect((await ensureDataPackage()).dir).toBe(path.join(packagesRoot(), currentKey));
    expect(dataPackageBuilds(), "the current package is served, not built again").toBe(builds);
  });
});

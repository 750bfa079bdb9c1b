/**
 * The bulk data package kept until the data changes (decision 0018): the directory of the current
 * data revision (`data_revision`, moved by triggers on every write) is served if it is there;
 * otherwise it is built by the read pool (writeDataPackage, data-package.server.ts: never on the
 * event loop), one build per process at a time, renamed into place when complete, so a reader
 * never sees half a package and other processes find it on disk. Older revisions are removed.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { AppLoadContext } from "@remix-run/node";
import { env } from "~/env.server";
import { readInPool } from "~/utils/read-pool.server";
import { MANIFEST, type DataPackageManifest } from "./data-package.server";
import { dataRevision } from "./figure-cache.server";

export function packagesRoot(): string {
  return path.join(path.dirname(path.resolve(env.DATABASE_PATH)), "packages");
}

const holder = globalThis as typeof globalThis & {
  __trackerDataPackage?: { builds: number; building: Map<number, Promise<{ dir: string; manifest: DataPackageManifest }>> };
};
const state = (holder.__trackerDataPackage ??= { builds: 0, building: new Map() });

/** How many packages this process has built (tests: a cached request builds nothing). */
export function dataPackageBuilds(): number {
  return state.builds;
}

function readManifest(dir: string): DataPackageManifest | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), "utf8")) as DataPackageManifest;
  } catch {
    return null;
  }
}

/** The package of the current data revision: from disk if built, else built now in the read pool. */
export async function ensureDataPackage({ context }: { context?: AppLoadContext } = {}): Promise<{ dir: string; manifest: DataPackageManifest }> {
  const root = packagesRoot();
  const revision = dataRevision() ?? 0;
  const ready = path.join(root, `r${revision}`);
  const manifest = readManifest(ready);
  if (manifest) return { dir: ready, manifest };
  const running = state.building.get(revision);
  if (running) return running;
  const build = (async () => {
    state.builds += 1;
    const tmp = path.join(root, `building-${process.pid}-${crypto.randomUUID()}`);
    try {
      const built = await readInPool("dataPackage", { dir: tmp, siteUrl: env.PUBLIC_URL ?? null }, context ? { context } : { client: "data-package" });
      // Named by the revision its snapshot was read at (a write during the build makes the next
      // request build again).
      const final = path.join(root, `r${built.revision}`);
      try {
        fs.renameSync(tmp, final);
      } catch {
        // Another process put the same revision in place first: theirs is as good.
        fs.rmSync(tmp, { recursive: true, force: true });
      }
      pruneOlder(root, built.revision);
      return { dir: final, manifest: readManifest(final) ?? built };
    } catch (error) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw error;
    } finally {
      state.building.delete(revision);
    }
  })();
  state.building.set(revision, build);
  return build;
}

/** Removes packages of older revisions (an open download keeps its file until it ends). */
function pruneOlder(root: string, keep: number): void {
  for (const name of fs.readdirSync(root)) {
    const match = /^r(\d+)$/.exec(name);
    if (match && Number(match[1]) < keep) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

/**
 * The bulk data package kept until the data changes (decision 0018): the directory of the current
 * state of the data (packageKey: the revision, moved by triggers on every write, and the database's
 * identity, since a database made afresh or restored counts its revisions again) is served if it is there;
 * otherwise it is built by the read pool (writeDataPackage, data-package.server.ts: never on the
 * event loop), one build per state of the data at a time, renamed into place when complete, so a reader
 * never sees half a package and other processes find it on disk. Other states' packages are removed.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { AppLoadContext } from "@remix-run/node";
import { env } from "~/env.server";
import { readInPool } from "~/utils/read-pool.server";
import { MANIFEST, packageKey, type DataPackageManifest } from "./data-package.server";

/** Beside the database, named after it: two databases in one directory never share packages. */
export function packagesRoot(): string {
  const database = path.resolve(env.DATABASE_PATH);
  return path.join(path.dirname(database), `${path.basename(database, path.extname(database))}-packages`);
}

const holder = globalThis as typeof globalThis & {
  __trackerDataPackage?: { builds: number; building: Map<string, Promise<{ dir: string; manifest: DataPackageManifest }>> };
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

function readyPackage(root: string, key: string): { dir: string; manifest: DataPackageManifest } | null {
  const ready = path.join(root, key);
  const manifest = readManifest(ready);
  return manifest ? { dir: ready, manifest } : null;
}

/** The package of the current state of the data if it is on disk, else null (nothing is built). */
export function builtDataPackage(): { dir: string; manifest: DataPackageManifest } | null {
  return readyPackage(packagesRoot(), packageKey().key);
}

/** The package of the current state of the data: from disk if built, else built now in the read pool. */
export async function ensureDataPackage({ context }: { context?: AppLoadContext } = {}): Promise<{ dir: string; manifest: DataPackageManifest }> {
  const root = packagesRoot();
  const { key } = packageKey();
  const ready = readyPackage(root, key);
  if (ready) return ready;
  const running = state.building.get(key);
  if (running) return running;
  const build = (async () => {
    state.builds += 1;
    const tmp = path.join(root, `building-${process.pid}-${crypto.randomUUID()}`);
    try {
      const built = await readInPool("dataPackage", { dir: tmp, siteUrl: env.PUBLIC_URL ?? null }, context ? { context } : { client: "data-package" });
      // Named by the state its snapshot was read at (a write during the build makes the next
      // request build again).
      const final = path.join(root, built.key);
      try {
        fs.renameSync(tmp, final);
      } catch {
        // Another process put the same state's package in place first: theirs is as good.
        fs.rmSync(tmp, { recursive: true, force: true });
      }
      // Only a build of the current state removes the others: with two heavy threads (decision
      // 0030) builds overlap, and an older state's build that finishes last would remove the
      // current state's package (built again by the next request; a download opening it fails).
      if (packageKey().key === built.key) pruneOthers(root, built.key);
      return { dir: final, manifest: readManifest(final) ?? built };
    } catch (error) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw error;
    } finally {
      state.building.delete(key);
    }
  })();
  state.building.set(key, build);
  return build;
}

/** Removes the packages of other states of the data (an open download keeps its file until it ends). */
function pruneOthers(root: string, keep: string): void {
  for (const name of fs.readdirSync(root)) {
    if (/^r\d+-[0-9a-f]+$/.test(name) && name !== keep) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

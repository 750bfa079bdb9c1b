/**
 * Demo data: the roster and agency directory of db/reference/ (see app/models/roster.server.ts), and the real letters of db/letters.seed.json (a copy of the shared data set; the app never
 * reads ../shared at run time). Validated whole before anything is written, then written in one
 * transaction: a bad file changes nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { formatProblems, parseLetterFile } from "~/domain/letter-record";
import { count, inArray } from "drizzle-orm";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { createLetterRecords } from "~/models/letter-records.server";
import { loadReferenceFiles, referenceDataLoaded } from "~/models/roster.server";
import type { Db } from "./client.server";
import { letters } from "./schema";

export const DEMO_SEED_FILE = path.resolve(process.cwd(), "db/letters.seed.json");

export class SeedError extends Error {
  override name = "SeedError";
}

export interface SaveLettersResult {
  created: string[];
  /** Slugs already in the database; left unchanged. */
  existing: string[];
}

export function seedFromFile({ db, file }: { db: Db; file: string }): SaveLettersResult {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new SeedError(`Cannot read seed file ${file}: ${(error as Error).message}`);
  }
  const parsed = parseLetterFile(json);
  if (!parsed.ok) {
    throw new SeedError(`Seed file ${file} is invalid; nothing was written.\n${formatProblems(parsed.problems)}`);
  }
  return db.transaction(
    (tx) => {
      const slugs = parsed.letters.map((record) => record.id);
      const existing = new Set(tx.select({ slug: letters.slug }).from(letters).where(inArray(letters.slug, slugs)).all().map((row) => row.slug));
      const fresh = parsed.letters.filter((record) => !existing.has(record.id));
      const created = createLetterRecords({ tx, records: fresh, actor: SYSTEM_ACTOR, summary: () => "Loaded with the demo letters" });
      return { created, existing: [...existing] };
    },
    { behavior: "immediate" },
  );
}

/**
 * First run: loads the shipped roster and agency directory (db/reference/, once: when no member
 * has a bioguide id yet), then the demo letters into a database that has none, so that the demo
 * letters' senders and recipients are the canonical members and agencies. Returns whether it
 * seeded the letters.
 */
export function seedDemoDataIfEmpty({
  db,
  file = DEMO_SEED_FILE,
  reference = true,
}: {
  db: Db;
  file?: string;
  /** False: the letters only (tests that want the tracker without the roster). */
  reference?: boolean;
}): boolean {
  const existing = db.select({ n: count() }).from(letters).get()?.n ?? 0;
  if (existing > 0) return false;
  if (reference && !referenceDataLoaded(db)) loadReferenceFiles({ db });
  seedFromFile({ db, file });
  return true;
}

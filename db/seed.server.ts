/**
 * Demo data: the real letters of db/letters.seed.json (a copy of the shared data set; the app never
 * reads ../shared at run time). Validated whole before anything is written, then written in one
 * transaction: a bad file changes nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { count } from "drizzle-orm";
import { formatProblems, parseLetterFile } from "~/domain/letter-record";
import { saveLetterRecords, type SaveLettersResult } from "~/models/letter-import.server";
import type { Db } from "./client.server";
import { letters } from "./schema";

export const DEMO_SEED_FILE = path.resolve(process.cwd(), "db/letters.seed.json");

export class SeedError extends Error {
  override name = "SeedError";
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
  return db.transaction((tx) => saveLetterRecords({ tx, records: parsed.letters }), {
    behavior: "immediate",
  });
}

/** Seeds the demo letters into a database that has none. Returns whether it seeded. */
export function seedDemoDataIfEmpty({ db, file = DEMO_SEED_FILE }: { db: Db; file?: string }): boolean {
  const existing = db.select({ n: count() }).from(letters).get()?.n ?? 0;
  if (existing > 0) return false;
  seedFromFile({ db, file });
  return true;
}

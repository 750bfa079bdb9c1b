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
import { DEMO_REPEATS, type SeedRepeat } from "./seed-repeats";
import type { LetterRecord } from "~/domain/letter-record";

export const DEMO_SEED_FILE = path.resolve(process.cwd(), "db/letters.seed.json");

export class SeedError extends Error {
  override name = "SeedError";
}

export interface SaveLettersResult {
  created: string[];
  /** Slugs already in the database; left unchanged. */
  existing: string[];
}

/**
 * The records with the repeat links of `repeats` (db/seed-repeats.ts) set on their questions; a
 * question whose record names its own `repeats` keeps it. Problems name each entry whose letter or
 * question is not in the file.
 */
export function withSeedRepeats(records: readonly LetterRecord[], repeats: readonly SeedRepeat[]): { records: LetterRecord[]; problems: string[] } {
  const byId = new Map(records.map((record) => [record.id, record]));
  const problems: string[] = [];
  const links = new Map<string, SeedRepeat["repeats"]>();
  for (const entry of repeats) {
    const name = `${entry.letter} question ${entry.n} repeats ${entry.repeats.letter} question ${entry.repeats.n}`;
    if (!byId.get(entry.letter)?.questions.some((question) => question.n === entry.n)) problems.push(`${name}: there is no ${entry.letter} question ${entry.n}`);
    else if (!byId.get(entry.repeats.letter)?.questions.some((question) => question.n === entry.repeats.n)) {
      problems.push(`${name}: there is no ${entry.repeats.letter} question ${entry.repeats.n}`);
    } else links.set(`${entry.letter}#${entry.n}`, entry.repeats);
  }
  return {
    problems,
    records: records.map((record) => ({
      ...record,
      questions: record.questions.map((question) => {
        const link = links.get(`${record.id}#${question.n}`);
        return link && question.repeats === undefined ? { ...question, repeats: { ...link } } : question;
      }),
    })),
  };
}

export function seedFromFile({
  db,
  file,
  repeats = path.resolve(file) === DEMO_SEED_FILE ? DEMO_REPEATS : [],
}: {
  db: Db;
  file: string;
  /** Repeat links to set (decision 0023 addendum): the demo file's by default, none for another file. */
  repeats?: readonly SeedRepeat[];
}): SaveLettersResult {
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
  const linked = withSeedRepeats(parsed.letters, repeats);
  if (linked.problems.length > 0) {
    throw new SeedError(`Seed file ${file} does not hold the questions its repeat links name (db/seed-repeats.ts); nothing was written.\n${linked.problems.join("\n")}`);
  }
  return db.transaction(
    (tx) => {
      const slugs = linked.records.map((record) => record.id);
      const existing = new Set(tx.select({ slug: letters.slug }).from(letters).where(inArray(letters.slug, slugs)).all().map((row) => row.slug));
      const fresh = linked.records.filter((record) => !existing.has(record.id));
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

/**
 * The demo seed's repeated questions (db/seed-repeats.ts, decision 0023 addendum): a fresh database
 * seeded with the demo letters has the follow-ups' reiterated questions linked to the questions
 * they ask again, and the overview's and /questions' open-question counts count each once.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { DEMO_REPEATS } from "../../db/seed-repeats";
import { DEMO_SEED_FILE, SeedError, seedDemoDataIfEmpty, seedFromFile } from "../../db/seed.server";
import { today } from "~/domain/dates";
import { parseQuestionFilters } from "~/domain/filters";
import { agencyFigures, questionCounts } from "~/models/dashboard.server";
import { getLetterDetail } from "~/models/letters.server";
import { listQuestions } from "~/models/questions.server";
import { freshDatabase, tableCounts } from "../support/database";

let db: Db;

const openList = () => listQuestions({ filters: parseQuestionFilters(new URLSearchParams("")).filters, asOf: today(), pageSize: 1000 });

beforeAll(() => {
  db = freshDatabase();
  expect(seedDemoDataIfEmpty({ db, reference: false })).toBe(true);
});

describe("the demo seed's repeated questions", () => {
  it("links each reiterated question to the question it asks again", () => {
    const links = db.all<{ letter: string; n: number; repeatsLetter: string; repeatsN: number }>(sql`
      SELECT l.slug AS letter, q.number AS n, rl.slug AS repeatsLetter, r.number AS repeatsN
      FROM questions q JOIN letters l ON l.id = q.letter_id
      JOIN questions r ON r.id = q.repeats_question_id JOIN letters rl ON rl.id = r.letter_id
      ORDER BY l.slug, q.number`);
    expect(links).toEqual(
      DEMO_REPEATS.map((entry) => ({ letter: entry.letter, n: entry.n, repeatsLetter: entry.repeats.letter, repeatsN: entry.repeats.n })).sort(
        (a, b) => a.letter.localeCompare(b.letter) || a.n - b.n,
      ),
    );
    // Meeks/Castro to Rubio, 17 April 2025: question 1 asked again by the July 2025 letter.
    const april = getLetterDetail({ slug: "meeks-castro-rubio-el-salvador-2025-04-17", asOf: today() })!;
    expect(april.questions[0]!.repeatedBy).toMatchObject({ letterSlug: "raskin-thompson-garcia-meeks-noem-rubio-el-salvador-2025-07-17", number: 1 });
    expect(april.questionCounts).toMatchObject({ total: 4, open: 3, askedAgain: 1 });
    // A chain of three asks (Treasury, 31 January, 7 and 12 February 2025) runs from its first ask.
    const firstAsked = db.get<{ firstAskedOn: string | null }>(sql`
      SELECT q.first_asked_on AS firstAskedOn FROM questions q JOIN letters l ON l.id = q.letter_id
      WHERE l.slug = 'warren-wyden-reed-bessent-doge-misrepresentations-2025-02-12' AND q.number = 1`);
    expect(firstAsked?.firstAskedOn).toBe("2025-01-31");
  });

  it("counts each reiterated question once in the open questions (/questions, the overview's agencies)", () => {
    // Open questions of open letters, less the originals a later letter asks again.
    const { open, repeatedOpen } = db.get<{ open: number; repeatedOpen: number }>(sql`
      SELECT SUM(q.status = 'open') AS open, SUM(q.status = 'open' AND q.repeated_on IS NOT NULL) AS repeatedOpen
      FROM questions q JOIN letters l ON l.id = q.letter_id WHERE l.closed_on IS NULL`)!;
    expect(repeatedOpen).toBe(DEMO_REPEATS.length);
    const list = openList();
    expect(list.total).toBe(open - repeatedOpen);
    expect(list.questions).toHaveLength(list.total);
    for (const entry of DEMO_REPEATS) {
      const listed = (letter: string, n: number) => list.questions.some((q) => q.letterSlug === letter && q.number === n);
      expect(listed(entry.repeats.letter, entry.repeats.n), `${entry.repeats.letter} ${entry.repeats.n}`).toBe(false);
    }
    // Each chain is listed once, at its latest ask.
    expect(list.questions.filter((q) => q.letterSlug === "raskin-thompson-garcia-meeks-noem-rubio-el-salvador-2025-07-17" && q.number === 1)).toHaveLength(1);
    // The overview's open questions by agency add up to each question once per agency it went to,
    // never to a repeated original.
    const byAgency = agencyFigures({ asOf: today() });
    const expected = db.all<{ slug: string; n: number }>(sql`
      SELECT a.slug AS slug, COUNT(DISTINCT q.id) AS n
      FROM questions q JOIN letters l ON l.id = q.letter_id
      JOIN letter_recipients lr ON lr.letter_id = l.id JOIN officials o ON o.id = lr.official_id JOIN agencies a ON a.id = o.agency_id
      WHERE q.status = 'open' AND l.closed_on IS NULL AND q.repeated_on IS NULL
      GROUP BY a.slug`);
    for (const row of expected) expect(byAgency.find((agency) => agency.slug === row.slug)?.openQuestions, row.slug).toBe(row.n);
    expect(questionCounts({ asOf: today() })).toMatchObject({ open: list.total, askedAgain: DEMO_REPEATS.length });
  });

  it("refuses, naming it, a link whose question the file does not hold, and writes nothing", () => {
    const fresh = freshDatabase();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "seed-")), "letters.json");
    fs.copyFileSync(DEMO_SEED_FILE, file);
    const bad = [{ letter: "raskin-thompson-garcia-meeks-noem-rubio-el-salvador-2025-07-17", n: 9, repeats: { letter: "meeks-castro-rubio-el-salvador-2025-04-17", n: 1 } }];
    expect(() => seedFromFile({ db: fresh, file, repeats: bad })).toThrow(SeedError);
    expect(() => seedFromFile({ db: fresh, file, repeats: bad })).toThrow(/raskin-thompson-garcia-meeks-noem-rubio-el-salvador-2025-07-17 question 9/);
    expect(tableCounts(fresh).letters).toBe(0);
    // Another file than the demo's gets no links unless asked.
    seedFromFile({ db: fresh, file });
    expect(fresh.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM questions WHERE repeats_question_id IS NOT NULL`)?.n).toBe(0);
  });
});

/**
 * Synthetic letters written through the real migrations: counts, derived state that agrees with
 * the pure status rules, search index filled by the triggers, and the seed:synthetic script.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { syntheticLetters, syntheticReference } from "~/domain/synthetic";
import { LETTER_STATUSES } from "~/domain/vocabulary";
import { countLettersByStatus, getLetterDetail, listLetters, NO_FILTERS } from "~/models/letters.server";
import { seedSyntheticLetters } from "../factories";
import { freshDatabase, tableCounts } from "../support/database";

const LETTERS = 1500;
const END = "2026-06-30";
let db: Db;
let counts: ReturnType<typeof seedSyntheticLetters>;

beforeAll(() => {
  db = freshDatabase();
  counts = seedSyntheticLetters(db, { letters: LETTERS, seed: 9, endDate: END });
});

describe("synthetic letters in the database", () => {
  it("writes every generated fact once", () => {
    const generated = [...syntheticLetters({ letters: LETTERS, seed: 9, endDate: END }, syntheticReference(9))];
    const expected = {
      letters: LETTERS,
      questions: generated.reduce((sum, l) => sum + l.questions.length, 0),
      responses: generated.reduce((sum, l) => sum + l.responses.length, 0),
      question_assessments: generated.reduce((sum, l) => sum + l.assessments.length, 0),
      deadline_changes: generated.reduce((sum, l) => sum + l.extensions.length, 0),
      agencies: 300,
      members: 535,
    };
    expect(tableCounts(db)).toMatchObject(expected);
    expect(counts).toMatchObject({ letters: LETTERS, questions: expected.questions, responses: expected.responses });
    const indexed = db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM search_index`)!.n;
    expect(indexed).toBe(LETTERS + expected.questions + expected.responses);
  });

  it("stores derived state that agrees with the pure status rules", () => {
    const asOf = "2026-07-01";
    const page = listLetters({ filters: { ...NO_FILTERS, asOf: null, sort: "sent", dir: "desc", page: 1 }, asOf, pageSize: 200 });
    for (const letter of page.letters) {
      const detail = getLetterDetail({ slug: letter.slug, asOf })!;
      expect(letter.status, letter.slug).toBe(detail.status);
      // A closed letter's questions are no longer open (decision 0014 addendum), whatever their own status.
      const open = detail.status === "closed" ? 0 : detail.questions.filter((q) => q.status === "open").length;
      expect(letter.questionsOpen, letter.slug).toBe(open);
    }
  });

  it("has every status and about 60% answered, partial or refused", () => {
    const byStatus = countLettersByStatus({ asOf: "2026-07-01" });
    for (const status of LETTER_STATUSES) expect(byStatus[status], status).toBeGreaterThan(0);
    const responded = byStatus.answered + byStatus.partial + byStatus.refused;
    expect(responded / LETTERS).toBeGreaterThan(0.5);
    expect(responded / LETTERS).toBeLessThan(0.7);
  });

  it("refuses to write into a database that already has letters", () => {
    expect(() => seedSyntheticLetters(db, { letters: 5 })).toThrow(/already holds 1500 letters/);
  });
});

describe("npm run seed:synthetic", () => {
  it("builds the same database for the same seed", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "synthetic-"));
    const build = (name: string) => {
      const file = path.join(dir, name);
      const output = execFileSync(process.execPath, ["--import", "tsx", "scripts/seed-synthetic.ts", "--letters", "300", "--seed", "4", "--db", file], {
        encoding: "utf8",
      });
      expect(output).toMatch(/Built .*: 300 letters/);
      const sqlite = new Database(file, { readonly: true });
      const dump = sqlite
        .prepare("SELECT slug, title, sent_on, deadline, answer_status, questions_total, effective_deadline FROM letters ORDER BY id")
        .all();
      sqlite.close();
      return dump;
    };
    const first = build("a.db");
    expect(first).toHaveLength(300);
    expect(build("b.db")).toEqual(first);
    expect(() =>
      execFileSync(process.execPath, ["--import", "tsx", "scripts/seed-synthetic.ts", "--letters", "3", "--db", path.join(dir, "a.db")], { stdio: "pipe" }),
    ).toThrow(/already exists/);
    // Three TypeScript start-ups: on a loaded 2-core machine each can take tens of seconds.
  }, 300_000);
});

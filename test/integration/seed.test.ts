import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { agencies, letters, members, officials } from "../../db/schema";
import { DEMO_SEED_FILE, seedDemoDataIfEmpty, seedFromFile } from "../../db/seed.server";
import type { Db } from "../../db/client.server";
import { freshDatabase, tableCounts } from "../support/database";

const demo = JSON.parse(fs.readFileSync(DEMO_SEED_FILE, "utf8")) as {
  letters: Array<{ id: string; questions: unknown[]; responses: unknown[]; follows_up: string | null }>;
};

function writeSeed(content: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "seed-")), "letters.json");
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

let db: Db;
beforeEach(() => {
  db = freshDatabase();
});

describe("demo seed", () => {
  it("the project's copy matches the shared data set", () => {
    const shared = path.resolve("../shared/data/letters.seed.json");
    if (!fs.existsSync(shared)) return; // Only checkable where shared/ sits beside the clone.
    expect(fs.readFileSync(DEMO_SEED_FILE, "utf8")).toBe(fs.readFileSync(shared, "utf8"));
  });

  it("gives 21 letters with every question and response, once", () => {
    expect(seedDemoDataIfEmpty({ db })).toBe(true);
    const rows = db.all<{ slug: string; questions: number; responses: number }>(sql`
      SELECT l.slug AS slug,
        (SELECT COUNT(*) FROM questions q WHERE q.letter_id = l.id) AS questions,
        (SELECT COUNT(*) FROM responses r WHERE r.letter_id = l.id) AS responses
      FROM letters l`);
    expect(rows).toHaveLength(21);
    const bySlug = new Map(rows.map((row) => [row.slug, row]));
    for (const letter of demo.letters) {
      expect(bySlug.get(letter.id), letter.id).toEqual({
        slug: letter.id,
        questions: letter.questions.length,
        responses: letter.responses.length,
      });
    }
    // Hand-counted from the data set: 58 questions, 8 responses.
    expect(tableCounts(db)).toMatchObject({ letters: 21, questions: 58, responses: 8 });
    // A second start does not seed again.
    expect(seedDemoDataIfEmpty({ db })).toBe(false);
    expect(tableCounts(db).letters).toBe(21);
  });

  it("links follow-ups: Meeks/Castro (April 2025) -> July 2025 -> October 2025", () => {
    seedFromFile({ db, file: DEMO_SEED_FILE });
    const links = db.all<{ slug: string; followsUp: string | null }>(sql`
      SELECT l.slug AS slug, p.slug AS followsUp FROM letters l LEFT JOIN letters p ON p.id = l.follows_up_id`);
    const expected = Object.fromEntries(demo.letters.map((letter) => [letter.id, letter.follows_up]));
    expect(Object.fromEntries(links.map((link) => [link.slug, link.followsUp]))).toEqual(expected);
    expect(expected["raskin-thompson-garcia-meeks-noem-rubio-el-salvador-2025-07-17"]).toBe(
      "meeks-castro-rubio-el-salvador-2025-04-17",
    );
    expect(expected["meeks-raskin-castro-rubio-ms13-informants-2025-10"]).toBe(
      "raskin-thompson-garcia-meeks-noem-rubio-el-salvador-2025-07-17",
    );
  });

  it("de-duplicates members, agencies and officials across letters", () => {
    seedFromFile({ db, file: DEMO_SEED_FILE });
    // Hand-counted: 24 distinct senders, 7 agencies, 8 officials in the data set.
    expect(tableCounts(db)).toMatchObject({ members: 24, agencies: 7, officials: 8 });
    const meeks = db.select().from(members).where(eq(members.name, "Gregory Meeks")).all();
    expect(meeks).toEqual([expect.objectContaining({ party: "D", state: "NY", chamber: "House", slug: "gregory-meeks" })]);
    const kaine = db.select().from(members).where(eq(members.name, "Tim Kaine")).get();
    expect(kaine?.chamber).toBe("Senate");
    const state = db.select().from(agencies).where(eq(agencies.name, "U.S. Department of State")).get();
    expect(db.select().from(officials).where(eq(officials.agencyId, state!.id)).all().map((o) => o.name).sort()).toEqual([
      "Antony Blinken",
      "Marco Rubio",
    ]);
  });

  it("keeps 'date inferred' notes on the letter", () => {
    seedFromFile({ db, file: DEMO_SEED_FILE });
    const letter = db
      .select({ notes: letters.notes })
      .from(letters)
      .where(eq(letters.slug, "meeks-raskin-castro-rubio-ms13-informants-2025-10"))
      .get();
    expect(letter?.notes).toMatch(/^Date inferred/);
  });

  it("a broken file names the letter and the field, and writes nothing", () => {
    const broken = structuredClone(demo) as { letters: Array<Record<string, unknown>> };
    broken.letters[20]!.sent_on = "2023-06-31";
    const before = tableCounts(db);
    expect(() => seedFromFile({ db, file: writeSeed(broken) })).toThrowError(
      /letter mccaul-blinken-afghanistan-aar-neo-2023-06-20: sent_on: must be a real date/,
    );
    expect(tableCounts(db)).toEqual(before);
  });

  it("a failure while writing rolls back every letter written before it", () => {
    seedFromFile({ db, file: writeSeed({ letters: [demo.letters[0]] }) });
    const before = tableCounts(db);
    // The file is valid; make the database refuse its third letter mid-transaction.
    const third = demo.letters[2]!.id;
    db.$client.exec(`CREATE TEMP TRIGGER refuse_third BEFORE INSERT ON letters
      WHEN NEW.slug = '${third}' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`);
    expect(() => seedFromFile({ db, file: DEMO_SEED_FILE })).toThrowError(/refused by test/);
    expect(tableCounts(db)).toEqual(before);
  });

  it("rejects unreadable JSON with the file name", () => {
    expect(() => seedFromFile({ db, file: writeSeed("{ not json") })).toThrowError(/Cannot read seed file .*letters\.json/);
  });
});

/**
 * A letter's page is kept (in the process, by ETag, by nginx) under its own revision (decision 0029):
 * the triggers of migration 0026 must move it whenever anything the page shows changes, for that
 * letter and for every other letter whose page shows it (follow-up chains, repeated questions,
 * names), and must leave the other letters' revisions alone. Each case makes one real write on the
 * demo letters and compares, for every letter, what its page shows (today and on a past date, with
 * its history) and its revision, before and after.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { backupDatabase, restoreDatabase } from "../../db/backup.server";
import { closeDb, getDb, type Db } from "../../db/client.server";
import { letters, questions } from "../../db/schema";
import { seedDemoDataIfEmpty } from "../../db/seed.server";
import { today } from "~/domain/dates";
import { env } from "~/env.server";
import { letterFormSchema } from "~/domain/forms";
import { letterInputFromForm } from "~/domain/letter-input";
import { letterHistory, SYSTEM_ACTOR } from "~/models/audit.server";
import { letterFormValues } from "~/models/letter-forms.server";
import { addDeadlineChange, deleteLetter, saveLetter, saveResponse, setLetterClosed } from "~/models/letter-writer.server";
import { getLetterDetail } from "~/models/letters.server";
import { letterPageRevision } from "~/models/page-generations.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";

const PAST = "2025-08-01";

let db: Db;

beforeEach(() => {
  db = freshDatabase();
  expect(seedDemoDataIfEmpty({ db, reference: false })).toBe(true);
});

interface PageState {
  revision: string | null;
  shows: string;
}

/** Every letter's page as it reads (today, on a past date, its history) and its revision. */
function pages(): Map<string, PageState> {
  const all = db.select({ id: letters.id, slug: letters.slug }).from(letters).all();
  return new Map(
    all.map(({ id, slug }) => [
      slug,
      {
        revision: letterPageRevision(slug),
        shows: JSON.stringify([getLetterDetail({ slug, asOf: today() }), getLetterDetail({ slug, asOf: PAST }), letterHistory({ letterId: id })]),
      },
    ]),
  );
}

/**
 * Runs `write` and checks every letter page whose content changed got a new revision. Returns the
 * slugs whose page changed and those whose revision moved.
 */
function afterWrite(write: () => void): { changed: string[]; moved: string[]; kept: number; total: number } {
  const before = pages();
  write();
  const after = pages();
  const changed: string[] = [];
  const moved: string[] = [];
  for (const [slug, was] of before) {
    const now = after.get(slug);
    if (!now) continue; // deleted: no revision, the page is a 404 under the data revision
    if (now.shows !== was.shows) {
      changed.push(slug);
      expect(now.revision, `${slug}: its page changed, its revision must move`).not.toBe(was.revision);
    }
    if (now.revision !== was.revision) moved.push(slug);
  }
  return { changed, moved, kept: before.size - moved.length, total: before.size };
}

/** A letter of the demo that another letter follows up, and one that follows it up. */
function chainedPair(): { first: string; followUp: string } {
  const row = db.get<{ first: string; followUp: string }>(sql`
    SELECT p.slug AS first, c.slug AS followUp FROM letters c JOIN letters p ON p.id = c.follows_up_id ORDER BY c.id LIMIT 1`);
  expect(row, "the demo letters have a follow-up chain").toBeTruthy();
  return row!;
}

/** A letter of the demo with a question another letter repeats. */
function repeatedQuestion(): { letter: string; questionId: number } {
  const row = db.get<{ letter: string; questionId: number }>(sql`
    SELECT l.slug AS letter, q.id AS questionId FROM questions r JOIN questions q ON q.id = r.repeats_question_id JOIN letters l ON l.id = q.letter_id LIMIT 1`);
  expect(row, "the demo letters repeat questions").toBeTruthy();
  return row!;
}

function editLetter(slug: string, change: (values: Record<string, unknown>) => Record<string, unknown>) {
  const form = letterFormValues({ slug })!;
  const values = Object.fromEntries(Object.entries(form.values).filter(([, value]) => value !== null));
  const input = letterInputFromForm(letterFormSchema.parse(change(values)));
  const saved = saveLetter({ slug, input, actor: SYSTEM_ACTOR, expectedVersion: form.version });
  expect(saved.ok, JSON.stringify(saved)).toBe(true);
}

describe("letter page revisions", () => {
  it("move for the one letter an extension is granted to, and for no other", () => {
    const { followUp } = chainedPair();
    const result = afterWrite(() => {
      expect(addDeadlineChange({ letterSlug: followUp, values: { newDeadline: "2027-03-01", grantedOn: today() }, actor: SYSTEM_ACTOR }).ok).toBe(true);
    });
    expect(result.changed).toContain(followUp);
    expect(result.moved).toEqual([followUp]);
  });

  it("move for a letter given a response or closed, and for no other", () => {
    const { first } = chainedPair();
    const answered = afterWrite(() => {
      const saved = saveResponse({
        letterSlug: first,
        today: today(),
        actor: SYSTEM_ACTOR,
        input: { receivedOn: today(), from: "Department", completeness: "partial", summary: "Some of it.", sourceUrl: null, notes: null },
      });
      expect(saved.ok).toBe(true);
    });
    expect(answered.moved).toEqual([first]);
    const closed = afterWrite(() => {
      expect(setLetterClosed({ letterSlug: first, closing: { closedOn: today(), reason: "Answered in a briefing" }, actor: SYSTEM_ACTOR }).ok).toBe(true);
    });
    expect(closed.moved).toEqual([first]);
  });

  it("move for every letter of a chain when one letter's title changes, and for the others only if they show it", () => {
    const { first, followUp } = chainedPair();
    const result = afterWrite(() => editLetter(first, (values) => ({ ...values, title: `${values.title as string} (renamed)` })));
    expect(result.changed).toEqual(expect.arrayContaining([first, followUp]));
    // The same change by any other writer (a restore, a script): the triggers alone.
    const direct = afterWrite(() => {
      db.update(letters).set({ title: "Renamed once more" }).where(eq(letters.slug, first)).run();
    });
    expect(direct.changed).toEqual(expect.arrayContaining([first, followUp]));
  });

  it("move when a question that a later letter repeats is renumbered", () => {
    const { letter, questionId } = repeatedQuestion();
    const result = afterWrite(() => {
      db.update(questions).set({ number: 99 }).where(eq(questions.id, questionId)).run();
    });
    expect(result.changed.length).toBeGreaterThan(1);
    expect(result.changed).toContain(letter);
  });

  it("move when a new letter follows one up and repeats its question, or when a chained letter is removed", () => {
    const { first, followUp } = chainedPair();
    const open = db.get<{ n: number }>(sql`
      SELECT q.number AS n FROM questions q JOIN letters l ON l.id = q.letter_id WHERE l.slug = ${first} AND q.repeated_on IS NULL ORDER BY q.number LIMIT 1`);
    expect(open, "a question of the first letter not asked again yet").toBeTruthy();
    const added = afterWrite(() => {
      createLetter(db, {
        sent_on: "2026-11-20",
        follows_up: followUp,
        questions: [{ n: 1, text: "Asked once more?", kind: "question", repeats: { letter: first, n: open!.n } }],
      });
    });
    expect(added.changed).toEqual(expect.arrayContaining([first, followUp]));
    const removed = afterWrite(() => {
      expect(deleteLetter({ slug: followUp, actor: SYSTEM_ACTOR }).ok).toBe(true);
    });
    expect(removed.changed).toContain(first);
  });

  it("move for the letters that show a document when its extraction finishes, and for none at its upload", () => {
    const sha = "a".repeat(64);
    const uploaded = afterWrite(() => {
      db.run(sql`INSERT INTO documents (sha256, media_type, byte_size, original_name) VALUES (${sha}, 'application/pdf', 1234, 'reply.pdf')`);
    });
    expect(uploaded.moved, "a document no letter shows yet").toEqual([]);
    const { first } = chainedPair();
    const answered = db.get<{ slug: string; responseId: number }>(sql`
      SELECT l.slug AS slug, r.id AS responseId FROM responses r JOIN letters l ON l.id = r.letter_id WHERE l.slug <> ${first} LIMIT 1`)!;
    const attached = afterWrite(() => {
      db.run(sql`INSERT INTO letter_documents (letter_id, document_sha256, position) SELECT id, ${sha}, 0 FROM letters WHERE slug = ${first}`);
      db.run(sql`INSERT INTO response_documents (response_id, document_sha256, position) VALUES (${answered.responseId}, ${sha}, 0)`);
    });
    expect(attached.moved.sort()).toEqual([first, answered.slug].sort());
    // The extraction job: the document's pages (searched, never shown on a letter page), then its count.
    const extracted = afterWrite(() => {
      db.run(sql`INSERT INTO document_pages (document_sha256, number, text) VALUES (${sha}, 1, 'Page one'), (${sha}, 2, 'Page two')`);
      db.run(sql`UPDATE documents SET page_count = 2 WHERE sha256 = ${sha}`);
    });
    expect(extracted.changed.sort()).toEqual([first, answered.slug].sort());
    expect(extracted.moved.sort()).toEqual([first, answered.slug].sort());
  });

  it("move for every letter when names of people, agencies, committees or topics change", () => {
    for (const [name, rename] of [
      ["member", sql`UPDATE members SET name = name || ' Jr.' WHERE id IN (SELECT member_id FROM letter_senders LIMIT 1)`],
      ["agency", sql`UPDATE agencies SET name = name || ' (renamed)' WHERE id IN (SELECT agency_id FROM letter_recipients WHERE agency_id IS NOT NULL LIMIT 1)`],
      ["official", sql`UPDATE officials SET name = name || ' Jr.' WHERE id IN (SELECT official_id FROM letter_recipients WHERE official_id IS NOT NULL LIMIT 1)`],
      ["committee", sql`UPDATE committees SET name = name || ' (renamed)' WHERE id IN (SELECT committee_id FROM letters WHERE committee_id IS NOT NULL LIMIT 1)`],
      ["topic", sql`UPDATE tags SET name = name || ' (renamed)' WHERE id IN (SELECT tag_id FROM letter_tags LIMIT 1)`],
    ] as const) {
      const result = afterWrite(() => {
        db.run(rename);
      });
      expect(result.changed.length, `a ${name} renamed`).toBeGreaterThan(0);
      expect(result.kept, "a name shown anywhere moves every letter's revision").toBe(0);
    }
  });

  it("never comes back, after a restore, naming what a page showed before it", () => {
    // A restore takes the counts back to the backup's: the next write would bring a letter to a
    // revision its page already had, with other content, and nginx and browsers (304) would serve
    // that page as it was before the restore.
    const { first } = chainedPair();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "page-revisions-restore-"));
    const backup = path.join(dir, "backup.db");
    backupDatabase({ source: env.DATABASE_PATH, destination: backup });
    const respond = (summary: string) => {
      const saved = saveResponse({
        letterSlug: first,
        today: today(),
        actor: SYSTEM_ACTOR,
        input: { receivedOn: today(), from: "Department", completeness: "partial", summary, sourceUrl: null, notes: null },
      });
      expect(saved.ok).toBe(true);
    };
    const shown = () => ({
      revision: letterPageRevision(first),
      // Every other page's generation: the data revision.
      dataRevision: db.get<{ revision: number }>(sql`SELECT revision FROM data_revision WHERE id = 1`)!.revision,
      shows: JSON.stringify(getLetterDetail({ slug: first, asOf: today() })),
    });
    respond("Before the restore.");
    const beforeRestore = shown();
    closeDb();
    restoreDatabase({ file: backup, target: env.DATABASE_PATH, filesPath: path.join(dir, "files") });
    db = getDb();
    respond("After the restore, another answer.");
    const afterRestore = shown();
    expect(afterRestore.shows).not.toBe(beforeRestore.shows);
    expect(afterRestore.revision).not.toBe(beforeRestore.revision);
    expect(afterRestore.dataRevision).toBeGreaterThan(beforeRestore.dataRevision);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("are kept by triggers on every table of tracker data, whatever a later migration rebuilds", () => {
    // A table the data revision counts (figure-cache.test.ts holds that list to its triggers) can
    // be shown on letter pages: each needs triggers moving letter pages' revisions on an insert, an
    // update and a delete. A migration that rebuilds a table drops its triggers with it (0006 had
    // to re-create its own): without this, pages of the rebuilt table's rows would stay kept.
    const triggers = db.$client
      .prepare("SELECT tbl_name AS tableName, name, sql FROM sqlite_master WHERE type = 'trigger'")
      .all() as Array<{ tableName: string; name: string; sql: string }>;
    const tracked = [...new Set(triggers.filter((trigger) => trigger.name === `${trigger.tableName}_revision_insert`).map((trigger) => trigger.tableName))];
    expect(tracked).toEqual(expect.arrayContaining(["letters", "questions", "responses", "members", "documents", "state_settings"]));
    const moving = (table: string, write: string) =>
      triggers.some(
        (trigger) =>
          trigger.tableName === table &&
          new RegExp(`AFTER ${write}\\b`, "i").test(trigger.sql) &&
          /letter_page_revisions|letter_pages_revision/.test(trigger.sql),
      );
    // A document's extracted text: searched, never shown on a letter page (its count is documents').
    const NOT_SHOWN = ["document_pages"];
    const missing = tracked.filter((table) => !NOT_SHOWN.includes(table)).flatMap((table) => ["INSERT", "UPDATE", "DELETE"].filter((write) => !moving(table, write)).map((write) => `${table} ${write}`));
    expect(missing, "tables whose writes move no letter page's revision").toEqual([]);
    // A letter's history is only ever added to.
    expect(moving("audit_events", "INSERT")).toBe(true);
  });

  it("is null for an address no letter has, and differs between letters", () => {
    expect(letterPageRevision("no-such-letter")).toBeNull();
    const { first, followUp } = chainedPair();
    expect(letterPageRevision(first)).not.toBe(letterPageRevision(followUp));
  });
});

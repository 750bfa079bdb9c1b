/**
 * Whole-tracker figures are kept between requests, but never outlive a change to the data, whether
 * this process made it or another one (the importer, a backup restore, a second server).
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
// The counts below are the demo's without implied deadlines (DEFAULT_RESPONSE_DAYS=0, decision 0014).
vi.hoisted(() => {
  process.env.DEFAULT_RESPONSE_DAYS = "0";
});
import { env } from "~/env.server";
import { overviewFigures } from "~/models/dashboard.server";
import { withStateSnapshot } from "~/models/state-snapshot.server";
import { today } from "~/domain/dates";
import { openDatabase, type Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { AUDIT_ACTIONS, auditEvents, letters, loginAttempts, sessions, users } from "../../db/schema";
import { dataRevision } from "~/models/figure-cache.server";
import { syncStateSettings } from "~/models/letter-state.server";
import { parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { listLetters } from "~/models/letters.server";
import { listQuestions } from "~/models/questions.server";
import { addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
beforeAll(() => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
});

const figures = () => withStateSnapshot({ asOf: today(), cacheKey: "overview-test", run: () => overviewFigures({ asOf: today() }) });

describe("cached figures", () => {
  it("serve the same figures again while nothing changes", () => {
    const first = figures();
    expect(figures()).toBe(first);
  });

  it("are recomputed after a write through this process's connection", () => {
    const before = figures();
    expect(before.counts.overdue).toBe(2);
    const comer = db.select({ id: letters.id }).from(letters).where(eq(letters.slug, "comer-cheatle-butler-documents-2024-07-15")).get()!;
    addResponse(db, comer.id, { receivedOn: "2024-08-01", completeness: "full" });
    const after = figures();
    expect(after.counts.overdue).toBe(1);
    expect(after.counts.answered).toBe(before.counts.answered + 1);
  });

  it("are recomputed after another process commits", () => {
    const before = figures();
    const other = openDatabase(env.DATABASE_PATH);
    try {
      other.update(letters).set({ closedOn: "2025-01-01", closedReason: "closed elsewhere" }).where(eq(letters.slug, "mccaul-blinken-afghanistan-withdrawal-2023-01-12")).run();
    } finally {
      other.$client.close();
    }
    const after = figures();
    expect(after.counts.closed).toBe(before.counts.closed + 1);
  });

  it("stay cached across sign-ins, sessions, accounts and audit rows, which figures do not read", () => {
    const before = figures();
    const revision = dataRevision();
    const [user] = db.insert(users).values({ email: "new@example.org", name: "New", role: "viewer", passwordHash: "x" }).returning().all();
    db.insert(loginAttempts).values({ email: "new@example.org", ip: "127.0.0.1", attemptedAt: Date.now(), succeeded: true }).run();
    db.insert(sessions).values({ id: "a".repeat(64), userId: user!.id, createdAt: Date.now(), expiresAt: Date.now() + 1000 }).run();
    db.insert(auditEvents).values({ action: AUDIT_ACTIONS[0], entity: "user", entityId: user!.id, summary: "Created a user" }).run();
    expect(dataRevision()).toBe(revision);
    expect(figures()).toBe(before);
  });
});

describe("a recreated database", () => {
  it("does not get the figures of the one before, even at the same revision", () => {
    const closeOne = (slug: string) => {
      db = freshDatabase();
      seedFromFile({ db, file: DEMO_SEED_FILE });
      db.update(letters).set({ closedOn: "2025-01-01", closedReason: "test" }).where(eq(letters.slug, slug)).run();
      return { revision: dataRevision(), figures: figures() };
    };
    const first = closeOne("mccaul-blinken-afghanistan-withdrawal-2023-01-12");
    const second = closeOne("comer-cheatle-butler-documents-2024-07-15");
    expect(second.revision).toBe(first.revision);
    expect(second.figures).not.toBe(first.figures);
    expect(second.figures.overdue.letters.map((letter) => letter.slug)).not.toContain("comer-cheatle-butler-documents-2024-07-15");
  });
});

describe("the data revision", () => {
  /**
   * Tables whose rows no cached page, figure, list or search depends on beyond what tracked tables
   * already count: document_jobs (an upload's progress); the state history (decision 13: derived
   * from tracked facts in the same transaction, and its backfill changes no answer); follows and
   * the outbox (decision 16: read only by signed-in admins and the mail sender, never cached).
   */
  const NOT_TRACKER_DATA = [
    "users",
    "sessions",
    "login_attempts",
    "audit_events",
    "data_revision",
    // Counts of letter pages' revisions (decision 0029), kept by triggers like data_revision.
    "letter_page_revisions",
    // Marks of what pages of past days show (decision 0031), kept by triggers like data_revision.
    "history_marks",
    "__drizzle_migrations",
    "job_leases",
    "figure_snapshots",
    "document_jobs",
    "letter_state_history",
    "question_state_history",
    "state_history_progress",
    "app_secrets",
    "follows",
    "letter_events",
    "outbox",
    "follow_deliveries",
    "follow_requests",
    // A staffer's choice of reminders (decision 0020): what is sent, not what the tracker shows.
    "staff_reminder_settings",
  ];

  it("is moved by an insert, an update and a delete of every table of tracker data", () => {
    const tables = db.$client
      // The full-text indexes (search, pickers) are derived from tables that are tracked.
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index%' AND name NOT LIKE 'picker_index%' AND name NOT LIKE 'document_pages_fts%'")
      .pluck()
      .all() as string[];
    const tracked = tables.filter((table) => !NOT_TRACKER_DATA.includes(table));
    expect(tracked).toEqual(expect.arrayContaining(["letters", "questions", "responses", "question_assessments", "deadline_changes", "letter_recipients", "agencies"]));
    const triggers = new Set(
      (db.$client.prepare("SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger'").all() as Array<{ tbl_name: string; name: string; sql: string }>)
        .filter((trigger) => trigger.sql.includes("UPDATE data_revision SET revision = revision + 1"))
        .map((trigger) => `${trigger.tbl_name}: ${trigger.name}`),
    );
    for (const table of tracked) {
      for (const write of ["insert", "update", "delete"]) expect(triggers).toContain(`${table}: ${table}_revision_${write}`);
    }
    // And the triggers work: an update that changes nothing still counts as a write.
    const revision = dataRevision();
    db.$client.prepare("UPDATE agencies SET name = name WHERE id = (SELECT MIN(id) FROM agencies)").run(); // no change
    expect(dataRevision()).toBe(revision! + 1);
  });
});

describe("cached list totals", () => {
  it("follow a new letter and its questions at once", () => {
    const letterFilters = parseLetterFilters(new URLSearchParams()).filters;
    const questionFilters = parseQuestionFilters(new URLSearchParams()).filters;
    const before = { letters: listLetters({ filters: letterFilters, asOf: today() }).total, questions: listQuestions({ filters: questionFilters, asOf: today() }).total };
    createLetter(db, { sent_on: "2025-01-02" });
    expect(listLetters({ filters: letterFilters, asOf: today() }).total).toBe(before.letters + 1);
    // The factory's letter has two questions, both open.
    expect(listQuestions({ filters: questionFilters, asOf: today() }).total).toBe(before.questions + 2);
  });
});

describe("a change of DEFAULT_RESPONSE_DAYS (state_settings, decision 0014)", () => {
  it("moves the data revision, so cached figures are recomputed with the new implied deadlines", () => {
    db = freshDatabase();
    seedFromFile({ db, file: DEMO_SEED_FILE });
    const before = figures();
    expect(figures()).toBe(before);
    const revision = dataRevision()!;
    expect(syncStateSettings(db, 30)).toBe(true);
    expect(dataRevision()).toBeGreaterThan(revision);
    const after = figures();
    expect(after).not.toBe(before);
    expect(after.counts.overdue).toBeGreaterThan(before.counts.overdue);
    syncStateSettings(db, 0);
    expect(figures().counts.overdue).toBe(before.counts.overdue);
  });

  it("moves the data revision even when no letter changes (an empty tracker)", () => {
    db = freshDatabase();
    const revision = dataRevision()!;
    expect(syncStateSettings(db, 45)).toBe(true);
    expect(dataRevision()).toBeGreaterThan(revision);
    syncStateSettings(db, 0);
  });
});

/**
 * Imports and the paste parser off the event loop (issue 11): an import file's check (and the
 * import page's whole multipart upload) and "Propose from text" run as read tasks in
 * the read pool's worker threads; the write of the checked letters runs in the writer thread
 * (test/integration/import-writer.test.ts), through the one writer.
 *
 * - The real worker (build/read-worker.js) gives the same result as the same import run inline:
 *   the same report and the same letters written.
 * - A 2 MB CSV of a million short rows gets the capped report, checked in a worker thread while
 *   this thread keeps turning: a gated copy of the real worker (test/support/gated-read-worker.mjs)
 *   holds the task until the test has seen the event loop turn, whatever the machine's speed.
 * - A letter changed between the check and the write is not written over: the file is checked again.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { csvFormatRow } from "d3-dsv";
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client.server";
import { auditEvents, letters } from "../../db/schema";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { env } from "~/env.server";
import { today } from "~/domain/dates";
import { parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { letterInputFromRecord } from "~/domain/letter-input";
import { MAX_REPORTED_PROBLEMS, SHEET_REQUIRED } from "~/domain/letter-csv";
import { proposeLetter } from "~/domain/letter-proposal";
import type { Actor } from "~/models/audit.server";
import { lettersExport, questionsExport, responsesExport, sheetExport } from "~/models/export.server";
import { importLetterFile, MAX_IMPORT_CHECKS } from "~/models/letter-file-import.server";
import { readLetterRecords } from "~/models/letter-records.server";
import { writeLetter } from "~/models/letter-writer.server";
import { runReadTask, type ReadTaskName } from "~/models/read-tasks.server";
import * as importPage from "~/routes/import";
import * as newLetterPage from "~/routes/letters.new";
import { createReadPool, installReadPool, type ReadPool } from "~/utils/read-pool.server";
import { freshDatabase } from "../support/database";
import { exportToString } from "../support/exports";
import { formRequest, run, signedInAs } from "../support/requests";

const REAL_WORKER = path.resolve("build/read-worker.js");
const GATED_WORKER = path.resolve("test/support/gated-read-worker.mjs");
const EDITOR: Actor = { id: null, email: "editor@example.org", name: "Test Editor" };
const BUTLER = "comer-cheatle-butler-documents-2024-07-15";
const BUTLER_TITLE = "Oversight Republicans demand Secret Service records on the Butler rally shooting";

/** The file: 2 MB, a million short rows, each one a problem (one cell; the header has 15). */
const MILLION_ROWS = SHEET_REQUIRED.join(",") + "\n" + "x\n".repeat(1_000_000);
/** The paste: 100 kB of `1. a` lines. */
const PASTE = "1. a\n".repeat(20_000);

function poolOf(filename: string): ReadPool {
  return createReadPool({ filename, threads: 1, perClient: 10, maxInFlight: 10, env: { ...process.env, DATABASE_PATH: env.DATABASE_PATH } });
}

let pool: ReadPool | null = null;
afterEach(async () => {
  installReadPool(null);
  await pool?.close();
  pool = null;
});

beforeAll(() => {
  if (!fs.existsSync(REAL_WORKER)) throw new Error("Run `npm run build` first: the pool runs build/read-worker.js.");
});

/** Every letter, question and response as the four exports show them, and the history written. */
function databaseState() {
  const all = parseLetterFilters(new URLSearchParams("")).filters;
  const asOf = today();
  return {
    letters: exportToString(lettersExport({ filters: all, asOf })),
    questions: exportToString(questionsExport({ filters: parseQuestionFilters(new URLSearchParams("status=all")).filters, asOf })),
    responses: exportToString(responsesExport({ filters: all, asOf })),
    sheet: exportToString(sheetExport({ filters: all, asOf })),
    history: getDb()
      .select({ action: auditEvents.action, actor: auditEvents.actorName, summary: auditEvents.summary, letterId: auditEvents.letterId })
      .from(auditEvents)
      .orderBy(asc(auditEvents.id))
      .all(),
  };
}

/** A CSV table as text (RFC 4180, CRLF), cells as they are (no formula rule: they come from an export). */
function csvText(table: string[][]): string {
  return table.map((row) => csvFormatRow(row)).join("\r\n") + "\r\n";
}

/** The demo letters' exports, edited into files to import over them. */
function demoFiles() {
  freshDatabase();
  seedFromFile({ db: getDb(), file: DEMO_SEED_FILE });
  const { sheet, responses } = databaseState();
  const sheetTable = parse(sheet, { bom: true }) as string[][];
  const header = sheetTable[0]!;
  const column = (name: string) => header.indexOf(name);
  // Butler renamed and given a seventh question; one new letter following it up.
  const edited = sheetTable.map((row) => (row[0] === BUTLER ? row.map((cell) => (cell === BUTLER_TITLE ? "Butler records (renamed)" : cell)) : row));
  const lastButler = edited.filter((row) => row[0] === BUTLER).at(-1)!;
  const added = [...lastButler];
  added[column("question_no")] = "7";
  added[column("text")] = "A seventh, added question";
  const followUp = [...lastButler];
  followUp[column("letter_id")] = "butler-follow-up-2025";
  followUp[column("letter_title")] = "Follow-up on the Butler records";
  followUp[column("sent_on")] = "2025-01-15";
  followUp[column("deadline")] = "";
  followUp[column("follows_up")] = BUTLER;
  followUp[column("question_no")] = "1";
  followUp[column("text")] = "Where are the records?";
  const responsesTable = parse(responses, { bom: true }) as string[][];
  const completeness = responsesTable[0]!.indexOf("completeness");
  const changedResponse = responsesTable.map((row, index) => (index === 1 ? row.map((cell, at) => (at === completeness ? (cell === "full" ? "partial" : "full") : cell)) : row));
  return {
    sheet: csvText([...edited, added, followUp]),
    responses: csvText(changedResponse),
    unknownFollowUp: csvText([header, followUp.map((cell, at) => (at === column("follows_up") ? "no-such-letter" : cell))]),
    /** The sheet without its notes column: an import keeps each letter's stored notes. */
    withoutNotes: csvText(edited.map((row) => row.filter((_, at) => at !== column("notes")))),
  };
}

type Files = ReturnType<typeof demoFiles>;
let files: Files;
beforeAll(() => {
  files = demoFiles();
});

describe("the import's check runs as a read task", () => {
  const cases: Array<[string, { seeded: boolean; file: () => { content: string | Buffer; fileName: string } }]> = [
    ["the letter sheet over the demo letters (a rename, an added question, a new follow-up)", { seeded: true, file: () => ({ content: files.sheet, fileName: "letters-questions.csv" }) }],
    ["responses.csv with a response's completeness changed", { seeded: true, file: () => ({ content: files.responses, fileName: "responses.csv" }) }],
    ["the JSON seed into an empty database", { seeded: false, file: () => ({ content: fs.readFileSync(DEMO_SEED_FILE), fileName: "letters.seed.json" }) }],
    ["a follow-up of a letter neither in the file nor in the database (a problem)", { seeded: true, file: () => ({ content: files.unknownFollowUp, fileName: "bad.csv" }) }],
    ["a million short rows (a capped problem report)", { seeded: true, file: () => ({ content: MILLION_ROWS, fileName: "million.csv" }) }],
  ];

  async function importOnce(kind: "inline" | "pooled", { seeded, file }: (typeof cases)[number][1], dryRun: boolean) {
    const db = freshDatabase();
    if (seeded) seedFromFile({ db, file: DEMO_SEED_FILE });
    pool = kind === "pooled" ? poolOf(REAL_WORKER) : null;
    installReadPool(pool);
    try {
      const { content, fileName } = file();
      const report = await importLetterFile({ content: typeof content === "string" ? Buffer.from(content) : content, fileName, dryRun, actor: EDITOR });
      return { report, state: databaseState(), tasks: pool?.stats().completed ?? 0 };
    } finally {
      installReadPool(null);
      await pool?.close();
      pool = null;
    }
  }

  it.each(cases)("with the real worker, gives the same report and writes the same letters as inline: %s", async (_name, kase) => {
    for (const dryRun of [true, false]) {
      const inline = await importOnce("inline", kase, dryRun);
      const pooled = await importOnce("pooled", kase, dryRun);
      // The check ran in the pool, once; the report and what was written are the inline run's.
      expect(pooled.tasks).toBe(1);
      expect(pooled.report).toEqual(inline.report);
      expect(pooled.state).toEqual(inline.state);
    }
  }, 300_000);

  it("the reports say what they should (the cases above are not all empty)", async () => {
    const reports = [];
    for (const [, kase] of cases) reports.push((await importOnce("inline", kase, true)).report);
    const [sheet, responses, seed, bad, million] = reports;
    expect(sheet).toMatchObject({ ok: true, created: ["butler-follow-up-2025"], updated: [{ letterId: BUTLER, fields: ["title", "questions"] }] });
    expect(responses).toMatchObject({ ok: true, created: [], updated: [{ fields: ["responses"] }] });
    expect(seed!.created).toHaveLength(21);
    expect(bad).toMatchObject({ ok: false, problems: [{ column: "follows_up", reason: '"no-such-letter" is neither in the file nor in the database' }] });
    expect(million).toMatchObject({ ok: false, moreProblems: 1_000_000 - MAX_REPORTED_PROBLEMS });
    expect(million!.problems).toHaveLength(MAX_REPORTED_PROBLEMS);
  }, 300_000);

  it("the import page hands its whole upload to the pool and answers as inline", async () => {
    const outcomes = [];
    for (const kind of ["inline", "pooled"] as const) {
      const db = freshDatabase();
      seedFromFile({ db, file: DEMO_SEED_FILE });
      const { cookie } = await signedInAs("editor");
      pool = kind === "pooled" ? poolOf(REAL_WORKER) : null;
      installReadPool(pool);
      const body = new FormData();
      body.append("intent", "import");
      body.append("file", new File([files.sheet], "C:\\Users\\staff\\letters-questions.csv", { type: "text/csv" }));
      const outcome = await run(importPage.action as never, new Request("http://localhost/import", { method: "POST", body, headers: { Cookie: cookie } }));
      outcomes.push({ outcome, letters: databaseState().sheet, tasks: pool?.stats().completed ?? 0 });
      installReadPool(null);
      await pool?.close();
      pool = null;
    }
    const [inline, pooled] = outcomes;
    expect(pooled!.tasks).toBe(1);
    expect(inline!.outcome).toMatchObject({ status: 200, data: { report: { ok: true, fileName: "letters-questions.csv", created: ["butler-follow-up-2025"] } } });
    expect(pooled!.outcome).toEqual(inline!.outcome);
    expect(pooled!.letters).toEqual(inline!.letters);
  }, 300_000);
});

/** How many turns of the event loop this thread made before `count` (or forever, if blocked). */
async function turns(count: number): Promise<number> {
  let ticks = 0;
  await new Promise<void>((resolve) => {
    const tick = () => (++ticks >= count ? resolve() : setImmediate(tick));
    setImmediate(tick);
  });
  return ticks;
}

/**
 * Starts `work`, waits until its read task `name` has arrived in a worker thread of the gated pool,
 * checks that this thread keeps turning while the task is held there and that `work` waits for it,
 * then lets the task run and returns what `work` gave.
 */
async function heldInWorker<T>(name: ReadTaskName, work: () => Promise<T>): Promise<T> {
  const channel = new BroadcastChannel("tracker-read-gate");
  try {
    const arrived = new Promise<{ started: string; threadId: number }>((resolve) => {
      channel.onmessage = (event) => resolve((event as MessageEvent).data);
    });
    let settled = false;
    const result = work().finally(() => (settled = true));
    const task = await arrived;
    expect(task.started).toBe(name);
    // Not this thread: a worker's.
    expect(task.threadId).not.toBe(0);
    expect(await turns(50)).toBe(50);
    expect(settled).toBe(false);
    channel.postMessage("go");
    return await result;
  } finally {
    channel.close();
  }
}

describe("big work off the event loop", () => {
  it("a 2 MB CSV of a million short rows: checked in a worker thread while this thread turns; 200 problems and the count of the rest", async () => {
    freshDatabase();
    pool = poolOf(GATED_WORKER);
    installReadPool(pool);
    const report = await heldInWorker("checkLetterFile", () =>
      importLetterFile({ content: Buffer.from(MILLION_ROWS), fileName: "million.csv", dryRun: true, actor: EDITOR }),
    );
    expect(report).toMatchObject({ ok: false, format: "csv-letters", created: [], moreProblems: 1_000_000 - MAX_REPORTED_PROBLEMS });
    expect(report.problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(report.problems[0]).toEqual({ row: 2, letterId: "x", column: "(row)", reason: `has 1 cells; the header has ${SHEET_REQUIRED.length}` });
    expect(pool.stats()).toMatchObject({ completed: 1, inFlight: 0 });
  });

  it("the same file uploaded on the import page: the multipart form too is read in the worker", async () => {
    freshDatabase();
    const { cookie } = await signedInAs("editor");
    pool = poolOf(GATED_WORKER);
    installReadPool(pool);
    const body = new FormData();
    body.append("intent", "dry-run");
    body.append("file", new File([MILLION_ROWS], "million.csv", { type: "text/csv" }));
    const outcome = await heldInWorker("checkImportUpload", () =>
      run(importPage.action as never, new Request("http://localhost/import", { method: "POST", body, headers: { Cookie: cookie } })),
    );
    expect(outcome.status).toBe(400);
    const report = (outcome.data as { report: { problems: unknown[]; moreProblems: number } }).report;
    expect(report.problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(report.moreProblems).toBe(1_000_000 - MAX_REPORTED_PROBLEMS);
    expect(pool.stats().completed).toBe(1);
  });

  it("100 kB of `1. a` lines pasted into the letter form: parsed in a worker thread, the same proposal as inline", async () => {
    freshDatabase();
    const { cookie } = await signedInAs("editor");
    const fields = { intent: "parse", pasteText: PASTE, sentOn: "2025-03-01", title: "Pasted" };
    const inline = await run(newLetterPage.action as never, formRequest("/letters/new", fields, cookie));
    pool = poolOf(GATED_WORKER);
    installReadPool(pool);
    const pooled = await heldInWorker("proposeLetter", () => run(newLetterPage.action as never, formRequest("/letters/new", fields, cookie)));
    const proposal = (outcome: typeof pooled) => {
      const { key: _key, ...rest } = outcome.data as { key: number };
      return rest;
    };
    expect(proposal(pooled)).toEqual(proposal(inline));
    const expected = proposeLetter(PASTE, { sentOn: "2025-03-01" });
    expect(pooled.data).toMatchObject({ kind: "proposal", values: { title: "Pasted", questions: expected.items.map(({ text, kind }) => ({ text, kind })) } });
    expect(pool.stats().completed).toBe(1);
  });
});

describe("a letter changed between the check and the write", () => {
  const STAFF: Actor = { id: null, email: "staff@example.org", name: "Staffer" };

  /** A staffer's edit of a letter's notes, through the one writer. */
  function staffEdit(slug: string, notes: string): void {
    getDb().transaction(
      (tx) => {
        const stored = readLetterRecords({ tx, slugs: [slug] }).get(slug)!;
        writeLetter({ tx, letterId: stored.id, input: letterInputFromRecord({ ...stored.record, notes }, stored.questionIds), actor: STAFF, summary: "Edited" });
      },
      { behavior: "immediate" },
    );
  }

  /** A pool that runs each task inline and, after the check has read the database, lets a staffer save. */
  function poolWithEditsAfter(checks: number): ReadPool & { calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      run: (async (name: ReadTaskName, args: never) => {
        const result = await runReadTask(name, args);
        calls.push(name);
        if (calls.length <= checks) staffEdit(BUTLER, `A staffer's note, saved during check ${calls.length}`);
        return structuredClone(result);
      }) as ReadPool["run"],
      stats: () => ({ threads: 0, inFlight: 0, queued: 0, completed: calls.length, refused: 0, heavy: null, background: null }),
      renders: false,
      render: async () => {
        throw new Error("no render lane");
      },
      ready: async () => true,
      drain: () => {},
      close: async () => {},
    };
  }

  function butler() {
    return getDb().select({ title: letters.title, notes: letters.notes }).from(letters).where(eq(letters.slug, BUTLER)).get();
  }

  it("is not written over: the file is checked again and the staffer's change kept", async () => {
    freshDatabase();
    seedFromFile({ db: getDb(), file: DEMO_SEED_FILE });
    const racing = poolWithEditsAfter(1);
    installReadPool(racing);
    const report = await importLetterFile({ content: Buffer.from(files.withoutNotes), fileName: "renamed.csv", dryRun: false, actor: EDITOR });
    expect(racing.calls).toEqual(["checkLetterFile", "checkLetterFile"]);
    expect(report).toMatchObject({ ok: true, updated: [{ letterId: BUTLER, fields: ["title"] }] });
    // Both changes stand: the file's title and the staffer's notes (the file has no notes column).
    expect(butler()).toEqual({ title: "Butler records (renamed)", notes: "A staffer's note, saved during check 1" });
  });

  it(`is refused with a problem, writing nothing of the file, when letters keep changing ${MAX_IMPORT_CHECKS} times`, async () => {
    freshDatabase();
    seedFromFile({ db: getDb(), file: DEMO_SEED_FILE });
    const racing = poolWithEditsAfter(MAX_IMPORT_CHECKS);
    installReadPool(racing);
    const report = await importLetterFile({ content: Buffer.from(files.withoutNotes), fileName: "renamed.csv", dryRun: false, actor: EDITOR });
    expect(racing.calls).toHaveLength(MAX_IMPORT_CHECKS);
    expect(report).toMatchObject({ ok: false, created: [], updated: [], problems: [{ column: "(file)", reason: expect.stringMatching(/changed by someone else while it was being checked/) }] });
    expect(butler()).toEqual({ title: BUTLER_TITLE, notes: `A staffer's note, saved during check ${MAX_IMPORT_CHECKS}` });
  });
});

/**
 * An import's write off the event loop (issue 11 leftover; decision 0009): the checked letters are
 * written in a worker thread of its own (build/write-worker.js) behind the bulk-write gate.
 *
 * - What the writer thread writes is exactly what the same letters written one by one on this
 *   thread give (rows, history, search index; timestamps aside).
 * - The event loop keeps turning while thousands of letters are written: timers fire and a letter
 *   page is read between the writer's progress reports (order, not time).
 * - A staffer's save made during the import waits at the gate and then succeeds, after the import;
 *   past the wait bound it is refused, nothing saved, the form's input kept, 503.
 * - A dry run writes nothing; a writer that dies mid-way leaves nothing written, the gate open, and
 *   the next import works.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { today } from "~/domain/dates";
import { parseLetterFilters } from "~/domain/filters";
import { sheetExport } from "~/models/export.server";
import { checkLetterFile } from "~/models/letter-file-check.server";
import { importLetterFile } from "~/models/letter-file-import.server";
import { createLetterRecords } from "~/models/letter-records.server";
import { leaseHolder } from "~/models/leases.server";
import type { Actor } from "~/models/audit.server";
import * as deadlinePage from "~/routes/letters.$slug_.deadline";
import * as letterPage from "~/routes/letters.$slug";
import { BULK_WRITE_LEASE, runWithWriteGate, waitForWriteGate, WRITE_GATE_MESSAGE } from "~/utils/write-gate.server";
import { freshDatabase, tableCounts } from "../support/database";
import { exportToString } from "../support/exports";
import { formRequest, getRequest, run, signedInAs } from "../support/requests";
import { seedSyntheticLetters } from "../factories";

const EDITOR: Actor = { id: null, email: "editor@example.org", name: "Test Editor" };
const MEEKS = "meeks-castro-rubio-el-salvador-2025-04-17";
/** Several thousand letters' worth of work: long enough that the writer reports progress many times. */
const LETTERS = 1_500;
let sheet: Buffer;

beforeAll(() => {
  if (!fs.existsSync("build/write-worker.js")) throw new Error("Run `npm run build` first: the import writes in build/write-worker.js.");
  const db = freshDatabase();
  seedSyntheticLetters(db, { letters: LETTERS });
  sheet = Buffer.from(exportToString(sheetExport({ filters: parseLetterFilters(new URLSearchParams("sort=sent&dir=asc")).filters, asOf: today() })));
}, 600_000);

afterAll(() => {
  freshDatabase();
});

/** Every table's rows without the columns that hold the time of writing. */
function rowsWritten(): Record<string, unknown[]> {
  const sqlite = getDb().$client;
  const tables = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name")
    .all() as Array<{ name: string }>;
  const result: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const columns = (sqlite.prepare(`SELECT * FROM "${name}" LIMIT 0`).columns() as Array<{ name: string }>).map((column) => column.name);
    // The time of writing, and an event's cause (one import file's own id, decision 0022: checked below).
    const kept = columns.filter((column) => !["at", "created_at", "updated_at", "expires_at", "cause"].includes(column));
    result[name] = sqlite.prepare(`SELECT ${kept.map((column) => `"${column}"`).join(", ")} FROM "${name}" ORDER BY ${kept.map((_, i) => i + 1).join(", ")}`).raw().all();
  }
  return result;
}

function demoDatabase() {
  const db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
  return db;
}

describe("an import's write, in a worker thread behind the bulk-write gate", () => {
  it("writes exactly what the same letters written one by one on this thread give", async () => {
    freshDatabase();
    const report = await importLetterFile({ content: sheet, fileName: "sheet.csv", dryRun: false, actor: EDITOR, settleMs: 0 });
    expect(report.ok).toBe(true);
    expect(report.created).toHaveLength(LETTERS);
    const imported = rowsWritten();
    // Every event of the file has the file's one cause: its followers get one message for it.
    const causes = getDb().$client.prepare("SELECT DISTINCT cause FROM letter_events").pluck().all() as Array<string | null>;
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatch(/^import:/);

    freshDatabase();
    const check = checkLetterFile({ content: sheet, fileName: "sheet.csv", today: today() });
    if (!check.ok) throw new Error("the sheet should check");
    for (const record of check.fresh) {
      getDb().transaction((tx) => {
        createLetterRecords({ tx, records: [record], actor: EDITOR, summary: (letter) => `Imported letter "${letter.title}" from sheet.csv` });
      });
    }
    expect(imported).toEqual(rowsWritten());
  }, 600_000);

  it("keeps the event loop turning, a staffer's save waits for it and then succeeds, and one past the wait bound is refused with its input kept", async () => {
    demoDatabase();
    const editor = await signedInAs("editor");
    const events: string[] = [];
    let done = false;
    const importing = importLetterFile({
      content: sheet,
      fileName: "sheet.csv",
      dryRun: false,
      actor: EDITOR,
      onWriteProgress: (written) => events.push(`progress ${written}`),
    }).then((report) => {
      done = true;
      events.push("imported");
      return report;
    });
    // Timers fire and a letter page is read while the writer thread writes.
    const ticking = (async () => {
      while (!done) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push("tick");
      }
    })();
    // Wait (by order, not time) until the writer has written some letters: the gate is closed.
    while (!events.some((event) => event.startsWith("progress"))) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(leaseHolder({ name: BULK_WRITE_LEASE })).not.toBeNull();
    const page = await run(letterPage.loader as never, getRequest(`/letters/${MEEKS}`), { slug: MEEKS });
    expect(page.status).toBe(200);
    events.push("page served");

    // Past the bound (here none): refused, nothing saved, the typed values back in the form, 503.
    const fields = { newDeadline: "2025-06-30", grantedOn: "2025-05-10", reason: "Kept while an import was written" };
    expect(await waitForWriteGate({ maxWaitMs: 0 })).toBe(false);
    let refused = false;
    const refusal = await runWithWriteGate({ onRefused: () => (refused = true) }, () =>
      run(deadlinePage.action as never, formRequest(`/letters/${MEEKS}/deadline`, fields, editor.cookie), { slug: MEEKS }),
    );
    expect(refused).toBe(true);
    expect(JSON.stringify(refusal.data)).toContain(WRITE_GATE_MESSAGE);
    expect(refusal.data).toMatchObject({ initialValue: fields });
    expect(getDb().$client.prepare("SELECT COUNT(*) AS n FROM deadline_changes WHERE reason = ?").get(fields.reason)).toEqual({ n: 0 });

    // Within the bound: waits for the import, then saves.
    const opened = await waitForWriteGate({ maxWaitMs: 600_000 });
    events.push("gate open");
    expect(opened).toBe(true);
    const saved = await runWithWriteGate({ onRefused: () => (refused = false) }, () =>
      run(deadlinePage.action as never, formRequest(`/letters/${MEEKS}/deadline`, fields, editor.cookie), { slug: MEEKS }),
    );
    expect(saved.status).toBe(302);
    const report = await importing;
    await ticking;
    expect(report.ok).toBe(true);
    expect(report.created).toHaveLength(LETTERS);
    expect(getDb().$client.prepare("SELECT COUNT(*) AS n FROM deadline_changes WHERE reason = ?").get(fields.reason)).toEqual({ n: 1 });

    const first = events.findIndex((event) => event.startsWith("progress"));
    const end = events.indexOf("imported");
    // Timer ticks between the writer's first progress report and its end, the page served then,
    // and the save let through only after the import was written.
    expect(events.slice(first, end).filter((event) => event === "tick").length).toBeGreaterThan(1);
    expect(events.indexOf("page served")).toBeGreaterThan(first);
    expect(events.indexOf("page served")).toBeLessThan(end);
    expect(events.indexOf("gate open")).toBeGreaterThan(end);
    expect(leaseHolder({ name: BULK_WRITE_LEASE })).toBeNull();
  }, 600_000);

  it("a dry run writes nothing and reports what the real run would create", async () => {
    const db = demoDatabase();
    const before = tableCounts(db);
    const report = await importLetterFile({ content: sheet, fileName: "sheet.csv", dryRun: true, actor: EDITOR, settleMs: 0 });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, dryRun: true });
    expect(report.created).toHaveLength(LETTERS);
    expect(tableCounts(db)).toEqual(before);
    expect(leaseHolder({ name: BULK_WRITE_LEASE })).toBeNull();
  }, 600_000);

  it("a writer thread that dies mid-way leaves nothing written and the gate open; the next import works", async () => {
    const db = demoDatabase();
    const before = tableCounts(db);
    const progress: number[] = [];
    const crashed = await importLetterFile({
      content: sheet,
      fileName: "sheet.csv",
      dryRun: false,
      actor: EDITOR,
      settleMs: 0,
      crashWriterAfterForTests: 250,
      onWriteProgress: (written) => progress.push(written),
    });
    // It had written letters inside its transaction when it died.
    expect(crashed.problems.map((problem) => problem.reason).join("; ")).toMatch(/the import's writer stopped/);
    expect(progress).toContain(200);
    expect(crashed.ok).toBe(false);
    expect(crashed.problems[0]!.reason).toMatch(/could not be written, so nothing was: the import's writer stopped before it finished \(exit code 70\)/);
    expect(tableCounts(db)).toEqual(before);
    expect(leaseHolder({ name: BULK_WRITE_LEASE })).toBeNull();
    expect(db.$client.pragma("integrity_check", { simple: true })).toBe("ok");

    const again = await importLetterFile({ content: sheet, fileName: "sheet.csv", dryRun: false, actor: EDITOR, settleMs: 0 });
    expect(again.problems).toEqual([]);
    expect(again.ok).toBe(true);
    expect(again.created).toHaveLength(LETTERS);
  }, 600_000);
});

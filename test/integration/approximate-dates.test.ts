/**
 * Month-only reply dates (decision 0007) on a real SQLite file with the real migrations: every
 * way in (staff form, JSON and CSV import, demo seed) stores the month's precision; status,
 * figures and Kaplan–Meier count the reply as received on the month's last day; every way out
 * (edit form, letter page, API, responses.csv, feed) carries `YYYY-MM`; files round-trip.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { seedFromFile } from "../../db/seed.server";
import { letters } from "../../db/schema";
import { parseLetterFilters } from "~/domain/filters";
import { letterDetailJson } from "~/models/api.server";
import type { Actor } from "~/models/audit.server";
import { letterHistory } from "~/models/audit.server";
import { agencyFigures, latestResponses } from "~/models/dashboard.server";
import { responsesExport } from "~/models/export.server";
import { recentActivity } from "~/models/feeds.server";
import { importLetterFile } from "~/models/letter-file-import.server";
import { responseFormData } from "~/models/letter-forms.server";
import { getLetterDetail } from "~/models/letters.server";
import { saveResponse, writeResponse, writeTransaction } from "~/models/letter-writer.server";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import * as responseEdit from "~/routes/letters.$slug_.responses.$responseId";
import * as responseNew from "~/routes/letters.$slug_.responses.new";
import { buildLetterRecord, createLetter } from "../factories";
import { freshDatabase, tableCounts } from "../support/database";
import { exportToString } from "../support/exports";
import { formRequest, getRequest, run, signedInAs } from "../support/requests";

const EDITOR: Actor = { id: null, email: "editor@example.org", name: "Test Editor" };
const AGENCY = "U.S. Department of Approximations";

let db: Db;
beforeEach(() => {
  db = freshDatabase();
});

/** The letter of the example: sent 2025-05-20, due 2025-06-10. */
function dueLetter(overrides: Parameters<typeof createLetter>[1] = {}) {
  return createLetter(db, {
    sent_on: "2025-05-20",
    deadline: "2025-06-10",
    recipients: [{ name: "Pat Official", title: "Secretary", agency: AGENCY }],
    ...overrides,
  });
}

const stored = (letterId: number) =>
  db.$client.prepare("SELECT id, received_on, received_precision FROM responses WHERE letter_id = ? ORDER BY id").all(letterId) as Array<{ id: number; received_on: string; received_precision: string }>;

const errorsOf = (outcome: { data: unknown }) =>
  (outcome.data as { result?: { error?: Record<string, string[]> }; error?: Record<string, string[]> }).result?.error ?? (outcome.data as { error?: Record<string, string[]> }).error ?? {};

function importText(text: string, fileName: string) {
  return importLetterFile({ content: Buffer.from(text), fileName, dryRun: false, actor: EDITOR });
}

describe("a June 2025 reply to a letter due 10 June 2025", () => {
  it("is stored as 2025-06-30 with month precision, and counts as received late on that day", () => {
    const letter = dueLetter({ responses: [{ received_on: "2025-06", from: "Agency", completeness: "partial", notes: "The record gives only the month." }] });
    expect(stored(letter.id)).toEqual([{ id: expect.any(Number), received_on: "2025-06-30", received_precision: "month" }]);

    // Before the month's last day the reply is not counted: the letter is overdue.
    const mid = getLetterDetail({ slug: letter.slug, asOf: "2025-06-20" })!;
    expect(mid.status).toBe("overdue");
    expect(mid.responses).toEqual([]);
    expect(mid.laterResponseCount).toBe(1);

    const after = getLetterDetail({ slug: letter.slug, asOf: "2025-07-15" })!;
    expect(after.status).toBe("partial");
    expect(after.responseDays).toBe(41);
    expect(after.responses).toMatchObject([{ receivedOn: "2025-06-30", receivedPrecision: "month", notes: "The record gives only the month." }]);

    // The stored derived state and the agency figures agree: answered, late.
    const state = db.select({ firstResponseOn: letters.firstResponseOn }).from(letters).where(eq(letters.id, letter.id)).get()!;
    expect(state.firstResponseOn).toBe("2025-06-30");
    const [figures] = agencyFigures({ asOf: "2025-07-15" }).filter((row) => row.name === AGENCY);
    expect(figures!.answered).toMatchObject({ count: 1, n: 1 });
    expect(figures!.onTime).toMatchObject({ count: 0, n: 1 });
    expect(figures!.curve).toBeDefined();
  });

  it("a day-precision reply on 2025-06-05 is on time: the month is what makes the June reply late", () => {
    dueLetter({ responses: [{ received_on: "2025-06-05", from: "Agency", completeness: "partial" }] });
    const [figures] = agencyFigures({ asOf: "2025-07-15" }).filter((row) => row.name === AGENCY);
    expect(figures!.onTime).toMatchObject({ count: 1, n: 1 });
  });

  it("reads back as YYYY-MM: the API, responses.csv, the edit form, the overview, the feed", () => {
    const letter = dueLetter({ responses: [{ received_on: "2025-06", from: "Agency", completeness: "partial" }] });
    const json = letterDetailJson(getLetterDetail({ slug: letter.slug, asOf: "2025-07-15" })!);
    expect(json.responses).toMatchObject([{ received_on: "2025-06", received_precision: "month" }]);

    const csv = parse(exportToString(responsesExport({ filters: parseLetterFilters(new URLSearchParams()).filters, asOf: "2025-07-15" })), { bom: true }) as string[][];
    expect(csv.slice(1).map((row) => row.slice(0, 2))).toEqual([[letter.slug, "2025-06"]]);

    const form = responseFormData({ letterSlug: letter.slug, responseId: stored(letter.id)[0]!.id })!;
    expect(form.response!.values.receivedOn).toBe("2025-06");

    expect(latestResponses({ asOf: "2025-07-15" })).toMatchObject([{ receivedOn: "2025-06-30", receivedPrecision: "month" }]);
    expect(recentActivity().find((entry) => entry.kind === "response")).toMatchObject({ on: "2025-06-30", precision: "month" });
  });
});

describe("the response form", () => {
  it("logs a month-only reply, shows it as 2025-06 for editing, and an edit keeps its precision", async () => {
    const editor = await signedInAs("editor");
    const letter = dueLetter();
    const logged = await run(
      responseNew.action as never,
      formRequest(`/letters/${letter.slug}/responses/new`, { receivedOn: "2025-06", from: "Agency", completeness: "partial" }, editor.cookie),
      { slug: letter.slug },
    );
    expect(logged.status).toBe(302);
    const [row] = stored(letter.id);
    expect(row).toMatchObject({ received_on: "2025-06-30", received_precision: "month" });
    expect(letterHistory({ letterId: letter.id })[0]?.summary).toBe("Logged a partial response of 2025-06");

    const page = await run(responseEdit.loader as never, getRequest(`/letters/${letter.slug}/responses/${row!.id}`, editor.cookie), { slug: letter.slug, responseId: String(row!.id) });
    const values = (page.data as { response: { version: number; values: Record<string, unknown> } }).response;
    expect(values.values.receivedOn).toBe("2025-06");

    const edited = await run(
      responseEdit.action as never,
      formRequest(`/letters/${letter.slug}/responses/${row!.id}`, { intent: "save", version: String(values.version), receivedOn: "2025-06", from: "Agency", completeness: "full", summary: "Now complete" }, editor.cookie),
      { slug: letter.slug, responseId: String(row!.id) },
    );
    expect(edited.status).toBe(302);
    expect(stored(letter.id)).toEqual([{ id: row!.id, received_on: "2025-06-30", received_precision: "month" }]);
    const history = letterHistory({ letterId: letter.id })[0]!;
    expect(history.summary).toBe("Edited the response of 2025-06: completeness, summary");

    // Giving the day later replaces the month, and the history says so.
    const current = (await run(responseEdit.loader as never, getRequest(`/letters/${letter.slug}/responses/${row!.id}`, editor.cookie), { slug: letter.slug, responseId: String(row!.id) })).data as { response: { version: number } };
    await run(
      responseEdit.action as never,
      formRequest(`/letters/${letter.slug}/responses/${row!.id}`, { intent: "save", version: String(current.response.version), receivedOn: "2025-06-12", from: "Agency", completeness: "full", summary: "Now complete" }, editor.cookie),
      { slug: letter.slug, responseId: String(row!.id) },
    );
    expect(stored(letter.id)).toEqual([{ id: row!.id, received_on: "2025-06-12", received_precision: "day" }]);
    expect(letterHistory({ letterId: letter.id })[0]).toMatchObject({ before: { receivedOn: "2025-06" }, after: { receivedOn: "2025-06-12" } });
  });

  it.each([
    { receivedOn: "2025-04", message: "Received date cannot be before the month the letter was sent (2025-05)" },
    { receivedOn: "2099-01", message: expect.stringMatching(/^Received date cannot be in the future \(this month is \d{4}-\d{2}\)$/) },
    { receivedOn: "2025-13", message: "Received date must be a real date (YYYY-MM-DD) or a month (YYYY-MM)" },
    { receivedOn: "", message: "Received date is required: a date (YYYY-MM-DD), or the month (YYYY-MM) when the record gives only the month" },
  ])("refuses $receivedOn, naming the field, and writes nothing", async ({ receivedOn, message }) => {
    const editor = await signedInAs("editor");
    const letter = dueLetter();
    const before = tableCounts(db);
    const outcome = await run(
      responseNew.action as never,
      formRequest(`/letters/${letter.slug}/responses/new`, { receivedOn, from: "Agency", completeness: "partial" }, editor.cookie),
      { slug: letter.slug },
    );
    expect(outcome.status).toBe(400);
    expect(errorsOf(outcome).receivedOn).toEqual([message]);
    expect(tableCounts(db)).toEqual(before);
  });
});

describe("the current month", () => {
  it("counts a reply of this month as received today, and a later edit that keeps the month keeps that day", () => {
    const letter = createLetter(db, { sent_on: "2026-11-20", deadline: null });
    const write = (today: string, responseId?: number, summary: string | null = null) =>
      writeTransaction((tx) =>
        writeResponse({ tx, letterId: letter.id, responseId, today, actor: SYSTEM_ACTOR, input: { receivedOn: "2026-12", from: "Agency", completeness: "partial", summary, sourceUrl: null, notes: null } }),
      );
    const first = write("2026-12-01");
    expect(first.ok).toBe(true);
    const [row] = stored(letter.id);
    expect(row).toMatchObject({ received_on: "2026-12-01", received_precision: "month" });
    // A month later, the same month: the day stays (it cannot have come after it was logged).
    expect(write("2027-01-05", row!.id, "Edited later").ok).toBe(true);
    expect(stored(letter.id)).toEqual([{ id: row!.id, received_on: "2026-12-01", received_precision: "month" }]);
    // Next month is refused while it has not begun.
    const next = saveResponse({ letterSlug: letter.slug, today: "2026-12-01", actor: SYSTEM_ACTOR, input: { receivedOn: "2027-01", from: "Agency", completeness: "partial", summary: null, sourceUrl: null, notes: null } });
    expect(next.ok).toBe(false);
    if (!next.ok) expect(next.fieldErrors).toEqual({ receivedOn: ["Received date cannot be in the future (this month is 2026-12)"] });
  });
});

describe("import and export", () => {
  it("JSON in the seed format: YYYY-MM is stored as a month, and importing the file again changes nothing", async () => {
    const record = buildLetterRecord({ id: "month-only-json", sent_on: "2025-05-20", deadline: "2025-06-10", responses: [{ received_on: "2025-06", from: "Agency", completeness: "partial" }] });
    const file = JSON.stringify({ letters: [record] });
    const first = await importText(file, "month.json");
    expect(first).toMatchObject({ ok: true, created: ["month-only-json"] });
    const id = db.select({ id: letters.id }).from(letters).where(eq(letters.slug, "month-only-json")).get()!.id;
    expect(stored(id)).toEqual([{ id: expect.any(Number), received_on: "2025-06-30", received_precision: "month" }]);
    const again = await importText(file, "month.json");
    expect(again).toMatchObject({ ok: true, created: [], updated: [], unchanged: ["month-only-json"] });
    expect(stored(id)).toHaveLength(1);
  });

  it("responses.csv round trip: export, then import into another database, reproduces 2025-06", async () => {
    const letter = dueLetter({ id: "round-trip-letter", responses: [{ received_on: "2025-06", from: "Agency", completeness: "partial" }, { received_on: "2025-07-02", from: "Agency", completeness: "full" }] });
    const csv = exportToString(responsesExport({ filters: parseLetterFilters(new URLSearchParams()).filters, asOf: "2026-01-01" }));
    expect((parse(csv, { bom: true }) as string[][]).slice(1).map((row) => row[1])).toEqual(["2025-06", "2025-07-02"]);

    // The same file again changes nothing: the month matches the stored month.
    expect(await importText(csv, "responses.csv")).toMatchObject({ ok: true, updated: [], unchanged: [letter.slug] });

    // A fresh database with the letter but no responses: the file brings both back as they were.
    db = freshDatabase();
    const bare = dueLetter({ id: "round-trip-letter" });
    expect(await importText(csv, "responses.csv")).toMatchObject({ ok: true, updated: [{ letterId: "round-trip-letter" }] });
    expect(stored(bare.id).map(({ received_on, received_precision }) => [received_on, received_precision])).toEqual([
      ["2025-06-30", "month"],
      ["2025-07-02", "day"],
    ]);
    const again = exportToString(responsesExport({ filters: parseLetterFilters(new URLSearchParams()).filters, asOf: "2026-01-01" }));
    expect(again).toBe(csv);
  });

  it("re-imported with its day (2025-06, then 2025-06-14), a reply is updated, not added again; JSON and responses.csv", async () => {
    const header = "letter_id,received_on,from,completeness,summary,source_url,notes\r\n";
    const letter = dueLetter({ id: "refined-reply" });
    expect(await importText(`${header}${letter.slug},2025-06,Agency,partial,First reading,,\r\n`, "responses.csv")).toMatchObject({ ok: true });
    const [first] = stored(letter.id);
    expect(first).toMatchObject({ received_on: "2025-06-30", received_precision: "month" });

    const refined = await importText(`${header}${letter.slug},2025-06-14,Agency,partial,Dated from the agency's stamp,,\r\n`, "responses.csv");
    expect(refined).toMatchObject({ ok: true, updated: [{ letterId: letter.slug, fields: ["responses"] }] });
    // The same response (its id kept), now dated to the day.
    expect(stored(letter.id)).toEqual([{ id: first!.id, received_on: "2025-06-14", received_precision: "day" }]);
    // Importing the same file again changes nothing.
    expect(await importText(`${header}${letter.slug},2025-06-14,Agency,partial,Dated from the agency's stamp,,\r\n`, "responses.csv")).toMatchObject({ ok: true, unchanged: [letter.slug] });

    // The letter sheet's JSON twin: a month-only reply, then the same reply with its day.
    const record = buildLetterRecord({ id: "refined-json", sent_on: "2025-05-20", deadline: "2025-06-10", responses: [{ received_on: "2025-06", from: "Agency", completeness: "partial" }] });
    expect(await importText(JSON.stringify({ letters: [record] }), "month.json")).toMatchObject({ ok: true, created: ["refined-json"] });
    const id = db.select({ id: letters.id }).from(letters).where(eq(letters.slug, "refined-json")).get()!.id;
    const [monthOnly] = stored(id);
    const dated = { ...record, responses: [{ ...record.responses[0]!, received_on: "2025-06-14" }] };
    expect(await importText(JSON.stringify({ letters: [dated] }), "day.json")).toMatchObject({ ok: true, updated: [{ letterId: "refined-json" }] });
    expect(stored(id)).toEqual([{ id: monthOnly!.id, received_on: "2025-06-14", received_precision: "day" }]);
  });

  it("a month-only reply and a dated one from the same sender in one file stay two responses", async () => {
    const header = "letter_id,received_on,from,completeness,summary,source_url,notes\r\n";
    const letter = dueLetter({ id: "two-june-replies" });
    const file = `${header}${letter.slug},2025-06,Agency,acknowledgment,,,\r\n${letter.slug},2025-06-14,Agency,partial,,,\r\n`;
    expect(await importText(file, "responses.csv")).toMatchObject({ ok: true });
    expect(await importText(file, "responses.csv")).toMatchObject({ ok: true, unchanged: [letter.slug] });
    expect(stored(letter.id).map((row) => [row.received_on, row.received_precision])).toEqual([
      ["2025-06-30", "month"],
      ["2025-06-14", "day"],
    ]);
  });

  it("a response with no date at all is refused, naming it (JSON and CSV), and nothing is written", async () => {
    const letter = dueLetter({ id: "undated-letter" });
    const before = tableCounts(db);
    const json = JSON.stringify({ letters: [{ ...buildLetterRecord({ id: "undated-json" }), responses: [{ from: "Agency", completeness: "partial" }] }] });
    const fromJson = await importText(json, "undated.json");
    expect(fromJson.ok).toBe(false);
    expect(fromJson.problems).toEqual([{ row: null, letterId: "undated-json", column: "responses.0.received_on", reason: expect.stringMatching(/^is required: a date \(YYYY-MM-DD\), or the month \(YYYY-MM\)/) }]);

    const header = "letter_id,received_on,from,completeness,summary,source_url,notes\r\n";
    const fromCsv = await importText(`${header}${letter.slug},2025-06,Agency,partial,,,\r\n${letter.slug},,Agency,full,,,\r\n`, "responses.csv");
    expect(fromCsv.ok).toBe(false);
    expect(fromCsv.problems).toEqual([{ row: 3, letterId: letter.slug, column: "received_on", reason: expect.stringMatching(/^is required/) }]);
    // A month before the letter's month is refused, naming its row.
    const early = await importText(`${header}${letter.slug},2025-06,Agency,partial,,,\r\n${letter.slug},2025-04,Agency,full,,,\r\n`, "responses.csv");
    expect(early.problems).toEqual([{ row: 3, letterId: letter.slug, column: "received_on", reason: expect.stringMatching(/before the month of the letter's sent_on/) }]);
    expect(tableCounts(db)).toEqual(before);
  });

  it("the seed loader reads a month-only date", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "approx-seed-"));
    const file = path.join(dir, "seed.json");
    fs.writeFileSync(file, JSON.stringify({ letters: [buildLetterRecord({ id: "seeded-month", sent_on: "2023-03-01", responses: [{ received_on: "2023-04", from: "Agency", completeness: "full", notes: "Date approximate: the report says April 2023." }] })] }));
    try {
      expect(seedFromFile({ db, file }).created).toEqual(["seeded-month"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const detail = getLetterDetail({ slug: "seeded-month", asOf: "2024-01-01" })!;
    expect(detail.responses).toMatchObject([{ receivedOn: "2023-04-30", receivedPrecision: "month", notes: "Date approximate: the report says April 2023." }]);
    expect(detail.status).toBe("answered");
  });
});

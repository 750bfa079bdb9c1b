/**
 * Issue 13, the truthful state of play (branch truth13c): the attacker's tests of branch attack14
 * in this area ("the bulk data says where a deadline comes from", "the deadline calendar shows an
 * implied deadline as such", "one answer to 'how many questions are still open'"), copied as they
 * were, then the same promises held for every other output: an implied deadline is said to be
 * implied in /calendar.ics, /data (letters.csv, datapackage.json, the data dictionary),
 * /export/questions.csv and .xlsx, /api/questions and /api/letters; a closed letter's questions
 * are open in no count (/data, /export/letters.csv, /api/letters, member, committee and agency
 * pages, the briefing) that /questions leaves them out of (decision 0014 and its addendum).
 */
import ExcelJS from "exceljs";
import ICAL from "ical.js";
import { beforeEach, describe, expect, it } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import { unzipSync, strFromU8 } from "fflate";
import { loader as dataFileLoader } from "~/routes/data.$file";
import { loader as calendarLoader } from "~/routes/calendar[.]ics";
import { loader as apiLettersLoader } from "~/routes/api.letters";
import { loader as apiQuestionsLoader } from "~/routes/api.questions";
import { loader as lettersCsvLoader } from "~/routes/export.letters[.]csv";
import { loader as questionsCsvLoader } from "~/routes/export.questions[.]csv";
import { loader as questionsXlsxLoader } from "~/routes/export.questions[.]xlsx";
import { loader as sheetCsvLoader } from "~/routes/export.letters-questions[.]csv";
import { loader as memberLoader } from "~/routes/members.$slug";
import { loader as committeeLoader } from "~/routes/committees.$slug";
import { loader as agencyLoader } from "~/routes/agencies.$slug";
import { loader as briefingLoader } from "~/routes/briefing";
import { effectiveAsOf, parseQuestionFilters } from "~/domain/filters";
import { impliedDeadlineLabel } from "~/domain/vocabulary";
import { PACKAGE_ZIP } from "~/domain/data-package";
import { listQuestions } from "~/models/questions.server";
import type { Db } from "../../db/client.server";
import { addCalendarDays, today } from "~/domain/dates";
import { syncStateSettings } from "~/models/letter-state.server";
import { addExtension, closeLetter, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
beforeEach(() => {
  db = freshDatabase();
});

type Loader = (args: LoaderFunctionArgs) => unknown;

async function call(loader: Loader, path: string, params: Record<string, string> = {}): Promise<unknown> {
  try {
    return await loader({ request: new Request(`http://tracker.test${path}`), params, context: {} } as LoaderFunctionArgs);
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

async function csvOf(loader: Loader, path: string, params: Record<string, string> = {}): Promise<Array<Record<string, string>>> {
  const response = (await call(loader, path, params)) as Response;
  expect(response.status, path).toBe(200);
  return parse(await response.text(), { columns: true }) as Array<Record<string, string>>;
}

async function headerOf(loader: Loader, path: string, params: Record<string, string> = {}): Promise<string[]> {
  const response = (await call(loader, path, params)) as Response;
  return (parse(await response.text(), { to: 1 }) as string[][])[0]!;
}

async function jsonOf<T>(loader: Loader, path: string): Promise<T> {
  const response = (await call(loader, path)) as Response;
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

const dataFile = (file: string) => csvOf(dataFileLoader, `/data/${file}`, { file });

// ------------------------------------------------------------------- the attacker's three tests

describe("attack 14: the bulk data says where a deadline comes from", () => {
  it("/data/letters.csv: a letter that set no deadline has an implied effective_deadline, and a deadline_source column says so", async () => {
    syncStateSettings(db, 30);
    const letter = createLetter(db, { title: "Silent letter", sent_on: "2025-01-02", deadline: null });
    const response = (await dataFileLoader({ request: new Request("http://tracker.test/data/letters.csv"), params: { file: "letters.csv" }, context: {} } as LoaderFunctionArgs)) as Response;
    expect(response.status).toBe(200);
    const rows = parse(await response.text(), { columns: true }) as Array<Record<string, string>>;
    const row = rows.find((r) => r.id === letter.slug || r.slug === letter.slug)!;
    expect(row, "the letter's row").toBeDefined();
    // The implied date (DEFAULT_RESPONSE_DAYS after sending) is published as its effective deadline...
    expect(row.effective_deadline).toBe("2025-02-01");
    // ...so readers must be told it is implied, as /letters.csv and the API do (decision 0014).
    expect(Object.keys(row)).toContain("deadline_source");
    expect(row.deadline_source).toBe("implied");
  });
});

describe("attack 14: the deadline calendar shows an implied deadline as such", () => {
  it("/calendar.ics: a letter that sets no deadline is not a plain 'Deadline: …' event as if the letter set one", async () => {
    syncStateSettings(db, 30);
    createLetter(db, { title: "Silent letter for the calendar", sent_on: addCalendarDays(today(), -20), deadline: null });
    const response = (await calendarLoader({ request: new Request("http://tracker.test/calendar.ics"), params: {}, context: {} } as LoaderFunctionArgs)) as Response;
    expect(response.status).toBe(200);
    const text = (await response.text()).replace(/\r\n[ \t]/g, "");
    const event = text.split("BEGIN:VEVENT").find((part) => part.includes("Silent letter for the calendar"));
    expect(event, "the letter's event").toBeDefined();
    expect(event).toMatch(/no deadline set/i);
  });
});

describe("attack 14: one answer to 'how many questions are still open' (decision 0014 addendum: a closed letter's questions are not open)", () => {
  it("/data/letters.csv and /api/letters count a closed letter's questions as open while /questions does not", async () => {
    createLetter(db, { sent_on: "2025-01-10" });
    const closed = createLetter(db, { sent_on: "2025-01-10" });
    closeLetter(db, closed.id, "2025-03-01", "The committee withdrew the request");
    const { filters } = parseQuestionFilters(new URLSearchParams(""));
    const openQuestions = listQuestions({ filters, asOf: today() }).total;
    const csv = parse(
      await ((await dataFileLoader({ request: new Request("http://tracker.test/data/letters.csv"), params: { file: "letters.csv" }, context: {} } as LoaderFunctionArgs)) as Response).text(),
      { columns: true },
    ) as Array<Record<string, string>>;
    const api = (await ((await apiLettersLoader({ request: new Request("http://tracker.test/api/letters?status=all"), params: {}, context: {} } as LoaderFunctionArgs)) as Response).json()) as {
      data: Array<{ status: string; questions_open: number }>;
    };
    const sumCsv = csv.reduce((sum, row) => sum + Number(row.questions_open), 0);
    const sumApi = api.data.reduce((sum, letter) => sum + letter.questions_open, 0);
    expect({ csv: sumCsv, api: sumApi }).toEqual({ csv: openQuestions, api: openQuestions });
  });
});

// ------------------------------------------------------------------- implied deadlines, every output

/** One letter per source of the deadline in force, and one with none (sent today, so in every window). */
function lettersOfEverySource() {
  syncStateSettings(db, 30);
  const sent = addCalendarDays(today(), -20);
  const implied = createLetter(db, { title: "Letter setting no deadline", sent_on: sent, deadline: null });
  const own = createLetter(db, { title: "Letter with its own deadline", sent_on: sent, deadline: addCalendarDays(today(), 5) });
  const extended = createLetter(db, { title: "Letter given more time", sent_on: sent, deadline: addCalendarDays(today(), -3) });
  addExtension(db, extended.id, { newDeadline: addCalendarDays(today(), 20), grantedOn: addCalendarDays(today(), -4) });
  return { implied, own, extended, impliedDate: addCalendarDays(sent, 30) };
}

describe("an implied deadline is said to be implied in every output", () => {
  it("/calendar.ics (read by ical.js): the implied deadline's event says so in its summary and description; the others do not", async () => {
    const { implied, own, extended, impliedDate } = lettersOfEverySource();
    const ics = await ((await call(calendarLoader, "/calendar.ics")) as Response).text();
    const component = new ICAL.Component(ICAL.parse(ics) as unknown[]);
    const events = new Map(
      component.getAllSubcomponents("vevent").map((vevent) => {
        const event = new ICAL.Event(vevent);
        return [event.uid, { start: event.startDate.toString(), summary: event.summary, description: event.description }];
      }),
    );
    const uid = (slug: string) => `letter-${slug}@oversight-letter-tracker`;
    const silent = events.get(uid(implied.slug))!;
    expect(silent.start).toBe(impliedDate);
    expect(silent.summary).toBe("Deadline (implied): Letter setting no deadline");
    expect(silent.description).toContain(impliedDeadlineLabel(30));
    expect(events.get(uid(own.slug))!.summary).toBe("Deadline: Letter with its own deadline");
    expect(events.get(uid(own.slug))!.description).not.toMatch(/implied|no deadline set/i);
    expect(events.get(uid(extended.slug))!.summary).toBe("Deadline: Letter given more time");
    expect(events.get(uid(extended.slug))!.description).toMatch(/Extended from /);
  });

  it("/data: letters.csv's last column is deadline_source; datapackage.json and the data dictionary describe it and the implied date", async () => {
    const { implied, own, extended, impliedDate } = lettersOfEverySource();
    const rows = await dataFile("letters.csv");
    const header = await headerOf(dataFileLoader, "/data/letters.csv", { file: "letters.csv" });
    expect(header.at(-1)).toBe("deadline_source");
    const bySlug = new Map(rows.map((row) => [row.id, row]));
    expect(bySlug.get(implied.slug)).toMatchObject({ deadline: "", effective_deadline: impliedDate, deadline_source: "implied" });
    expect(bySlug.get(own.slug)).toMatchObject({ deadline_source: "letter" });
    expect(bySlug.get(extended.slug)).toMatchObject({ deadline_source: "extension" });

    const descriptor = JSON.parse(await ((await call(dataFileLoader, "/data/datapackage.json", { file: "datapackage.json" })) as Response).text()) as {
      resources: Array<{ name: string; schema: { fields: Array<{ name: string; description: string; constraints?: { enum?: string[] } }> } }>;
    };
    const fields = descriptor.resources.find((resource) => resource.name === "letters")!.schema.fields;
    const field = (name: string) => fields.find((candidate) => candidate.name === name)!;
    expect(fields.at(-1)!.name).toBe("deadline_source");
    expect(field("deadline_source").constraints?.enum).toEqual(["letter", "extension", "implied"]);
    // effective_deadline no longer says only "after extensions": it says a letter without one gets the implied date.
    expect(field("effective_deadline").description).toMatch(/implied/);
    expect(field("effective_deadline").description).toContain("30 days after sending");
    expect(field("questions_open").description).toMatch(/closed/);

    const readme = await ((await call(dataFileLoader, "/data/README.md", { file: "README.md" })) as Response).text();
    expect(readme).toContain("| `deadline_source` |");
    expect(readme).toMatch(/`effective_deadline` \| date \| no \| [^|]*implied/);
    expect(readme).toContain(impliedDeadlineLabel(30));
  });

  it("the zipped package's letters.csv carries deadline_source too", async () => {
    const { implied } = lettersOfEverySource();
    const response = (await call(dataFileLoader, `/data/${PACKAGE_ZIP}`, { file: PACKAGE_ZIP })) as Response;
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const rows = parse(strFromU8(files["letters.csv"]!), { columns: true }) as Array<Record<string, string>>;
    expect(rows.find((row) => row.id === implied.slug)!.deadline_source).toBe("implied");
  });

  it("/export/questions.csv and .xlsx: a column deadline_source beside effective_deadline (before the repeat links, the last two)", async () => {
    const { implied, own, extended, impliedDate } = lettersOfEverySource();
    const header = await headerOf(questionsCsvLoader, "/export/questions.csv?status=all");
    expect(header.slice(-3)).toEqual(["deadline_source", "repeats", "asked_again_in"]);
    const rows = await csvOf(questionsCsvLoader, "/export/questions.csv?status=all");
    const sourceOf = (slug: string) => [...new Set(rows.filter((row) => row.letter_id === slug).map((row) => `${row.effective_deadline} ${row.deadline_source}`))];
    expect(sourceOf(implied.slug)).toEqual([`${impliedDate} implied`]);
    expect(sourceOf(own.slug)).toEqual([`${addCalendarDays(today(), 5)} letter`]);
    expect(sourceOf(extended.slug)).toEqual([`${addCalendarDays(today(), 20)} extension`]);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await ((await call(questionsXlsxLoader, "/export/questions.xlsx?status=all")) as Response).arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    const names = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    expect(names).toEqual(header);
    const column = names.indexOf("deadline_source") + 1;
    const values = new Set<string>();
    sheet.eachRow((row, number) => {
      if (number > 1) values.add(String(row.getCell(column).value));
    });
    expect([...values].sort()).toEqual(["extension", "implied", "letter"]);

    // The import sheet keeps questions.csv's columns first and says the same, last.
    const sheetHeader = await headerOf(sheetCsvLoader, "/export/letters-questions.csv");
    expect(sheetHeader.at(-1)).toBe("deadline_source");
  });

  it("/api/questions and /api/letters: deadline_source beside effective_deadline", async () => {
    const { implied, own, extended, impliedDate } = lettersOfEverySource();
    const questions = await jsonOf<{ data: Array<{ letter_slug: string; effective_deadline: string; deadline_source: string }> }>(apiQuestionsLoader, "/api/questions?status=all");
    const bySlug = new Map(questions.data.map((question) => [question.letter_slug, question]));
    expect(bySlug.get(implied.slug)).toMatchObject({ effective_deadline: impliedDate, deadline_source: "implied" });
    expect(bySlug.get(own.slug)).toMatchObject({ deadline_source: "letter" });
    expect(bySlug.get(extended.slug)).toMatchObject({ deadline_source: "extension" });
    const letters = await jsonOf<{ data: Array<{ slug: string; effective_deadline: string; deadline_source: string }> }>(apiLettersLoader, "/api/letters?status=all");
    expect(letters.data.find((letter) => letter.slug === implied.slug)).toMatchObject({ effective_deadline: impliedDate, deadline_source: "implied" });
  });
});

// ------------------------------------------------------------------- one count of open questions

describe("one count of open questions: a closed letter's questions are open nowhere", () => {
  /** Three letters of two questions each, the same member, committee and agency; one closed. */
  function threeLetters() {
    createLetter(db, { sent_on: "2025-01-10" });
    createLetter(db, { sent_on: "2025-01-11" });
    const closed = createLetter(db, { sent_on: "2025-01-12" });
    closeLetter(db, closed.id, "2025-03-01", "The committee withdrew the request");
    return { closed };
  }
  const openOnQuestions = (query = "") => {
    const { filters } = parseQuestionFilters(new URLSearchParams(query));
    return listQuestions({ filters, asOf: effectiveAsOf(filters) }).total;
  };

  it("/export/letters.csv: the closed letter has no open question; the sum is /questions' count", async () => {
    const { closed } = threeLetters();
    const rows = await csvOf(lettersCsvLoader, "/export/letters.csv?status=all");
    expect(rows.find((row) => row.id === closed.slug)).toMatchObject({ status: "closed", questions_total: "2", questions_open: "0" });
    expect(rows.reduce((sum, row) => sum + Number(row.questions_open), 0)).toBe(openOnQuestions());
    expect(openOnQuestions()).toBe(4);
  });

  it("as of a date before the closing, the closed letter's questions are open again, in every output alike", async () => {
    const { closed } = threeLetters();
    const asOf = "2025-02-01";
    expect(openOnQuestions(`asOf=${asOf}`)).toBe(6);
    const csv = await csvOf(lettersCsvLoader, `/export/letters.csv?status=all&asOf=${asOf}`);
    expect(csv.find((row) => row.id === closed.slug)!.questions_open).toBe("2");
    const api = await jsonOf<{ data: Array<{ slug: string; questions_open: number }> }>(apiLettersLoader, `/api/letters?status=all&asOf=${asOf}`);
    expect(api.data.reduce((sum, letter) => sum + letter.questions_open, 0)).toBe(6);
  });

  it("member, committee and agency pages: the open count is /questions' count for the same scope; the closed letter's are counted apart", async () => {
    threeLetters();
    const expected = { total: 6, open: 4, closedUnanswered: 2 };
    const member = (await call(memberLoader, "/members/jamie-raskin", { slug: "jamie-raskin" })) as {
      questions: { open: number; total: number };
      openQuestions: { total: number };
    };
    expect(member.questions).toMatchObject(expected);
    expect(member.openQuestions.total).toBe(openOnQuestions("member=jamie-raskin"));
    const committeeSlug = db.$client.prepare("SELECT slug FROM committees WHERE name = 'House Committee on Oversight and Accountability'").pluck().get() as string;
    const committee = (await call(committeeLoader, `/committees/${committeeSlug}`, { slug: committeeSlug })) as typeof member;
    expect(committee.questions).toMatchObject(expected);
    expect(committee.openQuestions.total).toBe(openOnQuestions(`committee=${committeeSlug}`));
    const agencySlug = db.$client.prepare("SELECT slug FROM agencies WHERE name = 'U.S. Department of State'").pluck().get() as string;
    const agency = (await call(agencyLoader, `/agencies/${agencySlug}`, { slug: agencySlug })) as {
      questions: { open: number };
      figures: { openQuestions: number };
      openQuestions: { total: number };
    };
    expect(agency.questions).toMatchObject(expected);
    expect(agency.figures.openQuestions).toBe(4);
    expect(agency.openQuestions.total).toBe(openOnQuestions(`agency=${agencySlug}`));
  });

  it("the briefing counts the same", async () => {
    threeLetters();
    const briefing = (await call(briefingLoader, "/briefing?member=jamie-raskin")) as { questionCounts: { open: number; total: number } };
    expect(briefing.questionCounts).toMatchObject({ total: 6, open: 4, closedUnanswered: 2 });
  });
});

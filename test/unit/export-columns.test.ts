/**
 * The export column tables (app/domain/export-columns.ts): each header name sits over the cell its
 * builder makes. Every field of the sample letter, question and response holds a different value,
 * so a builder reading the wrong field, or a column out of place, changes a cell under its name.
 */
import { describe, expect, it } from "vitest";
import {
  cellsOf,
  headerOf,
  LETTER_COLUMNS,
  LETTER_FILE,
  QUESTION_COLUMNS,
  QUESTION_FILE,
  questionRowMaker,
  RESPONSE_COLUMNS,
  RESPONSE_FILE,
  SHEET_COLUMNS,
  SHEET_FILE,
  type Cell,
  type ExportLetter,
  type ExportLinkedQuestion,
  type ExportResponse,
} from "~/domain/export-columns";

const letter: ExportLetter = {
  id: 7,
  slug: "the-letter",
  title: "The title",
  sentOn: "2025-01-02",
  chamber: "Senate",
  committee: "Committee on Things",
  deadline: "2025-02-03",
  effectiveDeadline: "2025-03-04",
  deadlineSource: "extension",
  status: "overdue",
  daysOutstanding: 11,
  firstResponseOn: "2025-04-05",
  responseDays: 12,
  questionsTotal: 13,
  questionsOpen: 14,
  followsUp: "the-first-letter",
  sourceUrl: "https://example.org/letter",
  summary: "A summary",
  notes: "Some notes",
  senders: [
    { name: "Ann Member", party: "D", state: "NY" },
    { name: "Bob Member", party: "R", state: "TX" },
  ],
  recipients: [
    { name: "Carol Official", title: "Secretary", agency: "Department of Examples" },
    { name: "Dan Official", title: "Director", agency: "Bureau of Samples" },
  ],
  tags: ["topic-a", "topic-b"],
};

const question: ExportLinkedQuestion = {
  number: 3,
  kind: "document_request",
  text: "Provide all records.",
  status: "partial",
  statusOn: "2025-05-06",
  daysOpen: 15,
  overdue: 1,
  repeats: { letterSlug: "the-first-letter", number: 5 },
  askedAgainIn: [
    { letterSlug: "a-later-letter", number: 1 },
    { letterSlug: "the-latest-letter", number: 2 },
  ],
};

const response: ExportResponse = {
  letterSlug: "the-letter",
  receivedOn: "2025-06-07",
  receivedPrecision: "day",
  from: "Department of Examples",
  completeness: "partial",
  summary: "Partly answered",
  sourceUrl: "https://example.org/response",
  notes: "Response notes",
};

const SENDERS = "Ann Member (D-NY); Bob Member (R-TX)";
const RECIPIENTS = "Carol Official, Secretary; Dan Official, Director";
const AGENCIES = "Department of Examples; Bureau of Samples";

const byName = (header: readonly string[], cells: Cell[]) => {
  expect(cells).toHaveLength(header.length);
  return Object.fromEntries(header.map((name, index) => [name, cells[index]]));
};

describe("export column tables", () => {
  it("the headers are the files' documented columns, in order", () => {
    expect(LETTER_COLUMNS.join(",")).toBe(
      "id,title,sent_on,chamber,committee,senders,recipients,agencies,deadline,effective_deadline,status,days_outstanding,first_response_on,response_days,questions_total,questions_open,follows_up,tags,source_url,deadline_source",
    );
    expect(QUESTION_COLUMNS.join(",")).toBe(
      "letter_id,letter_title,sent_on,agencies,recipients,question_no,kind,text,status,answered_on,days_open,effective_deadline,overdue,deadline_source,repeats,asked_again_in",
    );
    // Columns are added last (decision 0014): readers by position keep working. The import sheet
    // has deadline_source last and no repeat links (the importer does not read them).
    expect(SHEET_COLUMNS).toEqual([
      ...QUESTION_COLUMNS.slice(0, -3),
      ...["chamber", "committee", "senders", "deadline", "follows_up", "tags", "source_url", "summary", "notes", "deadline_source"],
    ]);
    expect(RESPONSE_COLUMNS.join(",")).toBe("letter_id,received_on,from,completeness,summary,source_url,notes");
    for (const header of [LETTER_COLUMNS, QUESTION_COLUMNS, SHEET_COLUMNS, RESPONSE_COLUMNS]) {
      expect(new Set(header).size).toBe(header.length);
    }
  });

  it("letters.csv: each cell under its name", () => {
    expect(byName(headerOf(LETTER_FILE), cellsOf(LETTER_FILE, letter))).toEqual({
      id: "the-letter",
      title: "The title",
      sent_on: "2025-01-02",
      chamber: "Senate",
      committee: "Committee on Things",
      senders: SENDERS,
      recipients: RECIPIENTS,
      agencies: AGENCIES,
      deadline: "2025-02-03",
      effective_deadline: "2025-03-04",
      status: "overdue",
      days_outstanding: 11,
      first_response_on: "2025-04-05",
      response_days: 12,
      questions_total: 13,
      questions_open: 14,
      follows_up: "the-first-letter",
      tags: "topic-a; topic-b",
      source_url: "https://example.org/letter",
      deadline_source: "extension",
    });
  });

  const questionCells = {
    letter_id: "the-letter",
    letter_title: "The title",
    sent_on: "2025-01-02",
    agencies: AGENCIES,
    recipients: RECIPIENTS,
    question_no: 3,
    kind: "document_request",
    text: "Provide all records.",
    status: "partial",
    answered_on: "2025-05-06",
    days_open: 15,
    effective_deadline: "2025-03-04",
    overdue: "yes",
    deadline_source: "extension",
  };

  it("questions.csv: each cell under its name; answered_on only once the question is not open; repeat links last", () => {
    const row = questionRowMaker(QUESTION_FILE);
    expect(byName(QUESTION_COLUMNS, row(letter, question))).toEqual({
      ...questionCells,
      repeats: "the-first-letter#5",
      asked_again_in: "a-later-letter#1; the-latest-letter#2",
    });
    expect(byName(QUESTION_COLUMNS, row(letter, { ...question, repeats: null, askedAgainIn: [] }))).toMatchObject({ repeats: null, asked_again_in: null });
    expect(byName(QUESTION_COLUMNS, row(letter, { ...question, status: "open", overdue: 0 }))).toMatchObject({
      status: "open",
      answered_on: null,
      overdue: "no",
    });
    expect(byName(QUESTION_COLUMNS, row(letter, { ...question, overdue: null })).overdue).toBeNull();
  });

  it("the import sheet: questions.csv's cells, then the letter's; a letter without questions has empty question cells", () => {
    const row = questionRowMaker(SHEET_FILE);
    const letterCells = {
      chamber: "Senate",
      committee: "Committee on Things",
      senders: SENDERS,
      deadline: "2025-02-03",
      follows_up: "the-first-letter",
      tags: "topic-a; topic-b",
      source_url: "https://example.org/letter",
      summary: "A summary",
      notes: "Some notes",
    };
    expect(byName(SHEET_COLUMNS, row(letter, question))).toEqual({ ...questionCells, ...letterCells });
    expect(byName(SHEET_COLUMNS, row(letter, null))).toEqual({
      ...questionCells,
      ...letterCells,
      question_no: null,
      kind: null,
      text: null,
      status: null,
      answered_on: null,
      days_open: null,
      overdue: null,
    });
  });

  it("a row maker keeps a letter's cells only while the letter is the same", () => {
    const row = questionRowMaker(QUESTION_FILE);
    const other = { ...letter, slug: "another-letter" };
    expect(row(letter, question)[0]).toBe("the-letter");
    expect(row(other, question)[0]).toBe("another-letter");
    expect(row(letter, { ...question, number: 4 }).slice(0, 6)).toEqual(["the-letter", "The title", "2025-01-02", AGENCIES, RECIPIENTS, 4]);
  });

  it("responses.csv: each cell under its name", () => {
    expect(byName(RESPONSE_COLUMNS, cellsOf(RESPONSE_FILE, response))).toEqual({
      letter_id: "the-letter",
      received_on: "2025-06-07",
      from: "Department of Examples",
      completeness: "partial",
      summary: "Partly answered",
      source_url: "https://example.org/response",
      notes: "Response notes",
    });
  });

  it("responses.csv: a month-only reply is written as its month (YYYY-MM), not the day it counts as", () => {
    const cells = byName(RESPONSE_COLUMNS, cellsOf(RESPONSE_FILE, { ...response, receivedOn: "2025-06-30", receivedPrecision: "month" }));
    expect(cells.received_on).toBe("2025-06");
  });
});

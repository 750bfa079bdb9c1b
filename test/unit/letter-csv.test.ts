import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { joinList, UTF8_BOM } from "~/domain/csv-cells";
import { csvLines } from "../support/csv";
import {
  agencyCell,
  lettersFromSheet,
  parseRecipients,
  parseSenders,
  readCsvTable,
  recipientCell,
  senderCell,
  SHEET_REQUIRED,
} from "~/domain/letter-csv";

describe("recipients and agencies", () => {
  it.each([
    // [recipients, agencies cell]
    [[{ name: "Marco Rubio", title: "Secretary of State", agency: "State" }], "State"],
    [
      [
        { name: "Kristi Noem", title: "Secretary", agency: "DHS" },
        { name: "Todd Lyons", title: "Acting Director", agency: "ICE" },
      ],
      "DHS; ICE",
    ],
    [
      [
        { name: "A", title: "One", agency: "DHS" },
        { name: "B", title: "Two", agency: "DHS" },
      ],
      "DHS",
    ],
    [
      [
        { name: "A", title: "One", agency: "DHS" },
        { name: "B", title: "Two", agency: "DHS" },
        { name: "C", title: "Three", agency: "ICE" },
      ],
      "DHS; DHS; ICE",
    ],
  ])("%j has agencies %j and pairs back", (recipients, cell) => {
    expect(agencyCell(recipients)).toBe(cell);
    expect(parseRecipients(joinList(recipients.map(recipientCell)), cell)).toEqual({ recipients, problems: [] });
  });

  it("pairs back whatever the recipients (property)", () => {
    const word = fc.stringMatching(/^[A-Za-z][A-Za-z .'-]{0,12}[A-Za-z]$/);
    const recipient = fc.record({ name: word, title: fc.tuple(word, fc.option(word)).map(([a, b]) => (b ? `${a}, ${b}` : a)), agency: fc.constantFrom("State", "DHS", "ICE") });
    fc.assert(
      fc.property(fc.array(recipient, { minLength: 1, maxLength: 5 }), (recipients) => {
        expect(parseRecipients(joinList(recipients.map(recipientCell)), agencyCell(recipients)).recipients).toEqual(recipients);
      }),
    );
  });

  it("says when agencies cannot be paired with recipients", () => {
    expect(parseRecipients("A, One; B, Two; C, Three", "DHS; ICE").problems).toEqual([
      { column: "agencies", reason: "lists 2 agencies for 3 recipients: give one agency for all, or one per recipient in the same order" },
    ]);
    expect(parseRecipients("Just a name", "DHS").problems).toEqual([{ column: "recipients", reason: '"Just a name" is not in the form Name, Title' }]);
  });
});

describe("senders", () => {
  it("reads Name (P-ST) lists and names bad items", () => {
    const senders = [{ name: "Gregory Meeks", party: "D", state: "NY" }, { name: "Jim Jordan", party: "R", state: "OH" }];
    expect(parseSenders(joinList(senders.map(senderCell)))).toEqual({ senders, problems: [] });
    expect(parseSenders("Gregory Meeks; Jim Jordan (R-OH)").problems).toEqual([
      '"Gregory Meeks" is not in the form Name (P-ST), e.g. Gregory Meeks (D-NY)',
    ]);
  });
});

function sheet(rows: Array<Partial<Record<string, string>>>): string {
  const base: Record<string, string> = {
    letter_id: "l-1",
    letter_title: "A letter",
    sent_on: "2025-01-10",
    agencies: "State",
    recipients: "Marco Rubio, Secretary of State",
    question_no: "1",
    kind: "question",
    text: "Why?",
    chamber: "House",
    committee: "",
    senders: "Jamie Raskin (D-MD)",
    deadline: "",
    follows_up: "",
    tags: "a; b",
    source_url: "",
    status: "open",
  };
  const columns = [...SHEET_REQUIRED, "status"];
  return UTF8_BOM + csvLines([columns, ...rows.map((row) => columns.map((column) => row[column] ?? base[column]!))]);
}

function read(text: string) {
  const { table, problems } = readCsvTable(text);
  const result = lettersFromSheet(table!);
  return { ...result, problems: [...problems, ...result.problems] };
}

describe("lettersFromSheet", () => {
  it("builds one letter from its question rows", () => {
    const { letters, problems } = read(sheet([{}, { question_no: "2", kind: "document_request", text: "=Send the files" }]));
    expect(problems).toEqual([]);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      id: "l-1",
      title: "A letter",
      committee: null,
      senders: [{ name: "Jamie Raskin", party: "D", state: "MD" }],
      recipients: [{ name: "Marco Rubio", title: "Secretary of State", agency: "State" }],
      topic_tags: ["a", "b"],
      questions: [
        { n: 1, text: "Why?", kind: "question" },
        { n: 2, text: "=Send the files", kind: "document_request" },
      ],
    });
  });

  it("reads a letter without questions from a row with empty question cells", () => {
    const { letters, problems } = read(sheet([{ question_no: "", kind: "", text: "", status: "" }]));
    expect(problems).toEqual([]);
    expect(letters[0]!.questions).toEqual([]);
  });

  it.each([
    [{ status: "pending" }, 2, "status", '"pending" is not a known status (open, partial, refused, answered)'],
    [{ kind: "demand" }, 2, "kind", '"demand" is not a known kind (question, document_request, briefing_request, testimony)'],
    [{ sent_on: "2025-02-30" }, 2, "sent_on", "must be a real date in YYYY-MM-DD form"],
    [{ deadline: "tomorrow" }, 2, "deadline", "must be a real date in YYYY-MM-DD form"],
    [{ question_no: "one" }, 2, "question_no", '"one" is not a whole number from 1'],
    [{ chamber: "Lords" }, 2, "chamber", "must be House, Senate or Joint"],
    [{ letter_id: "Not A Slug" }, 2, "letter_id", "must be a slug: lowercase letters, digits and single hyphens"],
    [{ text: "" }, 2, "text", "text must not be empty"],
  ])("reports %j on row %i, column %s", (change, row, column, reason) => {
    const { problems, letters } = read(sheet([change]));
    expect(letters).toEqual([]);
    expect(problems).toContainEqual(expect.objectContaining({ row, column, reason }));
  });

  it("reports a letter id used for two different letters, and a repeated question number", () => {
    const { problems } = read(sheet([{}, { question_no: "2", letter_title: "Another letter" }, { question_no: "1" }]));
    expect(problems).toEqual([
      { row: 3, letterId: "l-1", column: "letter_title", reason: "differs from row 2 of the same letter (letter ids must be unique)" },
      { row: 4, letterId: "l-1", column: "question_no", reason: "question 1 of this letter is also on row 2" },
    ]);
  });

  it("reports truncated rows and an unclosed quote without throwing", () => {
    const whole = sheet([{}, { question_no: "2" }]);
    const truncated = whole.slice(0, whole.lastIndexOf(",")) + "\r\n";
    expect(read(truncated).problems).toContainEqual(expect.objectContaining({ row: 3, column: "(row)" }));
    const { table, problems } = readCsvTable(whole.slice(0, -10) + '"unclosed');
    expect(table).toBeNull();
    expect(problems.kept[0]).toMatchObject({ column: "(file)" });
    expect(problems.kept[0]!.reason).toMatch(/^is not valid CSV/);
  });

  it("takes control characters out of every cell, as a form's text fields do (review of session 11)", () => {
    const { table, problems } = readCsvTable("letter_title,summary\r\n\"Bell\u0007 and \u202eoverride\u202c\",\"esc\u001b[31m\u0085 line\"\r\n");
    expect(problems.kept).toEqual([]);
    expect(table!.rows[0]!.cells).toEqual({ letter_title: "Bell and override", summary: "esc[31m line" });
  });
});

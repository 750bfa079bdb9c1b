/**
 * The letter proposal's rules, table by table: letter fragments as staffers paste them (the
 * questions expected: how many, the start of chosen ones, their kinds; the deadline), deadline
 * phrases, business days and federal holidays, kinds, and the work the proposal does (linear in the
 * text). Whole letters are in letter-proposal-corpus.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  addBusinessDays,
  applyProposal,
  federalHolidays,
  guessKind,
  keepQuestionIdentities,
  markedPieces,
  matchCommittee,
  proposalSources,
  proposalWork,
  proposeLetter,
  type MarkedPiece,
} from "~/domain/letter-proposal";

function parseLetterText(text: string, sentOn: string) {
  const proposal = proposeLetter(text, { sentOn });
  return { questions: proposal.items, deadline: proposal.deadline };
}
const parserWork = proposalWork;

interface Case {
  name: string;
  sentOn: string;
  text: string;
  questions: number;
  starts?: Record<number, string>;
  kinds?: Record<number, string>;
  deadline: string | null;
}

const CORPUS: Case[] = [
  {
    name: "numbered list, 'no later than' with full date",
    sentOn: "2025-04-17",
    text: `Dear Secretary Rubio:

We write regarding the agreement with El Salvador. Please respond to the following questions no later than May 1, 2025.

1. What is the legal basis for detaining deportees in El Salvador?
2. Which foreign assistance accounts have been used?
3. What is the total amount of State Department funds provided?
4. How are those funds overseen?

Sincerely,`,
    questions: 4,
    starts: { 1: "What is the legal basis", 4: "How are those funds overseen?" },
    deadline: "2025-05-01",
  },
  {
    name: "close of business without a year",
    sentOn: "2025-06-02",
    text: `Please provide the following by close of business on June 15:
1) All communications between the Department and DOGE personnel.
2) A list of every system to which DOGE staff were given access.`,
    questions: 2,
    kinds: { 1: "document_request" },
    deadline: "2025-06-15",
  },
  {
    name: "within 14 days of receipt",
    sentOn: "2025-02-07",
    text: `We ask that you answer these questions within 14 days of receipt of this letter.
1. Who authorized the access?
2. Was the access read-only?`,
    questions: 2,
    deadline: "2025-02-21",
  },
  {
    name: "lettered list in parentheses",
    sentOn: "2024-07-15",
    text: `To assist the Committee, please produce the following documents and information:
(a) All documents and communications regarding security planning for the July 13 rally;
(b) The operations plan for the event;
(c) All after-action reports; and
(d) A briefing for Committee staff on the Secret Service's response.
Please provide these materials no later than 5:00 p.m. on July 18, 2024.`,
    questions: 4,
    starts: { 3: "All after-action reports" },
    kinds: { 1: "document_request", 4: "briefing_request" },
    deadline: "2024-07-18",
  },
  {
    name: "roman numerals",
    sentOn: "2023-03-20",
    text: `The Committee requests:
i. The dissent cable of July 13, 2021;
ii. The Secretary's reply to the dissent cable;
iii. The after-action review.
We expect production by March 22, 2023.`,
    questions: 3,
    starts: { 2: "The Secretary's reply" },
    deadline: "2023-03-22",
  },
  {
    name: "sub-items stay inside their question",
    sentOn: "2025-08-18",
    text: `1. Describe the agreement with the government of El Salvador, including:
   (a) its date;
   (b) who signed it.
2. Did the Department consult the Justice Department?
Please respond within 30 days.`,
    questions: 2,
    starts: { 1: "Describe the agreement with the government of El Salvador, including: (a) its date; (b) who signed it" },
    deadline: "2025-09-17",
  },
  {
    name: "questions wrapped over several lines",
    sentOn: "2023-02-16",
    text: `Accordingly, we request the following:

1. All documents and communications referring or relating to the
   January 23, 2023 memorandum from the Richmond Field Office;

2. All documents and communications between the FBI and any
   organization it relied on in preparing the memorandum.

Please produce these documents as soon as possible but no later than 5:00 p.m. on March 2, 2023.`,
    questions: 2,
    starts: { 1: "All documents and communications referring or relating to the January 23, 2023 memorandum from the Richmond Field Office" },
    deadline: "2023-03-02",
  },
  {
    name: "day-month-year date and 'on or before'",
    sentOn: "2025-01-31",
    text: `Please answer on or before 14 February 2025:
1. Who at Treasury approved access for Mr. Krasner?
2. What safeguards were in place?
3. Were any payments stopped?`,
    questions: 3,
    deadline: "2025-02-14",
  },
  {
    name: "numeric date",
    sentOn: "2023-06-08",
    text: `We expect full compliance no later than 6/15/2023.
1. The AAR;
2. The NEO cable;
3. The final interview notes.`,
    questions: 3,
    deadline: "2023-06-15",
  },
  {
    name: "weekday before the date",
    sentOn: "2025-05-05",
    text: `Please respond by Friday, May 16, 2025.
1. When did the Department learn of the error?
2. What steps are being taken to return him?`,
    questions: 2,
    deadline: "2025-05-16",
  },
  {
    name: "within two weeks, spelled out",
    sentOn: "2025-03-03",
    text: `We request a response within two weeks.
1. How many detainees have been transferred?`,
    questions: 1,
    deadline: "2025-03-17",
  },
  {
    name: "within ten business days",
    sentOn: "2025-07-17",
    text: `Please respond within ten (10) business days of the date of this letter.
1. What assurances did El Salvador provide?`,
    questions: 1,
    deadline: "2025-07-31",
  },
  {
    name: "no deadline at all",
    sentOn: "2025-04-09",
    text: `We urge you to return Mr. Abrego Garcia and answer the following:
1. Why was he deported despite a withholding order?
2. What is the Department doing to secure his return?
3. Who made the decision?`,
    questions: 3,
    deadline: null,
  },
  {
    name: "no list at all",
    sentOn: "2025-05-15",
    text: `We write to ask whether the $6 million payment to El Salvador complied with the Leahy Law. We request a response by June 1, 2025.`,
    questions: 0,
    deadline: "2025-06-01",
  },
  {
    name: "dates inside questions are not mistaken for the deadline",
    sentOn: "2023-08-09",
    text: `1. Identify every field office that contributed to the January 23, 2023 memorandum.
2. Produce all communications about it.
Please provide this information no later than August 23, 2023.`,
    questions: 2,
    deadline: "2023-08-23",
  },
  {
    name: "numbers with a closing parenthesis in the middle of prose are ignored",
    sentOn: "2024-07-17",
    text: `Director Cheatle is hereby required to appear and testify at a hearing on July 22, 2024.
Our earlier letter (dated July 15) went unanswered.
1. Testify before the Committee on July 22, 2024.`,
    questions: 1,
    kinds: { 1: "testimony" },
    deadline: "2024-07-22",
  },
  {
    name: "list after a closing paragraph is still found; the closing paragraph is not a question",
    sentOn: "2025-10-21",
    text: `Please answer the following questions.

1. Did the Department agree to hand over MS-13 informants?
2. Who approved the arrangement?

We look forward to your prompt response. Thank you for your attention to this matter.`,
    questions: 2,
    starts: { 2: "Who approved the arrangement?" },
    deadline: null,
  },
  {
    name: "lettered list without parentheses",
    sentOn: "2025-11-21",
    text: `We request that you:
a. Explain what the Department knew of abuse at CECOT;
b. Describe any assessments of human rights conditions;
c. Provide all reports from the Embassy in San Salvador.
Please respond no later than December 12, 2025.`,
    questions: 3,
    kinds: { 3: "document_request" },
    deadline: "2025-12-12",
  },
  {
    name: "the longest list wins over a short preamble list",
    sentOn: "2025-02-12",
    text: `This letter follows (1) our letter of January 31 and (2) your reply.
1. Did DOGE staff have write access?
2. When was that access granted?
3. Who granted it?
4. Has it been revoked?
Please respond by February 26, 2025.`,
    questions: 4,
    starts: { 1: "Did DOGE staff have write access?" },
    deadline: "2025-02-26",
  },
  {
    name: "CRLF line endings from a Word paste",
    sentOn: "2023-01-12",
    text: "Please produce the following by January 26, 2023:\r\n1. The after-action review.\r\n2. The dissent cable.\r\n3. All related communications.\r\n",
    questions: 3,
    deadline: "2023-01-26",
  },
  {
    name: "COB abbreviation and ordinal day",
    sentOn: "2025-03-10",
    text: `We request a staff briefing by COB on March 24th, 2025.
1. A briefing on the status of the investigation.`,
    questions: 1,
    kinds: { 1: "briefing_request" },
    deadline: "2025-03-24",
  },
  {
    name: "deadline in December for a letter sent in December of the year before",
    sentOn: "2024-12-20",
    text: `Please respond no later than January 10.
1. What happened?`,
    questions: 1,
    deadline: "2025-01-10",
  },
  {
    name: "upper-case roman list items (Word's 'I.' format) are items; short unpunctuated 'II. Questions' lines are headings",
    sentOn: "2025-04-17",
    text: `Dear Secretary Rubio:

I. Background

We write regarding the agreement with El Salvador.

II. Requests

We request the following:
I. All documents about the agreement.
II. A briefing for Committee staff.
III. Who approved the payments?

Sincerely,`,
    questions: 3,
    starts: { 1: "All documents about", 2: "A briefing", 3: "Who approved" },
    kinds: { 1: "document_request", 2: "briefing_request", 3: "question" },
    deadline: null,
  },
  {
    name: "upper-case lettered list items 'A.', 'B.'",
    sentOn: "2025-04-17",
    text: `Dear Secretary Rubio:

Please produce the following documents:
A. All contracts with the Government of El Salvador;
B. All communications with CoreCivic; and
C. All legal opinions about the transfers.

Sincerely,`,
    questions: 3,
    starts: { 1: "All contracts", 3: "All legal opinions" },
    deadline: null,
  },
  {
    name: "a paragraph of prose after a blank line between two items of a list that goes on is not item text",
    sentOn: "2025-04-17",
    text: `Dear Secretary Rubio:

Please answer the following questions:
1. How many people were transferred?
2. What did the United States pay?

The Department told reporters the agreement was temporary.

3. When will the agreement end?

Sincerely,`,
    questions: 3,
    starts: { 2: "What did the United States pay?" },
    deadline: null,
  },
];

describe("letter fragments", () => {
  it("has at least 20 real-style letters", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CORPUS.map((entry) => [entry.name, entry] as const))("%s", (_name, entry) => {
    const proposal = parseLetterText(entry.text, entry.sentOn);
    expect(proposal.questions.map((question) => question.number)).toEqual(
      Array.from({ length: entry.questions }, (_, index) => index + 1),
    );
    for (const [number, start] of Object.entries(entry.starts ?? {})) {
      expect(proposal.questions[Number(number) - 1]?.text.startsWith(start), `question ${number}: ${proposal.questions[Number(number) - 1]?.text}`).toBe(true);
    }
    for (const [number, kind] of Object.entries(entry.kinds ?? {})) {
      expect(proposal.questions[Number(number) - 1]?.kind).toBe(kind);
    }
    expect(proposal.deadline?.date ?? null).toBe(entry.deadline);
    for (const question of proposal.questions) {
      expect(question.text).not.toMatch(/(;|\band)$/);
      expect(question.text).not.toMatch(/The Department told|Background|Requests$/);
    }
  });
});

describe("guessKind", () => {
  it.each([
    ["All documents and communications referring to the memo", "document_request"],
    ["Produce the operations plan", "document_request"],
    ["Provide copies of the contracts", "document_request"],
    ["Provide an explanation of the decision", "question"],
    ["A briefing for Committee staff", "briefing_request"],
    ["Appear and testify at a hearing", "testimony"],
    ["Why was he deported?", "question"],
  ])("%s -> %s", (text, kind) => {
    expect(guessKind(text)).toBe(kind);
  });
});

describe("the work a proposal does", () => {
  // Counts the parser's steps rather than timing it: 100 kB of "1. a" lines blocked the server
  // for seconds when each "1." started a new scan of every later marker.
  function stepsFor(text: string): number {
    const before = parserWork.steps;
    parseLetterText(text, "2025-01-01");
    return parserWork.steps - before;
  }

  const shapes: Array<[string, (n: number) => string]> = [
    ["every line '1. a'", (n) => "1. a\n".repeat(n)],
    ["every line '1. a' and '(a) b'", (n) => "1. a\n(a) b\n".repeat(n)],
    ["counting up, restarting often", (n) => Array.from({ length: n }, (_, index) => `${(index % 7) + 1}. q`).join("\n")],
    ["i. and ii. alternating", (n) => "i. x\nii. y\n".repeat(n)],
    ["blank lines between items", (n) => "1. a\n\nb\n\n".repeat(n)],
  ];

  it.each(shapes)("grows linearly with the text: %s", (_name, build) => {
    const small = stepsFor(build(2_000));
    const large = stepsFor(build(8_000));
    expect(small).toBeGreaterThan(0);
    // Four times the text, at most about four times the work (quadratic work would be 16 times).
    expect(large / small).toBeLessThan(4.5);
  });

  it("parses 100 kB of '1. a' lines in work proportional to its lines", () => {
    const text = "1. a\n".repeat(20_000);
    expect(text.length).toBe(100_000);
    expect(stepsFor(text)).toBeLessThan(20 * 20_000);
    expect(parseLetterText(text, "2025-01-01").questions).toHaveLength(1);
  });
});

describe("deadline phrases", () => {
  // [phrase in a request sentence, the letter's date, the deadline]
  it.each([
    ["Please respond within 14 business days of receipt of this letter.", "2025-02-07", "2025-02-28"], // Presidents Day skipped
    ["Please respond within ten (10) business days of the date of this letter.", "2025-06-30", "2025-07-15"], // July 4 skipped
    ["Please respond within 14 days of receipt.", "2025-02-07", "2025-02-21"],
    ["Please provide the documents no later than 5:00 p.m. on Friday, May 2, 2025.", "2025-04-17", "2025-05-02"],
    ["Please provide the documents no later than 5:00 p.m. ET on May 2, 2025.", "2025-04-17", "2025-05-02"],
    ["Please respond by close of business on June 15.", "2025-06-02", "2025-06-15"],
    ["Please respond by close of business on the Friday after this letter.", "2025-03-12", "2025-03-14"],
    ["Please respond by close of business on Friday.", "2025-03-14", "2025-03-21"], // sent on a Friday: the next one
    ["Please respond by Wednesday of next week.", "2025-05-05", "2025-05-14"],
    ["Please respond by next Friday.", "2025-05-05", "2025-05-16"],
    ["Please provide the documents prior to the hearing on June 3, 2025.", "2025-05-20", "2025-06-02"],
    ["We request that you appear and testify at a hearing on July 22, 2024.", "2024-07-15", "2024-07-22"],
    ["Please respond no later than two weeks from the date of this letter.", "2025-04-09", "2025-04-23"],
    ["We ask that you respond no later than 30 days after receipt of this letter.", "2023-02-16", "2023-03-18"],
    ["Please answer on or before 14 February 2025.", "2025-01-31", "2025-02-14"],
    ["We expect full compliance no later than 6/15/2023.", "2023-06-08", "2023-06-15"],
    ["Please respond no later than January 10.", "2024-12-20", "2025-01-10"],
    ["Please respond by the end of the month.", "2025-04-09", "2025-04-30"],
    ["We request a briefing within one week.", "2025-03-03", "2025-03-10"],
  ])("%s (sent %s) → %s", (sentence, sentOn, deadline) => {
    expect(proposeLetter(sentence, { sentOn }).deadline?.date).toBe(deadline);
  });

  it("ignores dates of past events and dates outside requests", () => {
    const text = "On January 23, 2023, the field office issued a memorandum. At a hearing on February 9, 2023, officials declined to answer. The report was due by January 30, 2023.";
    expect(proposeLetter(text, { sentOn: "2023-02-16" }).deadline).toBeNull();
  });

  it("counts from the letter's date line rather than the date typed", () => {
    const text = "March 3, 2025\n\nDear Secretary Noem:\n\nPlease respond within 14 days.\n\n1. Who?\n2. Why?";
    expect(proposeLetter(text, { sentOn: "2025-06-01" }).deadline?.date).toBe("2025-03-17");
  });

  it("without any letter date, a relative deadline has its phrase and rule but no date", () => {
    const proposal = proposeLetter("Please respond within 14 days of receipt.\n1. Who?", { sentOn: null });
    expect(proposal.sentOn).toBeNull();
    expect(proposal.deadline).toMatchObject({ date: null, phrase: "within 14 days of receipt" });
  });
});

describe("business days and federal holidays", () => {
  it.each([
    [2025, ["2025-01-01", "2025-01-20", "2025-02-17", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25"]],
    // Observed days: July 4, 2026 is a Saturday (Friday the 3rd); Christmas 2022 a Sunday (Monday the 26th).
    [2026, ["2026-07-03", "2026-01-19"]],
    [2022, ["2022-12-26", "2022-06-20"]],
  ])("%i includes %j", (year, days) => {
    const holidays = federalHolidays(year as number);
    for (const day of days as string[]) expect(holidays.has(day), day).toBe(true);
  });

  it.each([
    ["2025-06-30", 10, "2025-07-15"],
    ["2025-12-22", 3, "2025-12-26"],
    ["2025-05-02", 1, "2025-05-05"],
    ["2025-11-26", 1, "2025-11-28"],
  ])("%s + %i business days = %s", (start, days, expected) => {
    expect(addBusinessDays(start, days)).toBe(expected);
  });
});

describe("kinds", () => {
  it.each([
    ["Please provide all guidance issued to field offices regarding the transfers.", "document_request"],
    ["We ask that you explain why the grants were paused.", "question"],
    ["We request that you provide a briefing for Committee staff.", "briefing_request"],
    ["We request that Director Patel appear and testify before the Committee.", "testimony"],
    ["Make the following individuals available for transcribed interviews", "testimony"],
    ["Provide a brief description of the program.", "question"],
    ["Did you brief the President on the strikes?", "question"],
    ["What was discussed at the hearing?", "question"],
    ["The number of agents reassigned", "question"],
    ["Copies of the contracts", "document_request"],
  ])("%s → %s", (text, kind) => {
    expect(guessKind(text)).toBe(kind);
  });

  it("a list's lead-in decides the kind of items that do not say", () => {
    const text = "Please produce the following documents:\n\n1. The operations plan for the event;\n2. The Secretary's reply to the dissent cable.";
    expect(proposeLetter(text).items.map((item) => item.kind)).toEqual(["document_request", "document_request"]);
  });
});

describe("the form step", () => {
  const LETTER = `April 17, 2025

The Honorable Marco Rubio
Secretary
U.S. Department of State

Dear Secretary Rubio:

We write regarding the agreement with El Salvador. Please respond within 14 days.

1. What is the legal basis?
2. Provide all communications about the agreement.

Sincerely,

Jamie Raskin
Ranking Member`;

  it("fills the sent date, title, deadline, questions, senders and recipients of an empty form", () => {
    const applied = applyProposal({ senders: [{}], recipients: [{}], chamber: "House" }, proposeLetter(LETTER));
    expect(applied.values).toMatchObject({
      title: "The agreement with El Salvador",
      sentOn: "2025-04-17",
      deadline: "2025-05-01",
      questions: [{ kind: "question" }, { kind: "document_request" }],
      senders: [{ member: "Jamie Raskin", role: "Ranking Member" }],
      recipients: [{ official: "Marco Rubio", name: "Marco Rubio", title: "Secretary", agency: "U.S. Department of State" }],
    });
    expect(applied.focus).toBe("title");
    expect(applied.note).toMatch(/sent date 2025-04-17/);
  });

  it("keeps a title typed and people already picked", () => {
    const applied = applyProposal(
      { title: "Typed", senders: [{ member: "jamie-raskin" }], recipients: [{ official: "12" }] },
      proposeLetter(LETTER),
    );
    expect(applied.values).toMatchObject({ title: "Typed", senders: [{ member: "jamie-raskin" }], recipients: [{ official: "12" }] });
    expect(applied.focus).toBe("sentOn");
  });

  it("on a letter being edited, keeps the questions it already has as they are (ids, kinds, repeat links) and says which it would remove", () => {
    const form = {
      senders: [{ member: "jamie-raskin" }],
      questions: [
        { id: "41", text: "Provide all communications about the agreement.", kind: "document_request", repeats: "7" },
        { id: "40", text: "What is the legal basis?", kind: "question" },
        { id: "42", text: "How much was paid?", kind: "question" },
      ],
    };
    const applied = applyProposal(form, proposeLetter(LETTER));
    expect(applied.values.questions).toEqual([
      { id: "40", text: "What is the legal basis?", kind: "question" },
      { id: "41", text: "Provide all communications about the agreement.", kind: "document_request", repeats: "7" },
    ]);
    expect(applied.note).toMatch(/2 questions and requests \(2 as the letter already has them, kept with their responses and links\)/);
    expect(applied.note).toMatch(/1 question the form had is not in the text: saving removes it, with its verdicts\.$/);
  });

  it("never proposes today's date: no date line, no sent date", () => {
    const applied = applyProposal({ senders: [{}] }, proposeLetter("1. Who?\n2. Why?"));
    expect(applied.values.sentOn).toBeUndefined();
  });

  it.each([
    ["Committee on Oversight and Accountability", "House", "house-oversight"],
    ["Committee on Foreign Affairs", "House", "house-foreign-affairs"],
    ["Committee on Finance", "Senate", "senate-finance"],
    ["Committee on the Judiciary", "House", null], // none of that name in the list
  ])("matches %s (%s) to %s", (name, chamber, slug) => {
    const options = [
      { value: "house-oversight", label: "House Committee on Oversight and Accountability" },
      { value: "house-oversight-dems", label: "House Committee on Oversight and Accountability (Democrats)" },
      { value: "house-foreign-affairs", label: "House Foreign Affairs Committee" },
      { value: "senate-finance", label: "Senate Finance Committee" },
    ];
    expect(matchCommittee(name, chamber as "House", options)?.value ?? null).toBe(slug);
  });
});

describe("the work of flattened and noisy text", () => {
  function steps(text: string): number {
    const before = proposalWork.steps;
    proposeLetter(text, { sentOn: "2025-01-01" });
    return proposalWork.steps - before;
  }
  const shapes: Array<[string, (n: number) => string]> = [
    ["a list flattened onto one line", (n) => Array.from({ length: n }, (_, index) => `${(index % 50) + 1}. Why? `).join("")],
    ["bullets", (n) => "• a;\n".repeat(n)],
    ["page headers", (n) => "The Honorable Marco Rubio\nApril 17, 2025\nPage 2\n1. a\n".repeat(n)],
    ["footnotes", (n) => "1 See Letter from Hon. A to Hon. B (Jan. 1, 2025).\n2. a\n".repeat(n)],
    ["closings", (n) => "Sincerely,\nJamie Raskin\nRanking Member\n".repeat(n)],
    ["salutations and prose", (n) => "Dear Secretary Rubio:\nPlease provide all records. We request a briefing.\n".repeat(n)],
    ["spaces", (n) => `1. a${" ".repeat(n)}b.${" ".repeat(n)}2. c`],
  ];
  it.each(shapes)("grows linearly: %s", (_name, build) => {
    const small = steps(build(1_000));
    const large = steps(build(4_000));
    expect(small).toBeGreaterThan(0);
    expect(large / small).toBeLessThan(4.5);
  });
});

describe("marked pieces of the text", () => {
  const source = (key: string, start: number, end: number) => ({ key, label: key, span: { start, end } });
  const render = (pieces: MarkedPiece[]): string =>
    pieces.map((piece) => ("text" in piece ? piece.text : `[${piece.source.key}:${render(piece.pieces)}]`)).join("");

  it("marks sources, nests one inside another, and leaves out one that only partly overlaps", () => {
    const text = "0123456789abcdef";
    const pieces = markedPieces(text, [source("a", 2, 10), source("b", 4, 6), source("c", 8, 12), source("d", 12, 14)]);
    expect(render(pieces)).toBe("01[a:23[b:45]6789]ab[d:cd]ef");
  });

  it("marks every proposed field of a letter, each once", () => {
    const proposal = proposeLetter("April 17, 2025\n\nDear Secretary Rubio:\n\nPlease respond within 14 days.\n\n1. Who?\n2. Why?\n\nSincerely,\n\nJamie Raskin\nRanking Member");
    const keys: string[] = [];
    const walk = (pieces: MarkedPiece[]) => pieces.forEach((piece) => ("source" in piece ? (keys.push(piece.source.key), walk(piece.pieces)) : null));
    walk(markedPieces(proposal.text, proposalSources(proposal)));
    expect(keys).toEqual(["sent-on", "recipient-1", "deadline", "item-1", "item-2", "sender-1"]);
  });
});

describe("keepQuestionIdentities: a proposal's questions matched to the form's", () => {
  const row = (id: string, text: string, extra: Record<string, string> = {}) => ({ id, text, kind: "question", ...extra });
  it.each([
    {
      case: "the same words: the stored row, unchanged",
      form: [row("1", "Why?"), row("2", "Who decided?", { repeats: "9" })],
      proposed: ["Why?", "Who decided?"],
      rows: [row("1", "Why?"), row("2", "Who decided?", { repeats: "9" })],
      kept: 2,
      leftOut: 0,
    },
    {
      case: "case, quotes, spacing and end punctuation aside",
      form: [row("1", "Who signed the “agreement”?")],
      proposed: ["who signed the  agreement"],
      rows: [row("1", "Who signed the “agreement”?")],
      kept: 1,
      leftOut: 0,
    },
    {
      case: "a changed question is new; the old one would be removed",
      form: [row("1", "Why?")],
      proposed: ["Why not?"],
      rows: [{ text: "Why not?", kind: "question" }],
      kept: 0,
      leftOut: 1,
    },
    {
      case: "a text asked twice matches two rows, each once",
      form: [row("1", "Why?"), row("2", "Why?")],
      proposed: ["Why?", "Why?", "Why?"],
      rows: [row("1", "Why?"), row("2", "Why?"), { text: "Why?", kind: "question" }],
      kept: 2,
      leftOut: 0,
    },
    {
      case: "rows not yet saved (no id) are not counted as removed",
      form: [{ text: "Draft question", kind: "question" }, {}],
      proposed: ["Other"],
      rows: [{ text: "Other", kind: "question" }],
      kept: 0,
      leftOut: 0,
    },
  ])("$case", ({ form, proposed, rows, kept, leftOut }) => {
    expect(keepQuestionIdentities(form, proposed.map((text) => ({ text, kind: "question" })))).toEqual({ rows, kept, leftOut });
  });
});

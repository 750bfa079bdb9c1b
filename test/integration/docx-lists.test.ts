/**
 * Word lists in .docx files made here (the docx package), read by the document worker: their
 * numbers come out as Word shows them (decimal "1.", letters "(a)", roman "I." and "(i)", bullets,
 * a list restarting, a list continued after a paragraph, a multi-level list; decision 0011,
 * addendum), and the proposal finds every question and request in each.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { proposeLetter } from "~/domain/letter-proposal";
import { closeDocumentExtraction, documentText, extractDocument } from "~/utils/document-extract.server";
import { tempDir, writeFixture } from "../support/document-fixtures";

const dir = tempDir("docx-lists");
afterAll(async () => {
  await closeDocumentExtraction();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Docx = typeof import("docx");
/** A body paragraph: plain text, or an item of list `reference` at `level` (and list instance). */
type Body = string | { text: string; list: string; level?: number; instance?: number };

async function letter(name: string, body: Body[]): Promise<string> {
  const { Document, Packer, Paragraph, LevelFormat, AlignmentType }: Docx = await import("docx");
  const level = (level: number, format: (typeof LevelFormat)[keyof typeof LevelFormat], text: string) => ({ level, format, text, alignment: AlignmentType.START });
  const document = new Document({
    numbering: {
      config: [
        { reference: "decimal", levels: [level(0, LevelFormat.DECIMAL, "%1.")] },
        { reference: "letters", levels: [level(0, LevelFormat.LOWER_LETTER, "(%1)")] },
        { reference: "upper-roman", levels: [level(0, LevelFormat.UPPER_ROMAN, "%1.")] },
        { reference: "lower-roman", levels: [level(0, LevelFormat.LOWER_ROMAN, "(%1)")] },
        { reference: "bullets", levels: [level(0, LevelFormat.BULLET, "\uF0B7")] },
        {
          reference: "multi",
          levels: [level(0, LevelFormat.DECIMAL, "%1."), level(1, LevelFormat.LOWER_LETTER, "%2)"), level(2, LevelFormat.LOWER_ROMAN, "(%3)")],
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({ text: "April 17, 2025" }),
          new Paragraph({ text: "The Honorable Marco Rubio" }),
          new Paragraph({ text: "Secretary of State" }),
          new Paragraph({ text: "Dear Secretary Rubio:" }),
          new Paragraph({ text: "We write regarding the detention agreement with the Government of El Salvador." }),
          ...body.map((part) =>
            typeof part === "string"
              ? new Paragraph({ text: part })
              : new Paragraph({ text: part.text, numbering: { reference: part.list, level: part.level ?? 0, ...(part.instance === undefined ? {} : { instance: part.instance }) } }),
          ),
          new Paragraph({ text: "Sincerely," }),
          new Paragraph({ text: "Gregory W. Meeks" }),
          new Paragraph({ text: "Ranking Member" }),
        ],
      },
    ],
  });
  return writeFixture(dir, name, new Uint8Array(await Packer.toBuffer(document)));
}

const item = (list: string, text: string, level = 0, instance?: number): Body => ({ text, list, level, ...(instance === undefined ? {} : { instance }) });

describe("Word lists come out as Word numbers them, and the proposal finds their items", () => {
  it.each<[string, Body[], string, Array<[string, string]>]>([
    [
      "decimal 1.",
      ["Please answer the following questions:", item("decimal", "How many people were transferred?"), item("decimal", "What did the United States pay?")],
      "1. How many people were transferred?\n2. What did the United States pay?",
      [["question", "How many people were transferred?"], ["question", "What did the United States pay?"]],
    ],
    [
      "letters (a)",
      ["Please answer the following questions:", item("letters", "How many people were transferred?"), item("letters", "What did the United States pay?")],
      "(a) How many people were transferred?\n(b) What did the United States pay?",
      [["question", "How many people were transferred?"], ["question", "What did the United States pay?"]],
    ],
    [
      "upper-case roman I.",
      ["We request the following:", item("upper-roman", "All documents about the agreement."), item("upper-roman", "A briefing for Committee staff."), item("upper-roman", "Who approved the payments?")],
      "I. All documents about the agreement.\nII. A briefing for Committee staff.\nIII. Who approved the payments?",
      [["document_request", "All documents about the agreement."], ["briefing_request", "A briefing for Committee staff."], ["question", "Who approved the payments?"]],
    ],
    [
      "lower-case roman (i)",
      ["Please answer the following questions:", item("lower-roman", "How many people were transferred?"), item("lower-roman", "What did the United States pay?")],
      "(i) How many people were transferred?\n(ii) What did the United States pay?",
      [["question", "How many people were transferred?"], ["question", "What did the United States pay?"]],
    ],
    [
      "bullets (a Symbol-font glyph in Word)",
      ["Please provide the following by May 1, 2025:", item("bullets", "All contracts with the Government of El Salvador;"), item("bullets", "All communications with CoreCivic.")],
      "• All contracts with the Government of El Salvador;\n• All communications with CoreCivic.",
      [["document_request", "All contracts with the Government of El Salvador"], ["document_request", "All communications with CoreCivic."]],
    ],
    [
      "a list restarting (a second instance of the same list)",
      [
        "Please answer the following questions:",
        item("decimal", "How many people were transferred?", 0, 1),
        item("decimal", "What did the United States pay?", 0, 1),
        "In addition, please produce the following documents:",
        item("decimal", "All contracts about the transfers.", 0, 2),
        item("decimal", "All legal opinions about the transfers.", 0, 2),
      ],
      "1. How many people were transferred?\n2. What did the United States pay?\n\nIn addition, please produce the following documents:\n1. All contracts about the transfers.\n2. All legal opinions about the transfers.",
      [
        ["question", "How many people were transferred?"],
        ["question", "What did the United States pay?"],
        ["document_request", "All contracts about the transfers."],
        ["document_request", "All legal opinions about the transfers."],
      ],
    ],
    [
      "a list continued after a paragraph",
      [
        "Please answer the following questions:",
        item("decimal", "How many people were transferred?"),
        item("decimal", "What did the United States pay?"),
        "The Department told reporters the agreement was temporary.",
        item("decimal", "When will the agreement end?"),
      ],
      "1. How many people were transferred?\n2. What did the United States pay?\n\nThe Department told reporters the agreement was temporary.\n3. When will the agreement end?",
      [["question", "How many people were transferred?"], ["question", "What did the United States pay?"], ["question", "When will the agreement end?"]],
    ],
    [
      "a multi-level list",
      [
        "Please answer the following questions:",
        item("multi", "How many people were transferred?"),
        item("multi", "How many had criminal records?", 1),
        item("multi", "How many were convicted of violent crimes?", 2),
        item("multi", "How many had no records at all?", 1),
        item("multi", "What did the United States pay?"),
        item("multi", "To whom was it paid?", 1),
      ],
      "1. How many people were transferred?\na) How many had criminal records?\n(i) How many were convicted of violent crimes?\nb) How many had no records at all?\n2. What did the United States pay?\na) To whom was it paid?",
      [
        ["question", "How many people were transferred? a) How many had criminal records? (i) How many were convicted of violent crimes? b) How many had no records at all?"],
        ["question", "What did the United States pay? a) To whom was it paid?"],
      ],
    ],
  ])("%s", async (name, body, lists, items) => {
    const file = await letter(`${name.replace(/\W+/g, "-")}.docx`, body);
    const text = documentText(await extractDocument(file));
    expect(text).toContain(lists);
    const proposal = proposeLetter(text);
    expect(proposal.items.map((found) => [found.kind, found.text])).toEqual(items);
    expect(proposal.items.map((found) => found.number)).toEqual(items.map((_, index) => index + 1));
  }, 120_000);
});

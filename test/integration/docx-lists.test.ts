/**
 * Word lists lettered (a., b.) or in roman numerals (I., II.): mammoth keeps a list's level and
 * whether it is ordered, not its number format, so the text writes their numbers by level ("1.",
 * "2."; decisions 0011 and 0017). What matters for the letter survives: every item is proposed, with
 * its kind, numbered 1..n as the tracker numbers questions. This pins that down.
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

describe("lettered and roman Word lists", () => {
  it("propose every item with its kind; their numbers are written by level, not as Word formats them", async () => {
    const { Document, Packer, Paragraph, LevelFormat, AlignmentType } = await import("docx");
    const document = new Document({
      numbering: {
        config: [
          { reference: "letters", levels: [{ level: 0, format: LevelFormat.LOWER_LETTER, text: "%1.", alignment: AlignmentType.START }] },
          { reference: "roman", levels: [{ level: 0, format: LevelFormat.UPPER_ROMAN, text: "%1.", alignment: AlignmentType.START }] },
        ],
      },
      sections: [
        {
          children: [
            new Paragraph({ text: "Dear Secretary Rubio:" }),
            new Paragraph({ text: "Please answer the following:" }),
            new Paragraph({ text: "How many people were transferred?", numbering: { reference: "letters", level: 0 } }),
            new Paragraph({ text: "What did the United States pay?", numbering: { reference: "letters", level: 0 } }),
            new Paragraph({ text: "We also request:" }),
            new Paragraph({ text: "All documents about the agreement.", numbering: { reference: "roman", level: 0 } }),
            new Paragraph({ text: "A briefing for Committee staff.", numbering: { reference: "roman", level: 0 } }),
            new Paragraph({ text: "Sincerely, Gregory W. Meeks" }),
          ],
        },
      ],
    });
    const file = writeFixture(dir, "lists.docx", new Uint8Array(await Packer.toBuffer(document)));
    const text = documentText(await extractDocument(file));
    // Written as "1.", "2." (Word shows "a.", "b." and "I.", "II."): the format is not kept.
    expect(text).toContain("1. How many people were transferred?\n2. What did the United States pay?");
    expect(text).toContain("1. All documents about the agreement.\n2. A briefing for Committee staff.");
    expect(proposeLetter(text).items.map((item) => [item.number, item.kind, item.text])).toEqual([
      [1, "question", "How many people were transferred?"],
      [2, "question", "What did the United States pay?"],
      [3, "document_request", "All documents about the agreement."],
      [4, "briefing_request", "A briefing for Committee staff."],
    ]);
  }, 120_000);
});

/**
 * The letter proposal against a corpus of letters written in the shapes congressional oversight
 * letters take (test/fixtures/letters: one .txt per letter, and beside it the .json of what a
 * careful staffer would enter): House and Senate letterheads, member-office letters, one- and
 * multi-column signature blocks, cc lines, footnotes, page headers and numbers inside lists,
 * OCR-flattened text, prose requests, numbered, lettered, roman and bulleted lists with sub-items,
 * and deadlines in the words letters use. Every field is compared whole: every item found, nothing
 * extra, the kind right, the deadline right, the people right.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { proposeLetter } from "~/domain/letter-proposal";

interface Expected {
  /** The sent date the staffer typed, for a text without a date line. */
  givenSentOn?: string;
  title: string | null;
  sentOn: string | null;
  chamber: string | null;
  committee: string | null;
  senders: Array<[string, string | null]>;
  recipients: Array<[string, string | null, string | null]>;
  deadline: string | null;
  items: Array<[string, string]>;
}

const DIRECTORY = path.join(import.meta.dirname, "../fixtures/letters");
const LETTERS = fs
  .readdirSync(DIRECTORY)
  .filter((name) => name.endsWith(".txt"))
  .sort()
  .map((name) => ({
    name: name.replace(/\.txt$/, ""),
    text: fs.readFileSync(path.join(DIRECTORY, name), "utf8"),
    expected: JSON.parse(fs.readFileSync(path.join(DIRECTORY, name.replace(/\.txt$/, ".json")), "utf8")) as Expected,
  }));

const CLOSING_OR_SIGNATURE = /\b(?:Sincerely|Respectfully|Thank you for your|Ranking Member|Member of Congress|United States Senator|Chairman)\b/;

describe("the letter corpus", () => {
  it("has at least 30 letters", () => {
    expect(LETTERS.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(LETTERS)("$name", ({ text, expected }) => {
    const proposal = proposeLetter(text, { sentOn: expected.givenSentOn ?? null });

    it("finds every question and request, with its kind, and nothing else", () => {
      expect(proposal.items.map((item) => [item.kind, item.text])).toEqual(expected.items);
      expect(proposal.items.map((item) => item.number)).toEqual(expected.items.map((_, index) => index + 1));
    });

    it("keeps the closing and the signature out of every item", () => {
      for (const item of proposal.items) expect(item.text).not.toMatch(CLOSING_OR_SIGNATURE);
    });

    it("finds the deadline", () => {
      expect(proposal.deadline?.date ?? null).toBe(expected.deadline);
    });

    it("finds the title, sent date, chamber and committee", () => {
      expect({
        title: proposal.title?.text ?? null,
        sentOn: proposal.sentOn?.date ?? null,
        chamber: proposal.chamber?.value ?? null,
        committee: proposal.committee?.name ?? null,
      }).toEqual({ title: expected.title, sentOn: expected.sentOn, chamber: expected.chamber, committee: expected.committee });
    });

    it("finds every sender and recipient", () => {
      expect(proposal.senders.map((sender) => [sender.name, sender.title])).toEqual(expected.senders);
      expect(proposal.recipients.map((recipient) => [recipient.name, recipient.title, recipient.agencyName])).toEqual(expected.recipients);
    });

    it("points every proposed field at the text it came from", () => {
      const spans = [
        proposal.title?.span,
        proposal.sentOn?.span,
        proposal.committee?.span,
        proposal.deadline?.span,
        ...proposal.items.map((item) => item.span),
        ...proposal.senders.map((sender) => sender.span),
        ...proposal.recipients.map((recipient) => recipient.span),
      ].filter((span) => span !== undefined);
      for (const span of spans) {
        expect(span.start).toBeGreaterThanOrEqual(0);
        expect(span.end).toBeGreaterThan(span.start);
        expect(span.end).toBeLessThanOrEqual(proposal.text.length);
      }
      if (proposal.sentOn) expect(proposal.text.slice(proposal.sentOn.span.start, proposal.sentOn.span.end)).toMatch(/\d{4}/);
      if (proposal.deadline) expect(proposal.text.slice(proposal.deadline.span.start, proposal.deadline.span.end)).toBe(proposal.deadline.phrase);
      for (const item of proposal.items) {
        // The item's first words are where its span starts (after its list marker).
        const words = item.text.split(" ").slice(0, 3).join(" ");
        expect(proposal.text.slice(item.span.start, item.span.end).replace(/\s+/g, " ")).toContain(words);
      }
      for (const sender of proposal.senders) expect(proposal.text.slice(sender.span.start, sender.span.end)).toContain(sender.name.split(" ").at(-1));
    });
  });
});

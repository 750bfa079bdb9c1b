/**
 * The pure halves of extraction: a PDF page's positioned text items as lines (pdf-text-lines.ts)
 * and mammoth's Word document model as lines and pages (docx-text.ts).
 */
import { describe, expect, it } from "vitest";
import { docxText, type DocxNode } from "~/domain/docx-text";
import { pdfLines, type PdfTextItem } from "~/domain/pdf-text-lines";

const item = (str: string, x: number, y: number, width = str.length * 6, height = 12): PdfTextItem => ({ str, x, y, width, height });

describe("pdfLines", () => {
  it.each<[string, PdfTextItem[], string[]]>([
    ["nothing", [], []],
    ["whitespace only", [item("   ", 72, 700)], []],
    ["one item", [item("Dear Secretary,", 72, 700)], ["Dear Secretary,"]],
    ["items on one baseline, out of order, joined left to right with a space at a gap", [item("world", 120, 700), item("Hello", 72, 700)], ["Hello world"]],
    ["touching items are not split by a space", [item("Hel", 72, 700, 18), item("lo", 90, 700, 12)], ["Hello"]],
    ["a space item is kept as one space", [item("Hello", 72, 700, 30), item(" ", 102, 700, 3), item("there", 105, 700, 30)], ["Hello there"]],
    ["a slightly raised item (a footnote mark) stays on its line, attached", [item("Section 5", 72, 700, 54), item("a", 127, 703, 4, 7), item("applies", 140, 700)], ["Section 5a applies"]],
    ["lines top to bottom, one list item per line", [item("2. Who approved it?", 72, 684), item("1. How many?", 72, 700), item("Questions:", 72, 716)], ["Questions:", "1. How many?", "2. Who approved it?"]],
    ["a wide gap between lines is a blank line (new paragraph)", [item("Dear Secretary,", 72, 700), item("We write", 72, 660)], ["Dear Secretary,", "", "We write"]],
    ["unknown font size falls back to a default", [item("a", 72, 700, 6, 0), item("b", 72, 688, 6, 0)], ["a", "b"]],
    ["runs of spaces inside a line become one", [item("1.    How   many?", 72, 700)], ["1. How many?"]],
  ])("%s", (_name, items, lines) => {
    expect(pdfLines(items)).toEqual(lines);
  });
});

const t = (value: string): DocxNode => ({ type: "text", value });
const run = (...children: DocxNode[]): DocxNode => ({ type: "run", children });
const p = (value: string, numbering?: { level: number; isOrdered: boolean }): DocxNode => ({ type: "paragraph", children: [run(t(value))], numbering: numbering ?? null });
const doc = (...children: DocxNode[]): DocxNode => ({ type: "document", children });
/** mammoth gives the paragraphs of one list level the same numbering object. */
const list = () => [0, 1, 2].map((level) => ({ level, isOrdered: true }));
const [L0, L1, L2] = list() as [{ level: number; isOrdered: boolean }, { level: number; isOrdered: boolean }, { level: number; isOrdered: boolean }];
const [M0] = list() as [{ level: number; isOrdered: boolean }];

describe("docxText", () => {
  it.each<[string, DocxNode, string[]]>([
    ["paragraphs are lines", doc(p("Dear Secretary,"), p(""), p("We write.")), ["Dear Secretary,\n\nWe write."]],
    ["runs join; tabs kept; a line break is a new line", doc({ type: "paragraph", children: [run(t("One"), { type: "tab" }, t("two")), run({ type: "break", breakType: "line" }), run(t("three"))] }), ["One\ttwo\nthree"]],
    [
      "numbered list items get their numbers, nested levels (a) and (i)",
      doc(p("Questions:"), p("How many?", L0), p("Which contracts?", L1), p("Signed when?", L2), p("And by whom?", L2), p("Who approved?", L1), p("What was paid?", L0), p("Paid to whom?", L1)),
      ["Questions:\n1. How many?\n(a) Which contracts?\n(i) Signed when?\n(ii) And by whom?\n(b) Who approved?\n2. What was paid?\n(a) Paid to whom?"],
    ],
    ["a list keeps counting across paragraphs of text, as in Word", doc(p("A", L0), p("B", L0), p("Then:"), p(""), p("C", L0)), ["1. A\n2. B\n\nThen:\n\n3. C"]],
    ["another list counts from 1", doc(p("A", L0), p("B", L0), p("Then:"), p("C", M0)), ["1. A\n2. B\n\nThen:\n1. C"]],
    ["a paragraph after a list's last item is set off by a blank line (one only)", doc(p("Questions:"), p("A", L0), p("Thank you."), p("Sincerely,")), ["Questions:\n1. A\n\nThank you.\nSincerely,"]],
    ["bullets", doc(p("First", { level: 0, isOrdered: false }), p("Second", { level: 0, isOrdered: false })), ["• First\n• Second"]],
    ["a page break starts a page", doc({ type: "paragraph", children: [run(t("Page one")), run({ type: "break", breakType: "page" }), run(t("Page two"))] }), ["Page one", "Page two"]],
    [
      "table rows are lines, cells separated by tabs",
      doc({ type: "table", children: [{ type: "tableRow", children: [{ type: "tableCell", children: [p("Name")] }, { type: "tableCell", children: [p("Due")] }] }, { type: "tableRow", children: [{ type: "tableCell", children: [p("Report")] }, { type: "tableCell", children: [p("May 1")] }] }] }),
      ["Name\tDue\nReport\tMay 1"],
    ],
    ["hyperlinks keep their text", doc({ type: "paragraph", children: [{ type: "hyperlink", children: [run(t("the report"))] }] }), ["the report"]],
  ])("%s", (_name, document, pages) => {
    expect(docxText(document)).toEqual(pages);
  });
});

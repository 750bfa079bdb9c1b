/**
 * Word's list numbers from the .docx's XML (docx-numbering.ts): number formats, level texts,
 * counting per list as Word does (start values, overrides, restarts, continuing across
 * paragraphs), numbering through paragraph styles, and pairing with mammoth's paragraphs.
 */
import { describe, expect, it } from "vitest";
import { bulletGlyph, docxListMarkers, documentParagraphs, formatNumber, listMarkers, parseNumbering, type DocxParagraph } from "~/domain/docx-numbering";
import { docxText, type DocxNode } from "~/domain/docx-text";

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

type Lvl = { ilvl: number; fmt: string; text: string; start?: number | null; restart?: number; legal?: boolean; pStyle?: string };
const lvl = ({ ilvl, fmt, text, start = 1, restart, legal, pStyle }: Lvl) =>
  `<w:lvl w:ilvl="${ilvl}">${start === null ? "" : `<w:start w:val="${start}"/>`}<w:numFmt w:val="${fmt}"/>` +
  `${restart === undefined ? "" : `<w:lvlRestart w:val="${restart}"/>`}${pStyle ? `<w:pStyle w:val="${pStyle}"/>` : ""}` +
  `${legal ? "<w:isLgl/>" : ""}<w:lvlText w:val="${text}"/></w:lvl>`;
const abstract = (id: number, levels: Lvl[], extra = "") => `<w:abstractNum w:abstractNumId="${id}">${extra}${levels.map(lvl).join("")}</w:abstractNum>`;
const num = (id: number, abstractId: number, overrides = "") => `<w:num w:numId="${id}"><w:abstractNumId w:val="${abstractId}"/>${overrides}</w:num>`;
const startOverride = (ilvl: number, start: number) => `<w:lvlOverride w:ilvl="${ilvl}"><w:startOverride w:val="${start}"/></w:lvlOverride>`;
const numbering = (...parts: string[]) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering ${W}>${parts.join("")}</w:numbering>`;
const styles = (...parts: string[]) => `<?xml version="1.0"?><w:styles ${W}>${parts.join("")}</w:styles>`;
const style = (id: string, { numId, ilvl, basedOn, type = "paragraph" }: { numId?: number; ilvl?: number; basedOn?: string; type?: string } = {}) =>
  `<w:style w:type="${type}" w:styleId="${id}"><w:name w:val="${id}"/>${basedOn ? `<w:basedOn w:val="${basedOn}"/>` : ""}` +
  `${numId === undefined ? "" : `<w:pPr><w:numPr>${ilvl === undefined ? "" : `<w:ilvl w:val="${ilvl}"/>`}<w:numId w:val="${numId}"/></w:numPr></w:pPr>`}</w:style>`;

/** A paragraph: [numId, ilvl] or a style id, or nothing. */
const p = (numId: number | null, ilvl: number | null = 0, styleId: string | null = null): DocxParagraph => ({ text: "", numId: numId === null ? null : String(numId), ilvl: numId === null ? null : ilvl, styleId });
const styled = (styleId: string, ilvl: number | null = null): DocxParagraph => ({ text: "", numId: null, ilvl, styleId });

const decimal: Lvl = { ilvl: 0, fmt: "decimal", text: "%1." };
const multilevel: Lvl[] = [decimal, { ilvl: 1, fmt: "lowerLetter", text: "(%2)" }, { ilvl: 2, fmt: "lowerRoman", text: "(%3)" }];

describe("formatNumber", () => {
  it.each<[number, string, string]>([
    [1, "decimal", "1"],
    [12, "decimal", "12"],
    [1, "lowerLetter", "a"],
    [26, "lowerLetter", "z"],
    [27, "lowerLetter", "aa"],
    [53, "lowerLetter", "aaa"],
    [3, "upperLetter", "C"],
    [4, "lowerRoman", "iv"],
    [9, "lowerRoman", "ix"],
    [14, "upperRoman", "XIV"],
    [1994, "upperRoman", "MCMXCIV"],
    [7, "decimalZero", "07"],
    [12, "decimalZero", "12"],
    [2, "ordinal", "2nd"],
    [13, "ordinal", "13th"],
    [5, "none", ""],
    [5, "chineseCounting", "5"],
  ])("%i as %s is %j", (n, format, text) => {
    expect(formatNumber(n, format)).toBe(text);
  });
});

describe("bulletGlyph", () => {
  it.each<[string, string]>([
    ["\uF0B7", "•"],
    ["•", "•"],
    ["o", "◦"],
    ["\uF0A7", "▪"],
    ["§", "▪"],
    ["–", "–"],
    ["\uF0D8", "•"],
  ])("%j is written %j", (glyph, text) => {
    expect(bulletGlyph(glyph)).toBe(text);
  });
});

describe("listMarkers", () => {
  it.each<[string, string, string, DocxParagraph[], Array<string | null>]>([
    ["decimal with a period", numbering(abstract(0, [decimal]), num(1, 0)), "", [p(1), p(1), p(1)], ["1.", "2.", "3."]],
    ["letters in parentheses", numbering(abstract(0, [{ ilvl: 0, fmt: "lowerLetter", text: "(%1)" }]), num(1, 0)), "", [p(1), p(1)], ["(a)", "(b)"]],
    ["upper-case letters, a closing parenthesis", numbering(abstract(0, [{ ilvl: 0, fmt: "upperLetter", text: "%1)" }]), num(1, 0)), "", [p(1), p(1)], ["A)", "B)"]],
    ["roman numerals", numbering(abstract(0, [{ ilvl: 0, fmt: "upperRoman", text: "%1." }]), num(1, 0)), "", [p(1), p(1), p(1), p(1)], ["I.", "II.", "III.", "IV."]],
    ["bullets in the Symbol font", numbering(abstract(0, [{ ilvl: 0, fmt: "bullet", text: "\uF0B7" }]), num(1, 0)), "", [p(1), p(1)], ["•", "•"]],
    ["not a list item", numbering(abstract(0, [decimal]), num(1, 0)), "", [p(null), p(1), p(null)], [null, "1.", null]],
    ["numId 0 removes the numbering", numbering(abstract(0, [decimal]), num(1, 0)), "", [p(1), p(0), p(1)], ["1.", null, "2."]],
    ["a numId with no definition", numbering(abstract(0, [decimal]), num(1, 0)), "", [p(7)], [null]],
    ["a level that shows nothing", numbering(abstract(0, [{ ilvl: 0, fmt: "none", text: "" }]), num(1, 0)), "", [p(1)], [null]],
    ["the level's start value", numbering(abstract(0, [{ ...decimal, start: 5 }]), num(1, 0)), "", [p(1), p(1)], ["5.", "6."]],
    ["no start value starts at zero (ECMA-376 §17.9.25)", numbering(abstract(0, [{ ...decimal, start: null }]), num(1, 0)), "", [p(1), p(1)], ["0.", "1."]],
    ["a list keeps counting across paragraphs between its items", numbering(abstract(0, [decimal]), num(1, 0)), "", [p(1), p(1), p(null), p(null), p(1)], ["1.", "2.", null, null, "3."]],
    [
      "each numId counts on its own: a list restarting is a new numId with a start override",
      numbering(abstract(0, [decimal]), num(1, 0, startOverride(0, 1)), num(2, 0, startOverride(0, 1))),
      "",
      [p(1), p(1), p(null), p(2), p(2), p(1)],
      ["1.", "2.", null, "1.", "2.", "3."],
    ],
    ["a start override", numbering(abstract(0, [decimal]), num(1, 0, startOverride(0, 4))), "", [p(1), p(1)], ["4.", "5."]],
    [
      "a level override replaces the level's format",
      numbering(abstract(0, [decimal]), num(1, 0, `<w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1)"/></w:lvl></w:lvlOverride>`)),
      "",
      [p(1), p(1)],
      ["i)", "ii)"],
    ],
    [
      "multi-level: deeper levels restart after a shallower item",
      numbering(abstract(0, multilevel), num(1, 0)),
      "",
      [p(1, 0), p(1, 1), p(1, 2), p(1, 2), p(1, 1), p(1, 0), p(1, 1)],
      ["1.", "(a)", "(i)", "(ii)", "(b)", "2.", "(a)"],
    ],
    [
      "lvlRestart 0: the level never restarts",
      numbering(abstract(0, [decimal, { ilvl: 1, fmt: "lowerLetter", text: "%2.", restart: 0 }]), num(1, 0)),
      "",
      [p(1, 0), p(1, 1), p(1, 0), p(1, 1)],
      ["1.", "a.", "2.", "b."],
    ],
    [
      "lvlRestart 1: level 3 restarts after level 1, not after level 2",
      numbering(abstract(0, [decimal, { ilvl: 1, fmt: "lowerLetter", text: "%2." }, { ilvl: 2, fmt: "lowerRoman", text: "%3.", restart: 1 }]), num(1, 0)),
      "",
      [p(1, 0), p(1, 1), p(1, 2), p(1, 1), p(1, 2), p(1, 0), p(1, 2)],
      ["1.", "a.", "i.", "b.", "ii.", "2.", "i."],
    ],
    [
      "a level text showing the levels above, legal numbering shows them as decimals",
      numbering(abstract(0, [{ ilvl: 0, fmt: "upperRoman", text: "%1." }, { ilvl: 1, fmt: "decimal", text: "%1.%2", legal: true }, { ilvl: 2, fmt: "decimal", text: "%1-%3" }]), num(1, 0)),
      "",
      [p(1, 0), p(1, 1), p(1, 1), p(1, 0), p(1, 1), p(1, 2)],
      ["I.", "1.1", "1.2", "II.", "2.1", "II-1"],
    ],
    [
      "numbering through the paragraph's style (the level from the style's numPr)",
      numbering(abstract(0, multilevel), num(3, 0)),
      styles(style("Question", { numId: 3, ilvl: 0 }), style("SubQuestion", { numId: 3, ilvl: 1 })),
      [styled("Question"), styled("SubQuestion"), styled("Question")],
      ["1.", "(a)", "2."],
    ],
    [
      "a style based on a numbered style; the direct ilvl wins",
      numbering(abstract(0, multilevel), num(3, 0)),
      styles(style("ListNumber", { numId: 3 }), style("LetterQuestion", { basedOn: "ListNumber" })),
      [styled("LetterQuestion"), styled("LetterQuestion", 1)],
      ["1.", "(a)"],
    ],
    [
      "a style's level found by the level's w:pStyle",
      numbering(abstract(0, [decimal, { ilvl: 1, fmt: "lowerLetter", text: "%2)", pStyle: "Sub" }]), num(2, 0)),
      styles(style("Top", { numId: 2 }), style("Sub", { numId: 2 })),
      [styled("Top"), styled("Sub"), styled("Sub")],
      ["1.", "a)", "b)"],
    ],
    [
      "an abstract linked to a numbering style takes that style's list",
      numbering(abstract(0, [{ ilvl: 0, fmt: "lowerLetter", text: "%1." }], '<w:styleLink w:val="LetterList"/>'), abstract(1, [], '<w:numStyleLink w:val="LetterList"/>'), num(1, 0), num(2, 1)),
      styles(style("LetterList", { numId: 1, type: "numbering" })),
      [p(2), p(2)],
      ["a.", "b."],
    ],
    ["no numbering part", "", "", [p(1)], [null]],
  ])("%s", (_name, numberingXml, stylesXml, paragraphs, markers) => {
    expect(listMarkers(paragraphs, parseNumbering(numberingXml, stylesXml))).toEqual(markers);
  });
});

describe("documentParagraphs", () => {
  it("reads paragraphs in document order, in tables too, with their numbering and style; deleted text and the newer half of alternate content are left out", () => {
    const xml = `<?xml version="1.0"?><w:document ${W} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>
      <w:p><w:r><w:t>Dear Secretary:</w:t></w:r></w:p>
      <w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="4"/></w:numPr></w:pPr><w:r><w:t xml:space="preserve">How </w:t></w:r><w:del><w:r><w:delText>old</w:delText></w:r></w:del><w:r><w:tab/><w:t>many &amp; when</w:t><w:noBreakHyphen/><w:softHyphen/><w:t>?</w:t></w:r></w:p>
      <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
      <w:p><w:r><mc:AlternateContent><mc:Choice><w:t>new</w:t></mc:Choice><mc:Fallback><w:t>old</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>
    </w:body></w:document>`;
    expect(documentParagraphs(xml)).toEqual([
      { text: "Dear Secretary:", numId: null, ilvl: null, styleId: null },
      { text: "How \tmany & when\u2011\u00AD?", numId: "4", ilvl: 1, styleId: "ListParagraph" },
      { text: "Cell", numId: null, ilvl: null, styleId: null },
      { text: "old", numId: null, ilvl: null, styleId: null },
    ]);
  });
});

describe("docxText with Word's markers", () => {
  const t = (value: string): DocxNode => ({ type: "text", value });
  const para = (value: string, numbering: DocxNode["numbering"] = null): DocxNode => ({ type: "paragraph", children: [{ type: "run", children: [t(value)] }], numbering });
  const doc = (...children: DocxNode[]): DocxNode => ({ type: "document", children });
  const ordered = { level: 0, isOrdered: true };
  const xml = `<?xml version="1.0"?><w:document ${W}><w:body>
    <w:p><w:r><w:t>Questions:</w:t></w:r></w:p>
    <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>How many?</w:t></w:r></w:p>
    <w:p><w:r><w:t>Only in the XML</w:t></w:r></w:p>
    <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Who  approved?</w:t></w:r></w:p>
  </w:body></w:document>`;
  const markers = docxListMarkers(xml, numbering(abstract(0, [{ ilvl: 0, fmt: "lowerLetter", text: "(%1)" }]), num(1, 0)), null);

  it.each<[string, DocxNode, string[]]>([
    ["paired by text in order, skipping paragraphs mammoth does not show; white space does not matter", doc(para("Questions:"), para("How many?", ordered), para("Who approved?", ordered)), ["Questions:\n(a) How many?\n(b) Who approved?"]],
    ["a paragraph that cannot be paired falls back to the guess by level", doc(para("Questions:"), para("Something else", ordered), para("Who approved?", ordered)), ["Questions:\n1. Something else\n(b) Who approved?"]],
  ])("%s", (_name, document, pages) => {
    expect(docxText(document, markers)).toEqual(pages);
  });
});

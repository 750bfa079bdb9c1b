/**
 * Word's list numbers as Word shows them, from the .docx's own XML: the numbering definitions
 * (`word/numbering.xml`: w:abstractNum/w:lvl with w:numFmt, w:lvlText, w:start, w:lvlRestart,
 * w:isLgl; w:num mapping a numId to its abstractNumId with w:lvlOverride/w:startOverride), the
 * paragraph styles that carry numbering (`word/styles.xml`), and each paragraph's w:numPr (numId,
 * ilvl), direct or through its style. mammoth keeps a list level's "ordered or not", not its
 * format, so docx-text.ts takes the numbers from here (decision 0011, addendum).
 *
 * Counting as Word does: each list (numId) counts on its own from its level's start (or the
 * list's w:startOverride); a list keeps counting across the paragraphs between its items; an
 * item restarts the deeper levels (all of them, or as w:lvlRestart says); "%1.%2" shows the
 * counts of the levels above. Pure: XML text in, markers out (the zip is read by the worker).
 */
import { XMLParser } from "fast-xml-parser";
import { paragraphKey } from "./docx-text";

export interface NumberingLevel {
  /** w:numFmt: decimal, lowerLetter, upperLetter, lowerRoman, upperRoman, bullet, none, … */
  format: string;
  /** w:lvlText, e.g. "%1.", "(%2)", "%1.%2", or the bullet glyph. */
  text: string;
  start: number;
  /** w:lvlRestart: null restarts after any shallower level; 0 never; n after levels 1..n (one-based). */
  restart: number | null;
  /** w:isLgl: the levels above are shown as decimal numbers. */
  legal: boolean;
  /** w:pStyle: the paragraph style this level belongs to. */
  styleId: string | null;
}

export interface NumberingDefinitions {
  abstracts: Map<string, { levels: Map<number, NumberingLevel>; numStyleLink: string | null }>;
  nums: Map<string, { abstractId: string; overrides: Map<number, { start: number | null; level: NumberingLevel | null }> }>;
  /** Paragraph and numbering styles: their own numPr and the style they are based on. */
  styles: Map<string, { numId: string | null; ilvl: number | null; basedOn: string | null }>;
}

/** A paragraph of word/document.xml, in document order: its text and its direct numbering. */
export interface DocxParagraph {
  text: string;
  numId: string | null;
  ilvl: number | null;
  styleId: string | null;
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  removeNSPrefix: true,
  attributeNamePrefix: "",
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
});

function parse(xml: string | null | undefined): XmlNode[] {
  if (!xml) return [];
  return parser.parse(xml) as XmlNode[];
}

function nameOf(node: XmlNode): string {
  for (const key of Object.keys(node)) if (key !== ":@") return key;
  return "";
}

function childrenOf(node: XmlNode): XmlNode[] {
  const value = node[nameOf(node)];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function attr(node: XmlNode | undefined, name: string): string | null {
  const attributes = node?.[":@"] as Record<string, unknown> | undefined;
  const value = attributes?.[name];
  return typeof value === "string" ? value : null;
}

function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (!node) return undefined;
  return childrenOf(node).find((c) => nameOf(c) === name);
}

function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return childrenOf(node).filter((c) => nameOf(c) === name);
}

/** The first element of that name at any depth (the document's root is under the XML declaration). */
function root(nodes: XmlNode[], name: string): XmlNode | undefined {
  return nodes.find((node) => nameOf(node) === name);
}

function integer(value: string | null): number | null {
  if (value === null || !/^-?\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** w:on/off values: absent val is on; "0", "false", "off" are off. */
function isOn(node: XmlNode | undefined): boolean {
  if (!node) return false;
  const value = attr(node, "val");
  return value === null || !["0", "false", "off"].includes(value);
}

function levelOf(node: XmlNode): { ilvl: number; level: NumberingLevel } {
  const restart = integer(attr(child(node, "lvlRestart"), "val"));
  return {
    ilvl: integer(attr(node, "ilvl")) ?? 0,
    level: {
      format: attr(child(node, "numFmt"), "val") ?? "decimal",
      text: attr(child(node, "lvlText"), "val") ?? "",
      // ECMA-376 §17.9.25: a level without w:start starts at zero.
      start: integer(attr(child(node, "start"), "val")) ?? 0,
      restart,
      legal: isOn(child(node, "isLgl")),
      styleId: attr(child(node, "pStyle"), "val"),
    },
  };
}

function numPrOf(pPr: XmlNode | undefined): { numId: string | null; ilvl: number | null } {
  const numPr = child(pPr, "numPr");
  return { numId: attr(child(numPr, "numId"), "val"), ilvl: integer(attr(child(numPr, "ilvl"), "val")) };
}

/** The numbering definitions of word/numbering.xml and the numbering of word/styles.xml's styles. */
export function parseNumbering(numberingXml: string | null, stylesXml: string | null): NumberingDefinitions {
  const definitions: NumberingDefinitions = { abstracts: new Map(), nums: new Map(), styles: new Map() };
  const numbering = root(parse(numberingXml), "numbering");
  if (numbering) {
    for (const abstract of childrenNamed(numbering, "abstractNum")) {
      const id = attr(abstract, "abstractNumId");
      if (id === null) continue;
      const levels = new Map<number, NumberingLevel>();
      for (const lvl of childrenNamed(abstract, "lvl")) {
        const { ilvl, level } = levelOf(lvl);
        if (!levels.has(ilvl)) levels.set(ilvl, level);
      }
      definitions.abstracts.set(id, { levels, numStyleLink: attr(child(abstract, "numStyleLink"), "val") });
    }
    for (const num of childrenNamed(numbering, "num")) {
      const id = attr(num, "numId");
      const abstractId = attr(child(num, "abstractNumId"), "val");
      if (id === null || abstractId === null) continue;
      const overrides = new Map<number, { start: number | null; level: NumberingLevel | null }>();
      for (const override of childrenNamed(num, "lvlOverride")) {
        const ilvl = integer(attr(override, "ilvl")) ?? 0;
        const lvl = child(override, "lvl");
        overrides.set(ilvl, { start: integer(attr(child(override, "startOverride"), "val")), level: lvl ? levelOf(lvl).level : null });
      }
      definitions.nums.set(id, { abstractId, overrides });
    }
  }
  const styles = root(parse(stylesXml), "styles");
  if (styles) {
    for (const style of childrenNamed(styles, "style")) {
      const id = attr(style, "styleId");
      if (id === null) continue;
      const { numId, ilvl } = numPrOf(child(style, "pPr"));
      definitions.styles.set(id, { numId, ilvl, basedOn: attr(child(style, "basedOn"), "val") });
    }
  }
  return definitions;
}

/** Elements whose content mammoth does not show (deleted text, the newer half of alternate content). */
const SKIPPED = new Set(["del", "moveFrom", "Choice", "delText", "instrText", "footnoteReference", "endnoteReference"]);

/** word/document.xml's paragraphs in document order (tables and text boxes included), with their w:numPr and style. */
export function documentParagraphs(documentXml: string): DocxParagraph[] {
  const paragraphs: DocxParagraph[] = [];
  const visit = (nodes: XmlNode[], into: string[] | null): void => {
    for (const node of nodes) {
      const name = nameOf(node);
      if (name === "#text") {
        continue;
      }
      if (SKIPPED.has(name)) continue;
      if (name === "p") {
        const pPr = child(node, "pPr");
        const { numId, ilvl } = numPrOf(pPr);
        const entry: DocxParagraph = { text: "", numId, ilvl, styleId: attr(child(pPr, "pStyle"), "val") };
        paragraphs.push(entry);
        const parts: string[] = [];
        visit(childrenOf(node), parts);
        entry.text = parts.join("");
        continue;
      }
      if (name === "pPr") continue;
      if (name === "t" && into) {
        for (const text of childrenOf(node)) if (typeof text["#text"] === "string") into.push(text["#text"] as string);
        continue;
      }
      if (name === "tab" && into) into.push("\t");
      // As mammoth writes them, so the texts pair.
      if (name === "noBreakHyphen" && into) into.push("\u2011");
      if (name === "softHyphen" && into) into.push("\u00AD");
      visit(childrenOf(node), into);
    }
  };
  visit(parse(documentXml), null);
  return paragraphs;
}

// ---- Number formats ------------------------------------------------------------------------------

function roman(n: number): string {
  if (n <= 0 || n >= 4000) return String(n);
  const table: Array<[number, string]> = [
    [1000, "m"], [900, "cm"], [500, "d"], [400, "cd"], [100, "c"], [90, "xc"],
    [50, "l"], [40, "xl"], [10, "x"], [9, "ix"], [5, "v"], [4, "iv"], [1, "i"],
  ];
  let rest = n;
  let out = "";
  for (const [value, letters] of table) {
    while (rest >= value) {
      out += letters;
      rest -= value;
    }
  }
  return out;
}

/** Word's letters: a … z, then aa … zz, aaa … (the letter repeated, not base 26). */
function letters(n: number): string {
  if (n <= 0) return String(n);
  const letter = String.fromCharCode(97 + ((n - 1) % 26));
  return letter.repeat(Math.floor((n - 1) / 26) + 1);
}

function ordinalSuffix(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return "th";
  return ["th", "st", "nd", "rd"][n % 10] ?? "th";
}

/** A count in one of Word's number formats (ST_NumberFormat); formats for other scripts fall back to decimal. */
export function formatNumber(n: number, format: string): string {
  switch (format) {
    case "lowerLetter":
      return letters(n);
    case "upperLetter":
      return letters(n).toUpperCase();
    case "lowerRoman":
      return roman(n);
    case "upperRoman":
      return roman(n).toUpperCase();
    case "decimalZero":
      return n >= 0 && n < 10 ? `0${n}` : String(n);
    case "ordinal":
      return `${n}${ordinalSuffix(n)}`;
    case "decimalEnclosedParen":
      return `(${n})`;
    case "none":
      return "";
    default:
      return String(n);
  }
}

/**
 * A bullet as text: Word's bullets are often a Symbol or Wingdings character in the private-use
 * area (U+F0B7 and the like), or "o" in Courier New; written as the glyphs the letter parser knows.
 */
export function bulletGlyph(text: string): string {
  const glyph = text.trim();
  if (glyph === "o" || glyph === "○" || glyph === "◦") return "◦";
  if (glyph === "§" || glyph === "\uF0A7" || glyph === "▪" || glyph === "■") return "▪";
  if (["•", "●", "-", "–", "—", "‣", "➢", "►", "*"].includes(glyph)) return glyph;
  return "•";
}

// ---- Counting ------------------------------------------------------------------------------------

interface Resolved {
  numId: string;
  ilvl: number;
  levels: (ilvl: number) => NumberingLevel | null;
  startOf: (ilvl: number) => number;
}

function resolve(definitions: NumberingDefinitions, paragraph: Pick<DocxParagraph, "numId" | "ilvl" | "styleId">): Resolved | null {
  let numId = paragraph.numId;
  let ilvl = paragraph.ilvl;
  let fromStyle: string | null = null;
  if (numId === null) {
    // Through the paragraph's style and the styles it is based on.
    const seen = new Set<string>();
    for (let id = paragraph.styleId; id !== null && !seen.has(id); id = definitions.styles.get(id)?.basedOn ?? null) {
      seen.add(id);
      const style = definitions.styles.get(id);
      if (!style) break;
      if (ilvl === null && style.ilvl !== null) ilvl = style.ilvl;
      if (style.numId !== null) {
        numId = style.numId;
        fromStyle = id;
        break;
      }
    }
  }
  if (numId === null || numId === "0") return null;
  const num = definitions.nums.get(numId);
  if (!num) return null;
  // An abstract that is only a link to a numbering style takes that style's list's levels.
  let abstract = definitions.abstracts.get(num.abstractId);
  type Num = NonNullable<ReturnType<NumberingDefinitions["nums"]["get"]>>;
  let linked: Num | undefined;
  const seenLinks = new Set<string>();
  while (abstract?.numStyleLink && !seenLinks.has(abstract.numStyleLink)) {
    seenLinks.add(abstract.numStyleLink);
    const linkedNumId = definitions.styles.get(abstract.numStyleLink)?.numId;
    linked = linkedNumId ? definitions.nums.get(linkedNumId) : undefined;
    abstract = linked ? definitions.abstracts.get(linked.abstractId) : undefined;
  }
  if (!abstract) return null;
  if (ilvl === null && fromStyle !== null) {
    for (const [index, level] of abstract.levels) if (level.styleId === fromStyle) ilvl = index;
  }
  const overrideOf = (index: number) => num.overrides.get(index) ?? linked?.overrides.get(index);
  const levels = (index: number) => overrideOf(index)?.level ?? abstract!.levels.get(index) ?? null;
  return {
    numId,
    ilvl: Math.min(Math.max(ilvl ?? 0, 0), 8),
    levels,
    startOf: (index) => overrideOf(index)?.start ?? levels(index)?.start ?? 0,
  };
}

/**
 * Each paragraph's list marker as Word shows it ("1.", "(a)", "iv)", "1.2", "•"), or null for a
 * paragraph that is not a list item (or whose level shows nothing).
 */
export function listMarkers(paragraphs: Array<Pick<DocxParagraph, "numId" | "ilvl" | "styleId">>, definitions: NumberingDefinitions): Array<string | null> {
  const counts = new Map<string, Array<number | undefined>>();
  return paragraphs.map((paragraph) => {
    const resolved = resolve(definitions, paragraph);
    if (!resolved) return null;
    const level = resolved.levels(resolved.ilvl);
    if (!level) return null;
    const list = counts.get(resolved.numId) ?? [];
    counts.set(resolved.numId, list);
    const current = list[resolved.ilvl];
    list[resolved.ilvl] = current === undefined ? resolved.startOf(resolved.ilvl) : current + 1;
    for (let deeper = resolved.ilvl + 1; deeper < 9; deeper++) {
      const restart = resolved.levels(deeper)?.restart ?? null;
      // Restarts after any shallower level (the default), after levels 1..n (one-based), or never (0).
      if (restart === null || (restart > 0 && resolved.ilvl < restart)) list[deeper] = undefined;
    }
    if (level.format === "bullet") return bulletGlyph(level.text);
    const marker = level.text.replace(/%([1-9])/g, (_match, digit: string) => {
      const index = Number(digit) - 1;
      const value = list[index] ?? resolved.startOf(index);
      const format = index !== resolved.ilvl && level.legal ? "decimal" : (resolved.levels(index)?.format ?? "decimal");
      return formatNumber(value, format);
    });
    return marker.trim() === "" ? null : marker.trim();
  });
}

/** The markers of the document's paragraphs, keyed for pairing (docx-text.ts pairs them in order). */
export function docxListMarkers(documentXml: string, numberingXml: string | null, stylesXml: string | null): Array<{ key: string; marker: string | null }> {
  const paragraphs = documentParagraphs(documentXml);
  const markers = listMarkers(paragraphs, parseNumbering(numberingXml, stylesXml));
  return paragraphs.map((paragraph, index) => ({ key: paragraphKey(paragraph.text), marker: markers[index] ?? null }));
}

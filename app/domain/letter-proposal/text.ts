/**
 * The letter's text as the proposal reads it: normalised once (every span points into that text),
 * cut into lines, and lines flattened by OCR ("1. … 2. … 3. …" on one line, "… ? Sincerely, Jamie
 * Raskin") cut again where a list item or the closing begins. Page headers ("The Honorable Marco
 * Rubio / April 17, 2025 / Page 2"), page numbers and footnotes are marked as noise so that lists
 * run through them. Every step is one pass over the text.
 */
import { FULL_DATE_PATTERN } from "./calendar";

export interface Span {
  start: number;
  end: number;
}

/** Steps of work (lines, markers, joins) for tests that hold the proposal to linear work; never reset. */
export const proposalWork = { steps: 0 };

export interface Line extends Span {
  /** Position among the lines. */
  index: number;
  /** The line's text (the normalised text from start to end). */
  text: string;
  /** Leading spaces. */
  indent: number;
  blank: boolean;
  /** Page header, page number or footnote: not part of the letter's running text. */
  noise: boolean;
  /** Cut from the line before it (an OCR-flattened list or closing), not a real line start. */
  cut: boolean;
}

const LIGATURES: Record<string, string> = { "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl" };

/** One form for pasted and extracted text: \n line ends, plain spaces, no soft hyphens or ligatures. */
export function normaliseText(raw: string): string {
  return raw
    .replace(/\r\n?|[\u2028\u2029\f\v]/g, "\n")
    .replace(/[\u00a0\u2007\u202f]/g, " ")
    .replace(/\t/g, "    ")
    .replace(/[\u00ad\u200b\u200c\u200d\ufeff]/g, "")
    .replace(/[ﬀﬁﬂﬃﬄ]/g, (ligature) => LIGATURES[ligature]!)
    .replace(/[ \t]+$/gm, "");
}

/** Words that close a letter; what follows is the signature. */
export const CLOSING = /^(?:Sincerely(?: yours)?|Respectfully(?: yours| submitted)?|Very truly yours|Yours truly|Best regards|With best regards|Kind regards|Cordially|With appreciation),?(?=\s|$)/i;

/**
 * Where a flattened line is cut: before a list marker or bullet that follows the end of a sentence
 * or clause, and before a closing that follows the end of a sentence.
 */
const INLINE_CUT = new RegExp(
  String.raw`(?<=[.?!;:”"’)\]]\s{1,6})(?:(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]|\((?:\d{1,2}|[a-z]|[ivx]{1,4})\))\s+(?=[“"(A-Za-z])|[•●▪◦‣]\s+|(?:Sincerely|Respectfully|Very truly yours|Thank you for|We look forward|We appreciate your|Should you have|If you have any)\b)`,
  "g",
);

function lineOf(content: string, start: number, index: number, cut: boolean): Line {
  const trimmed = content.replace(/\s+$/, "");
  const indent = content.length - content.trimStart().length;
  return {
    index,
    start,
    end: start + trimmed.length,
    text: trimmed,
    indent,
    blank: trimmed.trim() === "",
    noise: false,
    cut,
  };
}

/** The lines of the normalised text, with flattened lines cut (see INLINE_CUT). */
export function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  for (const raw of text.split("\n")) {
    proposalWork.steps++;
    const cuts: number[] = [];
    if (raw.length > 20) {
      INLINE_CUT.lastIndex = 0;
      for (let match = INLINE_CUT.exec(raw); match; match = INLINE_CUT.exec(raw)) {
        proposalWork.steps++;
        cuts.push(match.index);
        if (match[0].length === 0) INLINE_CUT.lastIndex++;
      }
    }
    let from = 0;
    for (const cut of [...cuts, raw.length]) {
      if (cut <= from && cut !== raw.length) continue;
      const piece = raw.slice(from, cut);
      if (from === 0 || piece.trim() !== "") lines.push(lineOf(piece, offset + from, lines.length, from > 0));
      from = cut;
    }
    offset += raw.length + 1;
  }
  markNoise(lines);
  return lines;
}

/** "_______________": the rule above a page's footnotes. */
const SEPARATOR = /^\s*[_=*]{5,}\s*$|^\s*[-–—]{5,}\s*$/;
const PAGE_NUMBER = /^\s*(?:[-–—]\s*\d{1,3}\s*[-–—]|Page\s+\d{1,3}(?:\s+of\s+\d{1,3})?|\d{1,3}(?:\s+of\s+\d{1,3})?|\[\d{1,3}\])\s*$/i;
/** "The Honorable Marco Rubio   April 17, 2025   Page 2", or its parts on lines of their own. */
const PAGE_MARK = /(?:^|\s)Page\s+\d{1,3}(?:\s+of\s+\d{1,3})?\s*$/i;
const HEADER_PART = new RegExp(
  String.raw`^\s*(?:(?:The\s+)?Hon(?:orable|\.)\s+\S.{0,80}|(?:Mr|Ms|Mrs|Dr|Mx)\.\s+[A-Z].{0,60}|(?:Secretary|Director|Administrator|Attorney General|Commissioner|Chairman|Chair|Acting)\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}|${FULL_DATE_PATTERN})\s*$`,
  "i",
);
/**
 * A footnote: a number (or superscript) and a space at the start of a line, then a citation:
 * "1 See …", "2 Letter from …", "3 Id.", "4 https://…", "5 Press Release, …". A line like "30 days
 * of …" (lower case) is the text running on, not a footnote.
 */
const FOOTNOTE = /^\s*(?:\d{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3}|†)\s+(?=[A-Z“"(]|https?:|www\.|Id\.|id\.)/;
const CITATION = /\b(?:See|see|Id\.|https?:\/\/|www\.|Letter from|Press Release|Memorandum|Hearing|Report|Dep't|Comm\.|U\.S\.C\.|C\.F\.R\.|Stat\.|Pub\. L\.|supra|infra|available at|\(\w{3,5}\.? \d{1,2}, \d{4}\)|\(\d{4}\)|Times|Post|Journal|News|Reuters|Associated Press|CNN|NPR|Politico|Axios|Bloomberg)/;

function markNoise(lines: Line[]): void {
  for (const line of lines) {
    proposalWork.steps++;
    if (line.blank || line.cut) continue;
    if ((PAGE_NUMBER.test(line.text) && !PAGE_MARK.test(line.text)) || SEPARATOR.test(line.text)) line.noise = true;
    else if (PAGE_MARK.test(line.text) && line.text.trim().length < 140) {
      line.noise = true;
      // The header's other lines: up to two lines before and after "Page 2" that are a name or the date.
      for (const step of [-1, 1]) {
        let seen = 0;
        for (let index = line.index + step; seen < 2 && index >= 0 && index < lines.length; index += step) {
          proposalWork.steps++;
          const other = lines[index]!;
          if (other.blank) {
            if (step === 1) break;
            continue;
          }
          if (!HEADER_PART.test(other.text)) break;
          other.noise = true;
          seen++;
        }
      }
    } else if (FOOTNOTE.test(line.text) && CITATION.test(line.text) && !/^\s*\d{1,3}[.)]/.test(line.text)) line.noise = true;
  }
  // A footnote's wrapped lines: lines right after a footnote, up to a blank line or a marker line.
  for (let index = 1; index < lines.length; index++) {
    proposalWork.steps++;
    const line = lines[index]!;
    const before = lines[index - 1]!;
    if (before.noise && FOOTNOTE.test(before.text) && !line.blank && !line.noise && !line.cut && /^\s*[a-z(“"]|https?:|www\./.test(line.text)) line.noise = true;
  }
}

/** Joins lines' text for a field: one space between, none at the ends. */
export function joinLines(lines: readonly Line[]): string {
  return lines
    .map((line) => line.text.trim())
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

const ABBREVIATIONS = new Set(
  "mr mrs ms dr mx sen rep hon gen adm lt col capt sgt st no nos vol jan feb mar apr jun jul aug sep sept oct nov dec inc co corp ltd jr sr vs v e.g i.e etc al dept u.s u.s.c cf pp p fig sec art para approx est".split(" "),
);

/** Sentences of a run of text (`from`..`to` of `text`), as spans; abbreviations such as "U.S." and "Mr." do not end one. */
export function sentencesOf(text: string, from: number, to: number): Span[] {
  const spans: Span[] = [];
  const boundary = /[.?!][”"’)]?\s+(?=[“"(]?[A-Z0-9])/g;
  boundary.lastIndex = from;
  let start = from;
  while (start < to && /\s/.test(text[start]!)) start++;
  for (let match = boundary.exec(text); match && match.index < to; match = boundary.exec(text)) {
    proposalWork.steps++;
    const before = /([A-Za-z.]+)$/.exec(text.slice(Math.max(start, match.index - 12), match.index));
    const word = before?.[1]?.toLowerCase() ?? "";
    if (text[match.index] === "." && (ABBREVIATIONS.has(word) || ABBREVIATIONS.has(word.replace(/\.$/, "")) || /^[a-z]$/i.test(word) || /^([a-z]\.)+[a-z]$/i.test(word))) continue;
    const end = match.index + match[0].trimEnd().length;
    if (end > start) spans.push({ start, end });
    start = match.index + match[0].length;
  }
  let end = to;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end > start) spans.push({ start, end });
  return spans;
}

/** Text with runs of white space made one space. */
export function flat(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Footnote references left in running text: "rally.3", "deal,¹²", "CECOT.¹". */
export function stripFootnoteReferences(text: string): string {
  return text.replace(/[¹²³⁴⁵⁶⁷⁸⁹⁰]+/g, "").replace(/(?<=[A-Za-z)”"’][.,;:][”"’]?|[a-z”"’])\d{1,2}(?=\s|$)/g, "");
}

/**
 * The letter's questions and requests: list items (numbered "1." "1)" "(1)", lettered "(a)" "a.",
 * roman "i." "(ii)", bullets "•" "-" "◦" "▪" "*") and requests written in prose ("Please provide
 * all guidance …", "We request that you …", "We ask that you explain …"), each with its kind.
 *
 * Lists: each style's markers chain 1, 2, 3, … in document order (bullets chain while no paragraph
 * of prose comes between them); the chains are taken from the earliest on, and a chain that starts
 * inside an item already taken is that item's sub-list and stays in its text. A list whose lead-in
 * asks for nothing and whose items ask nothing (background facts) is left out. An item runs to the
 * next item; the last one ends at a paragraph of prose, a sentence such as "Please respond …", or
 * the closing. Page headers, page numbers and footnotes between items are skipped.
 */
import type { QuestionKind } from "../vocabulary";
import { flat, proposalWork, sentencesOf, stripFootnoteReferences, type Line, type Span } from "./text";

export interface ProposedItem {
  number: number;
  text: string;
  kind: QuestionKind;
  span: Span;
}

type Style = "number" | "letter" | "roman" | "upper-letter" | "upper-roman" | `bullet${string}`;

interface Marker {
  line: number;
  style: Style;
  ordinal: number;
  /** Where the item's own text starts (after the marker). */
  textStart: number;
}

const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100 };

function romanValue(text: string): number | null {
  if (!/^[ivxlc]+$/.test(text)) return null;
  let total = 0;
  for (let index = 0; index < text.length; index++) {
    const value = ROMAN[text[index]!]!;
    const next = ROMAN[text[index + 1] ?? ""] ?? 0;
    total += value < next ? -value : value;
  }
  return total > 0 && total < 40 ? total : null;
}

const ORDERED = /^(\s*)(?:\((\w{1,5})\)|(\w{1,5})[.)])\s+(?=\S)/;
const BULLET = /^(\s*)([•●▪◦‣○■□➢►·*]|[-–—](?!\s*\d+\s*[-–—]\s*$)|o(?=\s+[A-Z“"]))\s+(?=\S)/;
/** "A. Documents", "II. Questions": section headings, not items. */
const HEADING = /^\s*(?:[A-Z]|[IVX]{1,5})[.)]\s+\S/;
/**
 * A line that starts like a heading and reads like one: short, with no closing punctuation
 * nor a closing "and" ("II. Questions"). "A. All documents about the agreement;" and "I. Who approved it?" are items
 * of an upper-case list (Word's "A.", "I." formats, decision 0011's addendum).
 */
function isHeading(text: string): boolean {
  if (!HEADING.test(text)) return false;
  const rest = text.replace(HEADING, "").trim();
  return rest.length <= 60 && !/(?:[.?!;:,)”"]|;?\s(?:and|or))$/.test(text.trim());
}

/** Every way a line could start a list item ("i." is both the 9th letter and roman one). */
export function markersOf(line: Line): Marker[] {
  proposalWork.steps++;
  if (line.blank || line.noise) return [];
  const ordered = ORDERED.exec(line.text);
  if (ordered) {
    const token = (ordered[2] ?? ordered[3])!;
    const textStart = line.start + ordered[0].length;
    const markers: Marker[] = [];
    if (/^\d{1,2}$/.test(token)) markers.push({ line: line.index, style: "number", ordinal: Number(token), textStart });
    if (/^[a-z]$/.test(token)) markers.push({ line: line.index, style: "letter", ordinal: token.charCodeAt(0) - 96, textStart });
    const roman = romanValue(token);
    if (roman !== null) markers.push({ line: line.index, style: "roman", ordinal: roman, textStart });
    if (/^[A-Z]+$/.test(token) && !isHeading(line.text)) {
      if (/^[A-Z]$/.test(token)) markers.push({ line: line.index, style: "upper-letter", ordinal: token.charCodeAt(0) - 64, textStart });
      const upperRoman = romanValue(token.toLowerCase());
      if (upperRoman !== null) markers.push({ line: line.index, style: "upper-roman", ordinal: upperRoman, textStart });
    }
    return markers;
  }
  const bullet = BULLET.exec(line.text);
  if (bullet) {
    const glyph = bullet[2] === "○" ? "◦" : bullet[2]!;
    return [{ line: line.index, style: `bullet${glyph}`, ordinal: 1, textStart: line.start + bullet[0].length }];
  }
  return [];
}

/** Sentences that end a list when they follow its last item: the lead-out, the closing. */
const LEAD_OUT =
  /^\s*(?:Please\b|Kindly\b|(?:We|I)\s+(?:also\s+)?(?:request|ask|expect|look forward|appreciate|would|thank|further|trust|urge)\b|Thank you\b|Should you\b|If you (?:have|need)\b|To (?:arrange|schedule|make arrangements|coordinate)\b|Your (?:prompt|timely|cooperation|response)\b|(?:An|The) (?:attachment|enclosure)\b|Enclosed\b|Pursuant to\b|(?:This|These|The) (?:request|requests|letter)\b|(?:The|This) Committee\b|Sincerely|Respectfully|Very truly|Cordially|cc\s*:|Enclosures?\b|Attachments?\b)/i;

interface Run {
  markers: Marker[];
  /** The line after the last item's text (its extent's end, exclusive). */
  endLine: number;
}

const styleFamily = (style: Style) => (style.startsWith("bullet") ? "bullet" : style);

/**
 * Chains of markers: from each first marker (ordinal 1 or a bullet), the next is the first later
 * marker of the style counting up by one. Computed from the end so that each marker's chain is
 * built once; a bullet chain breaks where prose comes between two bullets.
 */
function chains(markers: Marker[], proseBefore: Int32Array): Marker[][] {
  const walked = new Set<Marker>();
  const byStyle = new Map<Style, Marker[]>();
  for (const marker of markers) {
    proposalWork.steps++;
    const list = byStyle.get(marker.style) ?? [];
    list.push(marker);
    byStyle.set(marker.style, list);
  }
  const result: Marker[][] = [];
  for (const [style, ofStyle] of byStyle) {
    const next = new Int32Array(ofStyle.length).fill(-1);
    const hasPrevious = new Uint8Array(ofStyle.length);
    const nearestLater = new Map<number, number>();
    for (let index = ofStyle.length - 1; index >= 0; index--) {
      proposalWork.steps++;
      const marker = ofStyle[index]!;
      if (style.startsWith("bullet")) {
        const following = index + 1 < ofStyle.length ? index + 1 : -1;
        if (following !== -1 && proseBefore[ofStyle[following]!.line]! <= marker.line) next[index] = following;
      } else {
        const following = nearestLater.get(marker.ordinal + 1);
        if (following !== undefined) next[index] = following;
        nearestLater.set(marker.ordinal, index);
      }
      if (next[index] !== -1) hasPrevious[next[index]!] = 1;
    }
    for (let start = 0; start < ofStyle.length; start++) {
      proposalWork.steps++;
      const first = ofStyle[start]!;
      if (style.startsWith("bullet") ? hasPrevious[start] : first.ordinal !== 1) continue;
      const chain: Marker[] = [];
      // A chain already walked from an earlier start is not walked again (they merge).
      for (let index = start; index !== -1; index = next[index]!) {
        proposalWork.steps++;
        chain.push(ofStyle[index]!);
        if (chain.length > 1 && walked.has(ofStyle[index]!)) break;
        walked.add(ofStyle[index]!);
      }
      result.push(chain);
    }
  }
  return result;
}

export interface ItemContext {
  lines: Line[];
  text: string;
  /** Lines from..to (exclusive) are the letter's body: after the salutation, before the closing. */
  from: number;
  to: number;
}

function isLeadOut(line: Line): boolean {
  return LEAD_OUT.test(line.text);
}

/** The line after the last item of a list ends: see the module comment. */
function lastItemEnd(context: ItemContext, marker: Marker, markerIndent: number): number {
  const { lines, to } = context;
  let end = marker.line + 1;
  for (let index = marker.line + 1; index < to; index++) {
    proposalWork.steps++;
    const line = lines[index]!;
    if (line.noise) continue;
    if (line.blank) {
      // After a blank line, only an indented line or a sub-item carries on.
      let nextIndex = index + 1;
      while (nextIndex < to && (lines[nextIndex]!.blank || lines[nextIndex]!.noise)) nextIndex++;
      if (nextIndex >= to) return end;
      const next = lines[nextIndex]!;
      const nextMarkers = markersOf(next);
      const subItem = nextMarkers.length > 0 && nextMarkers.every((other) => styleFamily(other.style) !== styleFamily(marker.style));
      if (!subItem && !(next.indent > markerIndent + 1 && !isHeading(next.text))) return end;
      index = nextIndex - 1;
      continue;
    }
    const markers = markersOf(line);
    if (markers.some((other) => other.style === marker.style)) return end;
    if (markers.length === 0 && (isLeadOut(line) || isHeading(line.text))) return end;
    end = index + 1;
  }
  return end;
}

const KIND_OF_INTRO: Array<[QuestionKind, RegExp]> = [
  ["testimony", /\b(?:transcribed interviews?|depositions?|testify|testimony)\b/i],
  ["briefing_request", /\bbriefings?\b/i],
  ["document_request", /\b(?:produce|production|documents|records|materials|communications)\b/i],
];

/** A lead-in or an item that asks for something. */
const ASKING_INTRO =
  /\b(?:please|request(?:s|ed|ing)?|provide|produce|answer|respond|questions?|ask(?:s|ing)?|brief(?:ing)?|explain|clarify|testify|expect|compl(?:y|iance)|require[sd]?|following (?:documents|information|records|materials|items|individuals))\b/i;
const ASKING_ITEM =
  /^(?:[“"]?(?:What|Who|Whom|Whose|When|Where|Why|How|Which|Did|Does|Do|Is|Are|Was|Were|Has|Have|Had|Can|Could|Will|Would|Should|Please|Provide|Produce|Describe|Explain|Identify|List|State|Confirm|Detail|Clarify|Specify|Indicate|Summarize|Submit|Make|Schedule|Arrange|Brief|Testify|Appear|Share|Disclose|Furnish|Send|Outline|Tell|Justify|Define|Quantify)\b|(?:All|Any|Copies|A copy|Each|Every|Documents|Records|Communications|A (?:list|briefing|description|detailed|written|full|complete|staff)|An? (?:explanation|accounting|account|copy|unredacted|itemized))\b)|\?\s*$/;

/** The items of the letter's body in document order: lists and prose requests. */
export function proposeItems(context: ItemContext): ProposedItem[] {
  const { lines, text, from, to } = context;
  // proseBefore[i]: the last line before i that is a paragraph of prose after a blank line (breaks bullet chains).
  const proseBefore = new Int32Array(lines.length).fill(-1);
  let lastProse = -1;
  let afterBlank = false;
  const markers: Marker[] = [];
  for (let index = from; index < to; index++) {
    proposalWork.steps++;
    const line = lines[index]!;
    proseBefore[index] = lastProse;
    if (line.noise) continue;
    if (line.blank) {
      afterBlank = true;
      continue;
    }
    const found = markersOf(line);
    if (found.length === 0 && (afterBlank || isLeadOut(line)) && line.indent === 0) lastProse = index;
    markers.push(...found);
    afterBlank = false;
  }
  const candidates = chains(markers, proseBefore);
  // Longer chains first where two start together; then by position.
  candidates.sort((a, b) => a[0]!.line - b[0]!.line || b.length - a.length);
  const hasLongChain = candidates.some((chain) => chain.length >= 2);
  const runs: Run[] = [];
  let takenUntil = from;
  for (const chain of candidates) {
    proposalWork.steps++;
    if (chain[0]!.line < takenUntil) continue;
    if (hasLongChain && chain.length < 2) continue;
    const last = chain.at(-1)!;
    const endLine = lastItemEnd(context, last, lines[last.line]!.indent);
    runs.push({ markers: chain, endLine });
    takenUntil = endLine;
    if (!hasLongChain) break;
  }

  const items: Array<Omit<ProposedItem, "number">> = [];
  const listLines = new Uint8Array(lines.length);
  for (const run of runs) {
    const intro = introOf(context, run.markers[0]!.line);
    const leadIn = previousTextLine(context, run.markers[0]!.line);
    // The kind a list's items share comes from the line just before it ("… the following documents:").
    const leadInText = leadIn === -1 ? "" : context.lines[leadIn]!.text;
    const introKind = KIND_OF_INTRO.find(([, pattern]) => pattern.test(leadInText))?.[0] ?? null;
    const runItems = run.markers.map((marker, position) => {
      const end = position + 1 < run.markers.length ? run.markers[position + 1]!.line : run.endLine;
      return itemOf(context, marker, end, introKind);
    });
    const asking = runItems.filter((item) => ASKING_ITEM.test(item.text)).length;
    // A list after a lead-in that asks for nothing, whose items ask nothing, is background ("Reports show that: • …").
    if (intro.trim() !== "" && !ASKING_INTRO.test(intro) && asking * 2 < runItems.length) continue;
    for (let index = run.markers[0]!.line; index < run.endLine; index++) listLines[index] = 1;
    // The lead-in ("… the following:") belongs to the list, not to the prose requests.
    const introLine = previousTextLine(context, run.markers[0]!.line);
    if (introLine !== -1 && (/:\s*$/.test(lines[introLine]!.text) || introLine === run.markers[0]!.line - 1)) listLines[introLine] = 1;
    items.push(...runItems.filter((item) => item.text !== ""));
  }
  items.push(...proseRequests(context, listLines));
  items.sort((a, b) => a.span.start - b.span.start);
  return items.map((item, index) => ({ number: index + 1, ...item }));
}

function previousTextLine(context: ItemContext, line: number): number {
  for (let index = line - 1; index >= context.from && index >= line - 4; index--) {
    const other = context.lines[index]!;
    if (!other.blank && !other.noise) return index;
  }
  return -1;
}

/** Up to two lines of prose before a list: its lead-in. */
function introOf(context: ItemContext, line: number): string {
  const first = previousTextLine(context, line);
  if (first === -1) return "";
  const second = previousTextLine(context, first);
  return [second === -1 ? "" : context.lines[second]!.text, context.lines[first]!.text].join(" ");
}

export function cleanItemText(raw: string): string {
  return stripFootnoteReferences(flat(raw))
    .replace(/\s*[;,]\s*(?:and|or)?\s*$/i, "")
    .replace(/\s+(?:and|or)$/i, "")
    .replace(/\s+/g, " ")
    .trim();
}

function itemOf(context: ItemContext, marker: Marker, endLine: number, introKind: QuestionKind | null): Omit<ProposedItem, "number"> {
  const { lines, text } = context;
  const parts: string[] = [];
  let spanEnd = lines[marker.line]!.end;
  const markerIndent = lines[marker.line]!.indent;
  let afterBlank = false;
  for (let index = marker.line; index < endLine; index++) {
    proposalWork.steps++;
    const line = lines[index]!;
    if (line.noise) continue;
    if (line.blank) {
      afterBlank = true;
      continue;
    }
    // As after the last item: after a blank line, only an indented line or a sub-item carries the
    // item on; a paragraph of prose between two items of a list that goes on is not item text.
    if (afterBlank && line.indent <= markerIndent + 1) {
      const found = markersOf(line);
      if (!(found.length > 0 && found.every((other) => styleFamily(other.style) !== styleFamily(marker.style)))) break;
    }
    afterBlank = false;
    // A sub-heading between two items ("Regarding the payments:") after a blank line is not item text.
    if (index > marker.line && lines[index - 1]!.blank && /:\s*$/.test(line.text) && line.text.length < 100 && markersOf(line).length === 0) continue;
    if (index > marker.line && isHeading(line.text)) continue;
    parts.push(index === marker.line ? text.slice(marker.textStart, line.end) : line.text);
    spanEnd = line.end;
  }
  const itemText = cleanItemText(parts.join(" "));
  return { text: itemText, kind: guessKind(itemText, introKind), span: { start: lines[marker.line]!.start + lines[marker.line]!.indent, end: spanEnd } };
}

// Prose requests ---------------------------------------------------------------------------------

const CONNECTOR = String.raw`(?:(?:In addition|Additionally|Further(?:more)?|Finally|Also|Accordingly|Specifically|Moreover|Lastly|Separately|To that end|To assist [^,]{1,80}|As part of [^,]{1,80}|Given [^,]{1,120}|In light of [^,]{1,120}|For these reasons|Therefore),?\s+)?`;
const PROSE_REQUEST = new RegExp(
  String.raw`^${CONNECTOR}(?:(?:we|I|the (?:Committee|Subcommittee))\s+(?:(?:also|further|therefore|hereby|respectfully|now|again|specifically)\s+)*(?:request|ask|invite|require|direct)s?\b|please\b)`,
  "i",
);
/** What a prose request must ask for: information, documents, a briefing or testimony. */
const ASKS_FOR =
  /\b(?:provide|produce|explain|describe|identify|confirm|clarify|brief(?:ing)?|testify|testimony|appear|make (?:\w+\s+){0,4}available|submit|send|detail|share|disclose|list|inform|tell|state|answer whether|explanation|description|accounting|copies|copy|documents|records|communications|information (?:on|about|regarding|concerning)|transcribed interview)\b/i;
/** Sentences about the response itself, or pointing back to the list: not requests of their own. */
const ABOUT_THE_LETTER =
  /\b(?:the following|below|above|these questions|those questions|the questions|this letter|listed|enumerated|your (?:response|responses|answers|reply)|respond|responding|response to|a response|contact|reach out|do not hesitate|any questions|requested)\b/i;
/** "Please provide this information by …": its object is what was asked already. */
const BACK_REFERENCE =
  /\b(?:provide|produce|submit|send)\s+(?:(?:the|this|these|that|such|your|all|all of the|all of this|all such|the requested)\s+)?(?:information|documents?|materials?|responses?|answers?|records?)(?:\s+and\s+(?:information|documents?|materials?|records?))?(?=\s+(?:as soon as|no later than|not later than|by|within|on or before|prior to|in advance|to the Committee|to Committee staff|in (?:electronic|searchable))|\s*[.,;:]|\s*$)/i;

function proseRequests(context: ItemContext, listLines: Uint8Array): Array<Omit<ProposedItem, "number">> {
  const { lines, text, from, to } = context;
  const found: Array<Omit<ProposedItem, "number">> = [];
  let paragraphStart = -1;
  const flush = (endIndex: number) => {
    if (paragraphStart === -1) return;
    const start = lines[paragraphStart]!.start;
    const end = lines[endIndex]!.end;
    paragraphStart = -1;
    for (const sentence of sentencesOf(text, start, end)) {
      const sentenceText = flat(text.slice(sentence.start, sentence.end));
      if (!PROSE_REQUEST.test(sentenceText) || !(ASKS_FOR.test(sentenceText) || ALL_DOCUMENTS.test(sentenceText))) continue;
      if (/:$/.test(sentenceText) || ABOUT_THE_LETTER.test(sentenceText) || BACK_REFERENCE.test(sentenceText)) continue;
      if (/\burge\b|\bcall on\b/i.test(sentenceText) && !/\b(?:provide|produce|brief|testify)\b/i.test(sentenceText)) continue;
      const itemText = cleanItemText(sentenceText);
      found.push({ text: itemText, kind: guessKind(itemText, null), span: sentence });
    }
  };
  let last = -1;
  for (let index = from; index < to; index++) {
    proposalWork.steps++;
    const line = lines[index]!;
    if (line.noise) continue;
    if (line.blank || listLines[index] || markersOf(line).length > 0) {
      if (last !== -1) flush(last);
      continue;
    }
    if (paragraphStart === -1) paragraphStart = index;
    last = index;
  }
  if (last !== -1) flush(last);
  return found;
}

// Kinds ------------------------------------------------------------------------------------------

const DOCUMENT_NOUNS = String.raw`(?:documents?|records?|communications?|e-?mails?|memoranda|memorandum|memos?|guidance|polic(?:y|ies)|directives?|orders?|agreements?|contracts?|reports?|cables?|correspondence|files?|data|logs?|minutes|notes|plans?|analys[ie]s|assessments?|audits?|materials?|presentations?|slides|transcripts?|text messages|messages|calendars?|invoices?|receipts|spreadsheets?|lists?|rosters?|charts?|schedules?|drafts?|copies|copy|opinions?|MOUs?|memorand(?:um|a) of understanding|procedures|manuals?|reviews?|after-action|certifications?|waivers?|notifications?|notices?|determinations?|justifications?|legal analys[ie]s|visitor logs|organizational charts?|budgets?|grants?|applications?|filings?|versions?|photographs?|recordings?|footage|videos?|evidence|findings|summar(?:y|ies)|inventor(?:y|ies)|tallies|tally|ledgers?|statements?|returns?|referrals?|complaints?|requests?|responses?|questionnaires?|surveys?|studies|study|evaluations?|documentation|papers?|sops?|standard operating procedures|talking points|readouts?|agendas?|attendee lists|sign-in sheets)`;
const PROVIDE_DOCUMENT = new RegExp(
  String.raw`^(?:(?:please|kindly)\s+)?(?:(?:we|I|the Committee)\s+(?:also\s+)?(?:request|ask)s?\s+(?:that\s+(?:you|the (?:Department|Agency|Bureau|Administration))\s+)?)?(?:(?:provide|produce|submit|send|furnish|transmit|make available|deliver)\s+(?:to (?:the Committee|Committee staff|us)\s+)?)?(?:(?:all|any|copies of|a copy of|complete copies of|unredacted copies of|the|each|every|an?|your|its|(?:the )?(?:complete|final|full|unredacted|signed|current|written|draft|internal))\s+){0,3}(?:[\w'’-]+\s+){0,5}${DOCUMENT_NOUNS}\b`,
  "i",
);
const ALL_DOCUMENTS = new RegExp(String.raw`\b(?:all|any|copies of|a copy of)\s+(?:[\w'’-]+\s+){0,3}${DOCUMENT_NOUNS}\b`, "i");
const INTERROGATIVE = /^[“"]?(?:What|Who|Whom|Whose|When|Where|Why|How|Which|Did|Does|Do|Is|Are|Was|Were|Has|Have|Had|Can|Could|Would|Should|May|If)\b/;
const INFORMATION_VERB = /^(?:(?:please|kindly)\s+)?(?:Describe|Explain|Identify|State|Confirm|Clarify|Specify|Indicate|Summarize|Detail|Justify|Define|Quantify|Outline|Tell|Answer|Name|Estimate|Provide (?:an? )?(?:explanation|description|detailed (?:explanation|description)|justification|accounting|estimate|assessment of whether|update|answer|response|timeline|rationale|analysis of whether|status)|Provide (?:the )?(?:number|amount|total|names?|dates?|date|reason|basis|legal basis|status|cost|costs|dollar amount)\b)/i;

const LEADING_CONNECTOR = /^(?:In addition|Additionally|Further(?:more)?|Finally|Also|Lastly|Accordingly|Specifically|Moreover|Separately),?\s+/i;
/** "The number of …", "A description of …": information, not a document. */
const INFORMATION_NOUN =
  /^(?:(?:please\s+)?provide\s+)?(?:the\s+|an?\s+)?(?:(?:estimated|total|exact|approximate|current|full|complete|detailed|written)\s+)?(?:number|names?|dates?|date and amount|amount|total|identity|identities|status|reason|reasons|basis|cost|costs|criteria|legal authority|legal basis|explanation|description|justification|rationale|timeline|accounting|estimate)\b/i;

/** The kind of an item: testimony, briefing request, document request, or question. */
export function guessKind(text: string, introKind: QuestionKind | null = null): QuestionKind {
  const body = text.replace(/^[“"]/, "").replace(LEADING_CONNECTOR, "");
  const interrogative = INTERROGATIVE.test(body) && !/^(?:Will|Would|Could|Can)\s+you\s+(?:testify|appear|provide|produce|brief)/i.test(body);
  if (/\b(?:testify|testimony|appear (?:and testify )?(?:before|at)|transcribed interviews?|depositions?)\b/i.test(body) && !interrogative) return "testimony";
  if (/\b(?:briefings?|brief (?:the )?(?:Committee|Subcommittee|Members|staff|us|Congress))\b/i.test(body) && !interrogative) return "briefing_request";
  // "We ask that you explain …": what is asked is what follows "that you".
  const core = body.replace(/^(?:(?:we|I|the (?:Committee|Subcommittee))\s+(?:(?:also|further|therefore|respectfully)\s+)*(?:request|ask)s?\s+that\s+(?:you|the\s+\w+|[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3})\s+|please\s+(?:also\s+)?)/i, "");
  if (interrogative || /\?\s*$/.test(body) || INFORMATION_VERB.test(core) || INFORMATION_NOUN.test(core)) return "question";
  if (PROVIDE_DOCUMENT.test(body) || ALL_DOCUMENTS.test(body) || /\b(?:copies|a copy) of\b/i.test(body)) return "document_request";
  if (introKind && !/^(?:please\s+)?(?:ensure|confirm|commit|agree)/i.test(body)) return introKind;
  return "question";
}

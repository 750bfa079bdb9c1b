/**
 * The letter's frame: letterhead (chamber, committee), date line, address block and salutation
 * (recipients), subject line (title), closing and signature block (senders), cc lines.
 */
import { FULL_DATE_PATTERN, parseDateText } from "./calendar";
import { CLOSING, flat, proposalWork, stripFootnoteReferences, type Line, type Span } from "./text";

export interface ProposedSender {
  name: string;
  /** "Ranking Member", "Chairman, Subcommittee on …", "United States Senator"; null if the letter gives none. */
  title: string | null;
  /** The signature's words as written. */
  raw: string;
  span: Span;
}

export interface ProposedRecipient {
  name: string;
  title: string | null;
  agencyName: string | null;
  raw: string;
  span: Span;
}

export interface Frame {
  /** Where the body starts in the text (the words after "Dear …:" when the text was flattened onto its line). */
  bodyStart: number;
  dateLine: number;
  salutation: number;
  /** First line of the body (after the salutation, or after the address block and subject). */
  bodyFrom: number;
  /** The closing line ("Sincerely,"), or the first cc line, or the end. */
  bodyTo: number;
  closing: number;
  ccLine: number;
}

const DATE_LINE = new RegExp(`^\\s*(?:(?:Washington,?\\s+D\\.?C\\.?|WASHINGTON,?\\s+DC)\\s*[,–—-]?\\s*)?(${FULL_DATE_PATTERN})\\s*$`, "i");
const SALUTATION = /^\s*Dear\s+(.{2,200}?)\s*[:,;]\s*(.*)$/i;
const CC = /^\s*(?:cc|bcc|c:)\s*[:.]?\s+\S/i;
const SUBJECT = /^\s*(?:Re|RE|Subject|SUBJECT|Subj)\s*[:.]\s*(\S.*)$/;

export function findFrame(lines: Line[]): Frame {
  let salutation = -1;
  let dateLine = -1;
  let closing = -1;
  let ccLine = -1;
  for (const line of lines) {
    proposalWork.steps++;
    if (line.blank || line.noise) continue;
    if (salutation === -1 && SALUTATION.test(line.text)) salutation = line.index;
    if (dateLine === -1 && salutation === -1 && DATE_LINE.test(line.text)) dateLine = line.index;
    if (closing === -1 && CLOSING.test(line.text.trim()) && line.index > salutation) closing = line.index;
    if (ccLine === -1 && CC.test(line.text) && (closing !== -1 || line.index > lines.length * 0.6)) ccLine = line.index;
  }
  let bodyFrom = salutation + 1;
  let bodyStart = -1;
  if (salutation !== -1) {
    const line = lines[salutation]!;
    const rest = SALUTATION.exec(line.text)![2]!;
    if (rest.trim() !== "") {
      bodyFrom = salutation;
      bodyStart = line.end - rest.length;
    }
  }
  if (salutation === -1) {
    // No salutation: the body starts after the address block (after the date line), or at the top.
    bodyFrom = dateLine === -1 ? 0 : dateLine + 1;
    if (dateLine !== -1) {
      let index = dateLine + 1;
      while (index < lines.length && (lines[index]!.blank || looksLikeAddressLine(lines[index]!.text))) index++;
      bodyFrom = index;
    }
  }
  const ends = [closing, ccLine].filter((index) => index !== -1);
  const bodyTo = ends.length > 0 ? Math.min(...ends) : lines.length;
  if (bodyStart === -1) bodyStart = bodyFrom < lines.length ? lines[bodyFrom]!.start : lines.at(-1)?.end ?? 0;
  return { bodyStart, dateLine, salutation, bodyFrom, bodyTo, closing, ccLine };
}

function looksLikeAddressLine(text: string): boolean {
  return text.trim().length < 90 && !/[.?!:]$/.test(text.trim()) && !/^\s*(?:We|I|On|In|As|The Committee|This)\b/.test(text);
}

// Sent date ----------------------------------------------------------------------------------------

export function proposeSentOn(lines: Line[], frame: Frame, text: string): { date: string; span: Span } | null {
  if (frame.dateLine !== -1) {
    const line = lines[frame.dateLine]!;
    const match = DATE_LINE.exec(line.text)!;
    const date = parseDateText(match[1]!, null);
    if (date) {
      const at = line.start + line.text.indexOf(match[1]!);
      return { date, span: { start: at, end: at + match[1]!.length } };
    }
  }
  // An OCR-flattened top: the first full date before the salutation.
  const limit = frame.salutation === -1 ? Math.min(text.length, 600) : lines[frame.salutation]!.start;
  const pattern = new RegExp(FULL_DATE_PATTERN, "i");
  const head = text.slice(0, limit);
  const match = pattern.exec(head);
  if (!match) return null;
  const before = head.slice(Math.max(0, match.index - 30), match.index);
  if (/\b(?:dated|letter of|on|since|from)\s*$/i.test(before)) return null;
  const date = parseDateText(match[0], null);
  return date ? { date, span: { start: match.index, end: match.index + match[0].length } } : null;
}

// Letterhead ---------------------------------------------------------------------------------------

const SMALL_WORDS = new Set(["on", "and", "the", "of", "for", "to", "in", "a", "an", "at", "by", "with", "&"]);

/** "COMMITTEE ON OVERSIGHT AND ACCOUNTABILITY" → "Committee on Oversight and Accountability"; mixed case stays. */
export function titleCase(text: string): string {
  if (/[a-z]/.test(text)) return text;
  return text
    .toLowerCase()
    .split(/\s+/)
    .map((word, index) => (index > 0 && SMALL_WORDS.has(word) ? word : word.replace(/^[a-z]/, (letter) => letter.toUpperCase())))
    .join(" ")
    .replace(/\bU\.s\./g, "U.S.");
}

const COMMITTEE_LINE =
  /^\s*((?:U\.S\.\s+)?(?:House\s+|Senate\s+)?(?:Permanent\s+|Select\s+|Special\s+|Joint\s+)*(?:Sub)?committee\s+on\s+[A-Za-z][A-Za-z ,&'’.-]{2,120}?|(?:Permanent\s+|Select\s+)(?:Sub)?committee\s+on\s+[A-Za-z][A-Za-z ,&'’.-]{2,120}?)\s*$/i;

/** A committee named inside a flattened letterhead line, up to the chamber or address that follows it. */
const COMMITTEE_IN_LINE =
  /((?:(?:Permanent|Select|Special)\s+)*(?:Sub)?committee\s+on\s+(?:the\s+)?[A-Za-z][A-Za-z,&'’-]*(?:\s+[A-Za-z,&'’-]+){0,8}?)(?=\s+(?:U\.S\.|UNITED\s+STATES|United\s+States|HOUSE\s+OF|House\s+of|WASHINGTON|Washington|\d))/i;

export function proposeLetterhead(
  lines: Line[],
  frame: Frame,
  senderTitles: string[],
): { chamber: "House" | "Senate" | "Joint" | null; chamberSpan: Span | null; committee: string | null; committeeSpan: Span | null } {
  const headEnd = [frame.dateLine, frame.salutation, 25].filter((index) => index !== -1).reduce((a, b) => Math.min(a, b));
  let house: Span | null = null;
  let senate: Span | null = null;
  let weakHouse: Span | null = null;
  let weakSenate: Span | null = null;
  let committee: string | null = null;
  let committeeSpan: Span | null = null;
  for (let index = 0; index < Math.min(headEnd, lines.length); index++) {
    proposalWork.steps++;
    const line = lines[index]!;
    if (line.blank) continue;
    const span = { start: line.start + line.indent, end: line.end };
    if (!house && /\bHouse of Representatives\b/i.test(line.text)) house = span;
    if (!senate && /\b(?:United States|U\.S\.)\s+Senate\b|^\s*Senate\s*$/i.test(line.text)) senate = span;
    if (!weakHouse && /\bWashington,?\s+D\.?C\.?\s+20515|\bRayburn|\bLongworth|\bCannon House/i.test(line.text)) weakHouse = span;
    if (!weakSenate && /\bWashington,?\s+D\.?C\.?\s+20510|\bDirksen|\bHart Senate|\bRussell Senate/i.test(line.text)) weakSenate = span;
    const named = COMMITTEE_LINE.exec(line.text) ?? COMMITTEE_IN_LINE.exec(line.text);
    if (!committee && named) {
      committee = titleCase(flat(named[1]!)).replace(/^(?:U\.S\.\s+)?(?:House|Senate)\s+/i, "");
      committee = committee.charAt(0).toUpperCase() + committee.slice(1);
      committeeSpan = span;
    }
  }
  if (house && senate) return { chamber: "Joint", chamberSpan: house.start < senate.start ? house : senate, committee, committeeSpan };
  if (house || senate) return { chamber: house ? "House" : "Senate", chamberSpan: house ?? senate, committee, committeeSpan };
  // Without the chamber named in the letterhead, the signers decide (both chambers: a joint letter), then the address.
  const senators = senderTitles.filter((title) => /\bSenator\b/i.test(title)).length;
  const representatives = senderTitles.filter((title) => /\b(?:Member|Members) of Congress\b|\bRepresentative\b/i.test(title)).length;
  if (senators > 0 && representatives > 0) return { chamber: "Joint", chamberSpan: null, committee, committeeSpan };
  if (weakHouse && !weakSenate && senators === 0) return { chamber: "House", chamberSpan: weakHouse, committee, committeeSpan };
  if (weakSenate && !weakHouse && representatives === 0) return { chamber: "Senate", chamberSpan: weakSenate, committee, committeeSpan };
  const chamber = senators > 0 ? "Senate" : representatives > 0 ? "House" : null;
  return { chamber, chamberSpan: null, committee, committeeSpan };
}

// Title --------------------------------------------------------------------------------------------

const TOPIC =
  /^(?:I|We)\s+(?:write|are writing|am writing)\s+(?:(?:to\s+(?:request|seek|obtain|ask for|raise|express)\s+(?:[\w'’-]+\s+){0,4}?(?:regarding|about|concerning|on|related to|relating to|into|with respect to|over)\s+)|(?:regarding|about|concerning|in regard to|with regard to|with respect to|in connection with|in response to|as part of|to (?:inquire|ask|learn more|seek information|request information|request documents and information)\s+(?:about|regarding|concerning|into|on|whether)|to follow up on)\s+)(.{8,}?)(?:(?<!\b(?:U\.S|[A-Z]|Mr|Ms|Mrs|Dr|St|No|Jr|Sr|Inc|Co|Corp|Gen|Sen|Rep))[.;](?=\s+[A-Z“"]|$)|$|,\s+(?:which|including|as|in which|where|to which|for which|of which|who|whose|that)\b)/i;

export function proposeTitle(lines: Line[], frame: Frame, text: string, limit: number): { title: string; span: Span } | null {
  const searchEnd = Math.min(lines.length, frame.bodyFrom + 6);
  for (let index = 0; index < searchEnd; index++) {
    proposalWork.steps++;
    const line = lines[index]!;
    const match = SUBJECT.exec(line.text);
    if (!match || line.noise) continue;
    let end = line.end;
    let title = match[1]!;
    const next = lines[index + 1];
    if (next && !next.blank && !next.noise && next.indent > 0 && !SALUTATION.test(next.text)) {
      title += ` ${next.text.trim()}`;
      end = next.end;
    }
    const start = line.start + line.text.indexOf(match[1]!);
    return { title: shorten(flat(title).replace(/[.;:]$/, ""), limit), span: { start, end } };
  }
  // The body's first sentence, when it says what the letter is about.
  for (let index = frame.bodyFrom; index < Math.min(frame.bodyTo, frame.bodyFrom + 12); index++) {
    const line = lines[index]!;
    if (line.blank || line.noise) continue;
    const from = Math.max(line.start, frame.bodyStart);
    const paragraphEnd = Math.min(text.length, from + 800);
    const paragraph = text.slice(from, paragraphEnd).replace(/\n\s*\n[\s\S]*$/, "");
    const match = TOPIC.exec(stripFootnoteReferences(flat(paragraph)));
    if (!match) return null;
    const topic = match[1]!.replace(/^(?:the\s+matter\s+of\s+)/i, "");
    const title = shorten(topic.charAt(0).toUpperCase() + topic.slice(1), limit);
    return { title, span: { start: from + (paragraph.length - paragraph.trimStart().length), end: from + paragraph.trimEnd().length } };
  }
  return null;
}

function shorten(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), limit / 2)).replace(/[\s,;:]+$/, "")}…`;
}

// Recipients ---------------------------------------------------------------------------------------

const HONORIFIC = /^(?:The\s+)?(?:Honorable|Hon\.)\s+|^(?:Mr|Ms|Mrs|Dr|Mx|Miss)\.?\s+/i;
const TITLE_WORDS =
  "(?:(?:Acting|Deputy|Principal Deputy|Assistant|Under|Associate|Senior|Chief|Special|Executive|Interim|Vice|Lieutenant|Major|Brigadier)\\s+)*(?:Secretary|Attorney General|Director|Administrator|Commissioner|Chairman|Chairwoman|Chair|President|Chief Executive Officer|Chief Operating Officer|CEO|Inspector General|Ambassador|Advisor|Adviser|Counsel|Comptroller General|Comptroller|Surgeon General|Solicitor General|Archivist|Postmaster General|Librarian|Governor|Mayor|Commandant|General|Admiral|Envoy|Press Secretary|Chief of Staff|Chief|Officer|Head|Judge|Justice|Speaker|Leader|Marshal|Supervisor|Treasurer|Trustee|Registrar|Provost|Superintendent|Controller|Administrator)";
const TITLE_LINE = new RegExp(`^\\s*${TITLE_WORDS}\\b`);
const TITLE_FIRST = new RegExp(`^(${TITLE_WORDS}(?:\\s+of\\s+[A-Z][\\w&'’.-]*(?:\\s+(?:and|of|the|for|&|[A-Z][\\w&'’.-]*))*?)?)\\s+((?:[A-Z][\\w'’.-]*\\s+){0,3}[A-Z][\\w'’-]+)$`);
const AGENCY =
  /\b(?:Department|Dep't|Agency|Administration|Bureau|Office|Service|Services|Commission|Corporation|Board|Council|Institute|Institutes|Authority|Centers?|Foundation|Reserve|Command|Guard|Army|Navy|Air Force|Marine Corps|White House|Government|Inc\.?|LLC|L\.L\.C\.|Company|Co\.|Corp\.?|University|Postal|Library|Archives|Court|Customs|Immigration|Enforcement|Protection|Division|Mission|Embassy|Treasury|DOGE)\b/;
const ADDRESS =
  /^\s*(?:\d+\s+\S|\d{3,}|P\.?O\.? Box|Suite\b|Room\b|Washington,?\s+D\.?C\.?|[A-Z][a-z]+,\s+[A-Z]{2}\s+\d{5}|[A-Za-z .]+,\s+[A-Z][a-z]+\s+\d{5}|Via\b|By\b|VIA\b|BY\b|Sent via|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4})/;
const NAME_LINE = /^\s*(?:(?:The\s+)?(?:Honorable|Hon\.)|(?:Mr|Ms|Mrs|Dr|Mx|Miss)\.)\s+[A-Z]/i;

/** "Secretary of the Treasury" → "U.S. Department of the Treasury"; "Director of the FBI" → "the FBI" part. */
function agencyFromTitle(title: string): string | null {
  if (/^\s*(?:Acting\s+)?Attorney General\b/i.test(title)) return "U.S. Department of Justice";
  const ofPart = /\bof\s+((?:the\s+)?.+)$/i.exec(title);
  if (!ofPart) return null;
  const what = ofPart[1]!.trim();
  if (AGENCY.test(what)) return what.replace(/^the\s+/i, "");
  if (/^\s*(?:Acting\s+|Deputy\s+)?Secretary\b/i.test(title)) return `U.S. Department of ${what}`;
  return null;
}

function splitTitleAgency(title: string | null, agency: string | null): { title: string | null; agencyName: string | null } {
  if (!title) return { title, agencyName: agency };
  // "Director, Federal Bureau of Investigation" on one line.
  const comma = /^([^,]+),\s+(.+)$/.exec(title);
  if (!agency && comma && AGENCY.test(comma[2]!)) return { title: comma[1]!.trim(), agencyName: comma[2]!.trim() };
  return { title, agencyName: agency ?? agencyFromTitle(title) };
}

/** "The Honorable Kristi Noem Secretary U.S. Department of Homeland Security" on one line: name, title, agency. */
function splitFlattened(text: string): string | null {
  const match = new RegExp(`^((?:The\\s+)?(?:Honorable|Hon\\.)\\s+(?:[A-Z][\\w.'’-]*\\s+){1,3}?[A-Z][\\w'’-]+)\\s+(${TITLE_WORDS}(?:\\s+of\\s+(?:the\\s+)?[A-Z][\\w'’-]+)?)\\s+((?:U\\.S\\.|(?:United States|Department|Office|Federal|National|Bureau|Internal|Executive|Social|Consumer|Environmental|Central)\\b).*)$`).exec(text);
  return match ? `${match[1]}, ${match[2]}, ${match[3]}` : null;
}

function recipientFromGroup(group: Line[]): ProposedRecipient | null {
  const first = group[0]!;
  const firstText = splitFlattened(first.text.trim()) ?? first.text.trim();
  const parts = firstText.split(/\s*,\s+/);
  let name = parts[0]!.replace(HONORIFIC, "").trim();
  let title: string | null = null;
  let agency: string | null = null;
  const titleFirst = TITLE_FIRST.exec(name);
  if (titleFirst && !NAME_LINE.test(firstText)) {
    title = titleFirst[1]!;
    name = titleFirst[2]!;
  }
  // ", Jr." stays with the name.
  let rest = parts.slice(1);
  if (rest[0] && /^(?:Jr|Sr|II|III|IV)\.?$/.test(rest[0])) {
    name = `${name}, ${rest[0]}`;
    rest = rest.slice(1);
  }
  if (rest.length > 0) {
    title = title ?? rest[0]!;
    if (rest.length > 1) agency = rest.slice(1).join(", ");
  }
  let end = first.end;
  for (const line of group.slice(1)) {
    const lineText = line.text.trim();
    if (ADDRESS.test(lineText)) continue;
    if (!title && TITLE_LINE.test(lineText) && !(AGENCY.test(lineText) && !/\bof\b/.test(lineText) && !/,/.test(lineText))) {
      title = lineText;
      end = line.end;
      continue;
    }
    if (!agency && (AGENCY.test(lineText) || title)) {
      agency = lineText;
      end = line.end;
      continue;
    }
    if (!title) {
      title = lineText;
      end = line.end;
    }
  }
  if (!/[A-Za-z]{2}/.test(name) || name.split(/\s+/).length > 6) return null;
  const split = splitTitleAgency(title, agency);
  const span = { start: first.start + first.indent, end };
  return { name, ...split, raw: "", span };
}

/** Recipients from the address block; without one, from the salutation ("Dear Secretary Rubio and Director Patel:"). */
export function proposeRecipients(lines: Line[], frame: Frame, text: string): ProposedRecipient[] {
  const blockFrom = frame.dateLine !== -1 ? frame.dateLine + 1 : 0;
  const blockTo = frame.salutation !== -1 ? frame.salutation : frame.dateLine !== -1 ? frame.bodyFrom : 0;
  const recipients: ProposedRecipient[] = [];
  let group: Line[] = [];
  const flush = () => {
    if (group.length === 0) return;
    const recipient = recipientFromGroup(group);
    if (recipient) recipients.push({ ...recipient, raw: flat(text.slice(recipient.span.start, recipient.span.end)) });
    group = [];
  };
  let started = false;
  for (let index = blockFrom; index < blockTo; index++) {
    proposalWork.steps++;
    let line = lines[index]!;
    if (line.noise) continue;
    // A flattened top ("… Washington, DC 20515 March 3, 2025 The Honorable Kristi Noem Secretary …"): from "The Honorable" on.
    const inside = /\b(?:The\s+)?Honorable\s+[A-Z]/.exec(line.text);
    if (inside && inside.index > 0 && !NAME_LINE.test(line.text)) {
      line = { ...line, start: line.start + inside.index, text: line.text.slice(inside.index), indent: 0 };
    }
    if (line.blank) {
      flush();
      continue;
    }
    if (SUBJECT.test(line.text)) {
      flush();
      break;
    }
    const lineText = line.text.trim();
    const startsPerson = NAME_LINE.test(lineText) || (TITLE_FIRST.test(lineText.split(/\s*,\s+/)[0]!) && !AGENCY.test(lineText.split(/\s*,\s+/)[0]!));
    if (!started) {
      if (/^(?:VIA|BY|Sent)\b/i.test(lineText) || COMMITTEE_LINE.test(lineText) || /\b(?:Congress|House of Representatives|Senate)\b/.test(lineText)) continue;
      if (!startsPerson && !/^[A-Z][a-z]+(?:\s+[A-Z]\.?)?\s+[A-Z][\w'’-]+(?:,|$)/.test(lineText)) continue;
      started = true;
    } else if (group.length > 0 && (NAME_LINE.test(lineText) || (startsPerson && group.length >= 2 && !TITLE_LINE.test(group.at(-1)!.text)))) flush();
    group.push(line);
  }
  flush();
  if (recipients.length > 0 || frame.salutation === -1) return recipients;
  return salutationRecipients(lines[frame.salutation]!);
}

function salutationRecipients(line: Line): ProposedRecipient[] {
  const match = SALUTATION.exec(line.text)!;
  const addressed = match[1]!;
  const base = line.start + line.text.indexOf(addressed);
  const recipients: ProposedRecipient[] = [];
  const separator = /\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*/g;
  let from = 0;
  const pieces: Array<[number, string]> = [];
  for (let found = separator.exec(addressed); found; found = separator.exec(addressed)) {
    pieces.push([from, addressed.slice(from, found.index)]);
    from = found.index + found[0].length;
  }
  pieces.push([from, addressed.slice(from)]);
  for (const [offset, piece] of pieces) {
    const trimmed = piece.trim();
    if (!trimmed || /^(?:Sir|Madam|Sirs|Colleagues?)$/i.test(trimmed)) continue;
    let name = trimmed.replace(HONORIFIC, "");
    let title: string | null = null;
    const titled = TITLE_FIRST.exec(name);
    if (titled) {
      title = titled[1]!;
      name = titled[2]!;
    }
    const start = base + offset + piece.indexOf(trimmed);
    recipients.push({ name, ...splitTitleAgency(title, null), raw: trimmed, span: { start, end: start + trimmed.length } });
  }
  return recipients;
}

// Senders ------------------------------------------------------------------------------------------

const SIGNER_TITLE =
  /\b(?:Vice Ranking Member|Ranking Member|Vice Chairman|Vice Chairwoman|Vice Chair|Chairman|Chairwoman|Chair|Members of Congress|Member of Congress|United States Senators|United States Senator|U\.S\. Senator|Senator|Representative|Member|Co-Chair(?:man|woman)?|Whip|Leader|Delegate|Resident Commissioner)\b/g;
const COMMITTEE_PART = /^\s*(?:(?:U\.S\.\s+)?(?:House|Senate)\s+)?(?:(?:Permanent|Select|Special|Joint)\s+)*(?:Sub)?[Cc]ommittee\b|^\s*(?:House|Senate)\s+\w+\s+Committee\b|^\s*Congressional\b|^\s*Caucus\b/;

interface Segment {
  text: string;
  start: number;
  end: number;
}

const segmentLineStarts = new WeakMap<Segment, number>();
const lineStartOf = (segment: Segment) => segmentLineStarts.get(segment) ?? segment.start;

function columnsOf(line: Line): Segment[] {
  const segments: Segment[] = [];
  const pattern = /\S(?:.*?\S)?(?=\s{3,}|$)/g;
  for (let match = pattern.exec(line.text); match; match = pattern.exec(line.text)) {
    proposalWork.steps++;
    const segment = { text: match[0], start: line.start + match.index, end: line.start + match.index + match[0].length };
    segmentLineStarts.set(segment, line.start);
    segments.push(segment);
  }
  return segments;
}

interface Building {
  name: string;
  titles: string[];
  start: number;
  end: number;
  columns: boolean;
}

/** Senders from the signature block: names, each followed by its titles ("Ranking Member", "Subcommittee on …"). */
export function proposeSenders(lines: Line[], frame: Frame, text: string): ProposedSender[] {
  if (frame.closing === -1) return [];
  const closingLine = lines[frame.closing]!;
  const end = frame.ccLine > frame.closing ? frame.ccLine : lines.length;
  const senders: Building[] = [];
  const rows: Segment[][] = [];
  // The closing's own line may carry the signature (flattened text): "Sincerely, Jamie Raskin Ranking Member".
  const closingMatch = CLOSING.exec(closingLine.text.trim())!;
  const afterClosing = closingLine.text.trim().slice(closingMatch[0].length).replace(/^[\s,]+/, "");
  if (afterClosing) {
    const at = closingLine.end - afterClosing.length;
    rows.push([{ text: afterClosing, start: at, end: closingLine.end }]);
  }
  const groups: Segment[][][] = [];
  const flushRows = () => {
    if (rows.length > 0) groups.push(rows.splice(0));
  };
  for (let index = frame.closing + 1; index < end; index++) {
    proposalWork.steps++;
    const line = lines[index]!;
    if (line.noise) continue;
    if (line.blank) {
      flushRows();
      continue;
    }
    if (/^\s*(?:Enclosures?|Attachments?|Encl\.)\s*[:.]?/i.test(line.text)) break;
    rows.push(columnsOf(line));
  }
  flushRows();
  for (const group of groups) {
    // Side-by-side signatures: each segment belongs to the column whose start is nearest at or before it.
    const widest = group.reduce((best, row) => (row.length > best.length ? row : best), group[0]!);
    if (widest.length > 1) {
      const startsOf = (row: Segment[]) => row.map((segment) => segment.start - lineStartOf(segment));
      const columnStarts = startsOf(widest);
      const columns: Segment[][] = columnStarts.map(() => []);
      for (const row of group) {
        const starts = startsOf(row);
        row.forEach((segment, position) => {
          let column = 0;
          for (let index = 0; index < columnStarts.length; index++) if (columnStarts[index]! <= starts[position]! + 2) column = index;
          columns[column]!.push(segment);
        });
      }
      for (const column of columns) readSegments(column, senders, true);
    } else readSegments(group.flat(), senders, false);
  }
  return senders
    .filter((sender) => /[A-Za-z]{2}/.test(sender.name))
    .map((sender) => ({
      name: sender.name,
      title: sender.titles.length > 0 ? sender.titles.join(", ") : null,
      raw: flat(text.slice(sender.start, sender.end)),
      span: { start: sender.start, end: sender.end },
    }));
}

function cleanName(text: string): string {
  return text
    .replace(/^\s*\/s\/\s*/i, "")
    .replace(/^[\s,;_]+|[\s,;_]+$/g, "")
    .replace(/^(?:Rep\.|Sen\.|Senator|Representative|Congressman|Congresswoman)\s+/i, "")
    .trim();
}

function looksLikeName(text: string): boolean {
  const words = text.split(/\s+/);
  return words.length >= 2 && words.length <= 6 && /^[A-Z]/.test(text) && !/\d/.test(text) && !/[.?!:]$/.test(text.replace(/\b(?:Jr|Sr)\.$|\b[A-Z]\.$/, "")) && !/\b(?:the|of|for|and|to|your|our)\b/.test(text.replace(/\b(?:de|van|von|del|la)\b/gi, "").replace(/,\s*(?:Jr|Sr)\.?$/, ""));
}

function readSegments(segments: Segment[], senders: Building[], columns: boolean): void {
  for (const segment of segments) {
    proposalWork.steps++;
    const content = segment.text.trim();
    if (/^[_\s-]+$/.test(content) || /^\[?signature\]?$/i.test(content)) continue;
    const current = senders.at(-1);
    if (COMMITTEE_PART.test(content)) {
      if (current) {
        current.titles.push(flat(content));
        if (!current.columns) current.end = Math.max(current.end, segment.end);
      }
      continue;
    }
    // Split "Jamie Raskin, Ranking Member Robert Garcia Member of Congress" at each title.
    let cursor = 0;
    SIGNER_TITLE.lastIndex = 0;
    const found: Array<{ index: number; title: string }> = [];
    for (let match = SIGNER_TITLE.exec(content); match; match = SIGNER_TITLE.exec(content)) {
      // "Member" alone only as a whole segment ("Member, Subcommittee on …").
      if (match[0] === "Member" && !/^Member\b/.test(content.slice(match.index))) continue;
      if (match[0] === "Member" && match.index !== 0) continue;
      found.push({ index: match.index, title: match[0] });
    }
    if (found.length === 0) {
      const name = cleanName(content);
      if (looksLikeName(name)) senders.push({ name, titles: [], start: segment.start, end: segment.end, columns });
      continue;
    }
    for (let position = 0; position < found.length; position++) {
      const { index, title } = found[position]!;
      const before = cleanName(content.slice(cursor, index));
      const afterEnd = position + 1 < found.length ? found[position + 1]!.index : content.length;
      // What follows the title up to the next one: a committee ("Ranking Member, Committee on …") or the next name.
      const tail = content.slice(index + title.length, afterEnd).replace(/^[\s,]+/, "");
      const tailCommittee = /^((?:(?:Permanent|Select|Special)\s+)*(?:Sub)?[Cc]ommittee\s+on\s+(?:[A-Z&][\w&'’-]*|and|the|of|on|for)(?:\s+(?:[A-Z&][\w&'’-]*|and|the|of|on|for))*)/.exec(tail);
      if (before && looksLikeName(before)) {
        senders.push({ name: before, titles: [], start: segment.start + cursor + content.slice(cursor).indexOf(before.split(" ")[0]!), end: segment.start + index, columns });
      }
      const target = senders.at(-1);
      const fullTitle = tailCommittee ? `${title}, ${tailCommittee[1]!.trim()}` : title;
      if (target) {
        if (/^(?:Members of Congress|United States Senators)$/.test(title)) {
          for (const sender of senders) if (sender.titles.length === 0) sender.titles.push(title.replace(/Members/, "Member").replace(/Senators/, "Senator"));
        } else target.titles.push(fullTitle);
        // Side by side, a sender's words are not one stretch of text: the span is the name alone.
        if (!target.columns) target.end = Math.max(target.end, segment.start + index + title.length + (tailCommittee ? content.slice(index + title.length).indexOf(tailCommittee[1]!) + tailCommittee[1]!.length : 0));
      }
      cursor = index + title.length + (tailCommittee ? content.slice(index + title.length).indexOf(tailCommittee[1]!) + tailCommittee[1]!.length : 0);
      // Words after the last title that are not a committee are the next name without a title.
      if (position === found.length - 1) {
        const rest = cleanName(content.slice(cursor));
        if (rest && looksLikeName(rest)) senders.push({ name: rest, titles: [], start: segment.start + content.indexOf(rest, cursor), end: segment.end, columns });
      }
    }
  }
}

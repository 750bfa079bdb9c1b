/**
 * Who a name means: members of Congress from a signer's name and title ("Rep. Raskin", "RASKIN,
 * Jamie", "Chairman Comer"), agencies and officials from a recipient's name, title and agency
 * ("The Honorable Kristi Noem, Secretary, U.S. Department of Homeland Security"). Pure: the
 * candidates come from app/models/identity.server.ts (a cached index of the roster and the
 * directory), the name variants from app/domain/roster.ts.
 */
import type { MemberChamber } from "./vocabulary";

// ---------------------------------------------------------------------------------------------
// Keys: names compared without case, accents, punctuation or spacing

/** "Henry C. \"Hank\" Johnson, Jr." -> "henry c hank johnson jr"; "Hyde-Smith" -> "hyde smith". */
export function nameKey(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * An agency name's key: nameKey without "the", "U.S."/"United States" in front, and "&" read as
 * "and": "U.S. Department of the Treasury" and "Department of Treasury" share "department of treasury".
 */
export function agencyKey(text: string): string {
  const words = nameKey(text.replace(/&/g, " and ")).split(" ").filter((word) => word !== "" && word !== "the");
  if (words[0] === "u" && words[1] === "s") words.splice(0, 2);
  else if (words[0] === "us" && words.length > 1) words.splice(0, 1);
  else if (words[0] === "united" && words[1] === "states" && words.length > 2) words.splice(0, 2);
  return words.join(" ");
}

// ---------------------------------------------------------------------------------------------
// Members' name variants

/** Common English given-name forms (formal -> familiar), so "Dick Durbin" finds Richard J. Durbin. */
const FAMILIAR_NAMES: Readonly<Record<string, readonly string[]>> = {
  richard: ["dick", "rick", "rich"],
  robert: ["bob", "bobby", "rob"],
  william: ["bill", "billy", "will"],
  james: ["jim", "jimmy"],
  michael: ["mike"],
  thomas: ["tom", "tommy"],
  charles: ["chuck", "charlie"],
  christopher: ["chris"],
  gregory: ["greg"],
  joseph: ["joe"],
  john: ["jack", "johnny"],
  edward: ["ed", "ted"],
  theodore: ["ted"],
  daniel: ["dan", "danny"],
  david: ["dave"],
  anthony: ["tony"],
  benjamin: ["ben"],
  elizabeth: ["liz", "beth"],
  katherine: ["kate", "kathy"],
  catherine: ["kate", "cathy"],
  margaret: ["maggie", "peggy"],
  patricia: ["patty", "pat"],
  timothy: ["tim"],
  stephen: ["steve"],
  steven: ["steve"],
  kenneth: ["ken"],
  ronald: ["ron"],
  donald: ["don"],
  douglas: ["doug"],
  gerald: ["jerry"],
  jerrold: ["jerry"],
  lawrence: ["larry"],
  nicholas: ["nick"],
  matthew: ["matt"],
  andrew: ["andy", "drew"],
  alexander: ["alex"],
  alexandria: ["alex"],
  samuel: ["sam"],
  zachary: ["zach"],
  jonathan: ["jon"],
  jeffrey: ["jeff"],
  frederick: ["fred"],
  raymond: ["ray"],
  randall: ["randy"],
  gary: [],
  jacob: ["jake"],
  suzanne: ["suzy"],
  deborah: ["debbie", "deb"],
  rebecca: ["becca"],
  cynthia: ["cindy"],
  kimberly: ["kim"],
  jennifer: ["jen", "jenny"],
  victoria: ["tori"],
  abigail: ["abby"],
  mitchell: ["mitch"],
  harold: ["hal"],
  henry: ["hank"],
  francis: ["frank"],
  franklin: ["frank"],
  leonard: ["len"],
  vincent: ["vince"],
  philip: ["phil"],
  phillip: ["phil"],
  gabriel: ["gabe"],
};

/** Familiar -> formal forms ("mike" -> ["michael"]), the reverse of FAMILIAR_NAMES. */
const FORMAL_NAMES = new Map<string, string[]>();
for (const [formal, familiars] of Object.entries(FAMILIAR_NAMES)) {
  for (const familiar of familiars) FORMAL_NAMES.set(familiar, [...(FORMAL_NAMES.get(familiar) ?? []), formal]);
}

const capitalized = (word: string) => word[0]!.toUpperCase() + word.slice(1);

export interface MemberNameParts {
  first: string;
  middle?: string | null;
  last: string;
  suffix?: string | null;
  nickname?: string | null;
  officialFull?: string | null;
}

/**
 * The names a member may be written as: the official name (nickname quotes removed), first last,
 * first middle last, first initial-of-middle last, nickname last, familiar forms of the first name,
 * each also with the suffix. Deduplicated by nameKey, official name first.
 */
export function memberNameVariants(parts: MemberNameParts): string[] {
  const { first, last } = parts;
  const middle = parts.middle?.trim() || null;
  const suffix = parts.suffix?.trim() || null;
  const givens = new Set<string>([first]);
  if (parts.nickname?.trim()) givens.add(parts.nickname.trim());
  for (const given of [...givens]) {
    for (const familiar of FAMILIAR_NAMES[nameKey(given)] ?? []) givens.add(capitalized(familiar));
    for (const formal of FORMAL_NAMES.get(nameKey(given)) ?? []) givens.add(capitalized(formal));
  }
  const names: string[] = [];
  for (const given of givens) {
    names.push(`${given} ${last}`);
    if (middle) {
      names.push(`${given} ${middle} ${last}`);
      if (!/^[A-Z]\.?$/.test(middle)) names.push(`${given} ${middle[0]}. ${last}`);
    }
  }
  if (suffix) for (const name of [...names]) names.push(`${name} ${suffix}`, `${name}, ${suffix}`);
  if (parts.officialFull?.trim()) names.unshift(parts.officialFull.replace(/["“”]/g, "").replace(/\s+/g, " ").trim());
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = nameKey(name);
    if (key === "" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Signers

/** A member as the matcher sees it. */
export interface MemberCandidate {
  /** The member's slug. */
  value: string;
  name: string;
  party: string;
  state: string;
  chamber: MemberChamber;
  /** nameKey of the last name ("van hollen"); null when unknown (then the last word of the name). */
  lastKey: string | null;
  /** nameKey of every name the member may be written as, the stored name included. */
  keys: readonly string[];
  /** Committee titles held now, e.g. "Chairman", "Ranking Member". */
  titles: readonly string[];
}

export interface ProposedSigner {
  name: string;
  title?: string | null;
}

export interface IdentityMatch<T> {
  /** The one candidate meant, or null (none, or several equally likely: see alternatives). */
  match: T | null;
  /** 0..1: 0.95 a full name, 0.8 a unique last name, lower when only a hint told them apart. */
  confidence: number;
  /** Other candidates, best first (the match excluded): what a person may pick instead. */
  alternatives: T[];
}

const HOUSE_WORDS = ["rep", "representative", "congressman", "congresswoman", "congressmember", "delegate", "del", "resident commissioner"];
const SENATE_WORDS = ["sen", "senator"];
/** Words in front of a name that are not part of it, longest first. */
const HONORIFICS = [
  "the honorable", "honorable", "hon", "dear", "mr", "mrs", "ms", "dr", "madam", "mister",
  "ranking member", "vice chairman", "vice chairwoman", "vice chair", "chairman", "chairwoman", "chair",
  "majority leader", "minority leader", "leader", "majority whip", "minority whip", "whip", "speaker",
  ...HOUSE_WORDS, ...SENATE_WORDS,
].sort((a, b) => b.length - a.length);
const SUFFIXES = new Set(["jr", "sr", "ii", "iii", "iv", "v"]);
/** Role words of a title and the committee titles they mean; the first that fits counts. */
const ROLE_TITLES: Array<{ words: RegExp; titles: RegExp }> = [
  { words: /\branking member\b/, titles: /^ranking member$/i },
  { words: /\bvice chair/, titles: /^vice chair/i },
  { words: /\b(co)?chair(man|woman)?\b/, titles: /^(co)?chair(man|woman)?$/i },
];

interface ParsedSigner {
  /** nameKey of the name without titles, first name first. */
  key: string;
  words: string[];
  chamber: MemberChamber | null;
  party: string | null;
  state: string | null;
  /** Committee titles the title or name asks for (as patterns). */
  titles: RegExp[];
}

function stripHonorifics(key: string, found: string[]): string {
  let rest = key;
  for (let changed = true; changed; ) {
    changed = false;
    for (const word of HONORIFICS) {
      if (rest === word) break;
      if (rest.startsWith(`${word} `)) {
        found.push(word);
        rest = rest.slice(word.length + 1);
        changed = true;
        break;
      }
    }
  }
  return rest;
}

function parseSigner({ name, title }: ProposedSigner): ParsedSigner {
  let text = name.trim();
  let party: string | null = null;
  let state: string | null = null;
  const tag = /\(\s*([DRI])\s*[-–]\s*([A-Z]{2})(?:[-–]\d+)?\s*\)/i.exec(text);
  if (tag) {
    party = tag[1]!.toUpperCase();
    state = tag[2]!.toUpperCase();
    text = text.replace(tag[0], " ");
  }
  // "RASKIN, Jamie" -> "Jamie RASKIN"; "Johnson, Jr." stays.
  const comma = /^([^,]+),\s*([^,]+)$/.exec(text.trim());
  if (comma && !SUFFIXES.has(nameKey(comma[2]!))) text = `${comma[2]} ${comma[1]}`;
  const found: string[] = [];
  const key = stripHonorifics(nameKey(text), found)
    .split(" ")
    .filter((word) => word !== "" && !SUFFIXES.has(word))
    .join(" ");
  const context = [...found, nameKey(title ?? "")].join(" ");
  let chamber: MemberChamber | null = null;
  const has = (words: string[]) => words.some((word) => new RegExp(`(^| )${word}( |$)`).test(context));
  if (has(SENATE_WORDS) || /\bsenate\b/.test(context)) chamber = "Senate";
  else if (has(HOUSE_WORDS) || /\bhouse\b/.test(context)) chamber = "House";
  const role = ROLE_TITLES.find((candidate) => candidate.words.test(context));
  const titles = role ? [role.titles] : [];
  return { key, words: key === "" ? [] : key.split(" "), chamber, party, state, titles };
}

const lastKeyOf = (member: MemberCandidate) => member.lastKey ?? member.keys[0]?.split(" ").at(-1) ?? "";

/**
 * The member a signer means. A full name (any variant) is a strong match; a last name alone ("Rep.
 * Raskin", "Chairman Comer") matches when the chamber, party/state tag or committee title leaves
 * one member. Several left: no match, and they are the alternatives.
 */
export function matchSigner(proposed: ProposedSigner, roster: readonly MemberCandidate[]): IdentityMatch<MemberCandidate> {
  const parsed = parseSigner(proposed);
  if (parsed.words.length === 0) return { match: null, confidence: 0, alternatives: [] };
  const fits = (member: MemberCandidate) =>
    (parsed.chamber === null || member.chamber === parsed.chamber) &&
    (parsed.state === null || member.state === parsed.state) &&
    (parsed.party === null || member.party === parsed.party);
  const holdsTitle = (member: MemberCandidate) => parsed.titles.some((pattern) => member.titles.some((title) => pattern.test(title)));

  // 1. A full name: any variant.
  let candidates = roster.filter((member) => member.keys.includes(parsed.key));
  let confidence = 0.95;
  // 2. The whole text is a last name ("Van Hollen"), or the last word is, with the first as given
  //    name or initial ("J. Raskin").
  if (candidates.length === 0) {
    candidates = roster.filter((member) => lastKeyOf(member) === parsed.key);
    confidence = 0.8;
  }
  if (candidates.length === 0 && parsed.words.length > 1) {
    const last = parsed.words.at(-1)!;
    const first = parsed.words[0]!;
    const byLast = roster.filter((member) => lastKeyOf(member) === last || lastKeyOf(member).endsWith(` ${last}`));
    candidates = byLast.filter((member) => member.keys.some((key) => key.startsWith(first.length === 1 ? first : `${first} `)));
    confidence = 0.75;
    if (candidates.length === 0) {
      candidates = byLast;
      confidence = 0.5;
    }
  }
  if (candidates.length === 0) return { match: null, confidence: 0, alternatives: [] };

  // Hints narrow the candidates; a hint that would leave none is ignored (data may lag behind).
  const narrowed = candidates.filter(fits);
  if (narrowed.length > 0) candidates = narrowed;
  if (candidates.length > 1 && parsed.titles.length > 0) {
    const titled = candidates.filter(holdsTitle);
    if (titled.length > 0) candidates = titled;
  }
  const ordered = [...candidates].sort((a, b) => Number(holdsTitle(b)) - Number(holdsTitle(a)) || a.name.localeCompare(b.name));
  if (ordered.length === 1) {
    const match = ordered[0]!;
    const hinted = parsed.chamber !== null || parsed.state !== null || holdsTitle(match);
    return { match, confidence: confidence < 0.95 && !hinted ? confidence - 0.1 : confidence, alternatives: [] };
  }
  return { match: null, confidence: 0, alternatives: ordered };
}

// ---------------------------------------------------------------------------------------------
// Recipients

export interface AgencyCandidate {
  /** The agency's slug. */
  value: string;
  name: string;
  acronym: string | null;
  /** The parent department's slug. */
  parent: string | null;
  /** agencyKey of its name, acronym and aliases (aliases include titles such as "Attorney General"). */
  keys: readonly string[];
}

export interface OfficialCandidate {
  /** The official's id. */
  value: string;
  name: string;
  title: string;
  /** The agency's slug. */
  agency: string;
}

export interface ProposedRecipient {
  name: string;
  title?: string | null;
  agencyName?: string | null;
}

export interface RecipientMatch {
  agency: IdentityMatch<AgencyCandidate>;
  /** The agency's parent department, when it has one. */
  parent: AgencyCandidate | null;
  official: IdentityMatch<OfficialCandidate>;
  /** The person's name without salutation or title: "Kristi Noem". */
  personName: string;
  /** The title without the agency: "Secretary". */
  title: string | null;
}

/** Words that open a recipient's title ("Director Patel", "Acting Secretary Noem"). */
const OFFICIAL_TITLES = [
  "acting secretary", "secretary", "acting director", "director", "deputy director", "acting administrator", "administrator",
  "attorney general", "acting attorney general", "deputy attorney general", "commissioner", "acting commissioner",
  "ambassador", "general", "admiral", "inspector general", "chairman", "chairwoman", "chair", "president", "governor",
].sort((a, b) => b.length - a.length);
const SALUTATIONS = ["the honorable", "honorable", "hon", "dear", "mr", "mrs", "ms", "dr", "madam", "mister"];

/**
 * Splits "The Honorable Kristi Noem, Secretary, U.S. Department of Homeland Security" (or its
 * parts in separate fields) into person, title and agency name; "Dear Director Patel" into
 * "Patel" and "Director".
 */
export function parseRecipient(proposed: ProposedRecipient): { person: string; title: string | null; agencyName: string | null } {
  const parts = proposed.name.split(",").map((part) => part.trim()).filter(Boolean);
  let person = parts[0] ?? "";
  let title = proposed.title?.trim() || parts[1] || null;
  let agencyName = proposed.agencyName?.trim() || parts.slice(2).join(", ") || null;
  let key = nameKey(person);
  for (let changed = true; changed; ) {
    changed = false;
    for (const word of [...SALUTATIONS, ...OFFICIAL_TITLES]) {
      if (key.startsWith(`${word} `)) {
        if (OFFICIAL_TITLES.includes(word) && title === null) title = titleCase(word);
        key = key.slice(word.length + 1);
        changed = true;
      }
    }
  }
  // Keep the person's own spelling: drop as many leading words as were stripped.
  const dropped = nameKey(person).split(" ").length - (key === "" ? 0 : key.split(" ").length);
  person = person.replace(/[.,]/g, (mark) => (mark === "." ? ". " : mark)).split(/\s+/).filter(Boolean).slice(dropped).join(" ").replace(/\s+\./g, ".");
  // "Secretary of Homeland Security" as the title names the agency when no agency was given.
  if (agencyName === null && title !== null) {
    const of = /\bof (the )?(.+)$/i.exec(title);
    if (of) agencyName = of[2]!;
  }
  return { person: person.trim(), title, agencyName };
}

function titleCase(words: string): string {
  return words.replace(/\b\w/g, (letter) => letter.toUpperCase());
}

/**
 * The agency (and its department), and the official, a recipient means. The agency by its key
 * among names, acronyms and aliases (or, named by a title only, the title's agency); the official
 * by full name, else last name, among the officials of that agency (or all given, without one).
 */
export function matchRecipient(
  proposed: ProposedRecipient,
  agencies: readonly AgencyCandidate[],
  officials: readonly OfficialCandidate[],
): RecipientMatch {
  const { person, title, agencyName } = parseRecipient(proposed);
  const byValue = new Map(agencies.map((agency) => [agency.value, agency]));
  let agencyMatch: IdentityMatch<AgencyCandidate> = { match: null, confidence: 0, alternatives: [] };
  const agencyFound = (found: AgencyCandidate[], confidence: number): IdentityMatch<AgencyCandidate> =>
    found.length === 1 ? { match: found[0]!, confidence, alternatives: [] } : { match: null, confidence: 0, alternatives: sortByName(found) };
  if (agencyName) {
    const key = agencyKey(agencyName);
    const exact = agencies.filter((agency) => agency.keys.includes(key));
    agencyMatch = agencyFound(exact, 0.95);
  }
  if (agencyMatch.match === null && agencyMatch.alternatives.length === 0 && title) {
    const key = agencyKey(title.replace(/^acting\s+/i, ""));
    agencyMatch = agencyFound(agencies.filter((agency) => agency.keys.includes(key)), 0.8);
  }

  const personKey = nameKey(person);
  const pool = agencyMatch.match ? officials.filter((official) => official.agency === agencyMatch.match!.value) : officials;
  let found = pool.filter((official) => nameKey(official.name) === personKey);
  let confidence = 0.95;
  if (found.length === 0 && personKey !== "") {
    const last = personKey.split(" ").at(-1)!;
    found = pool.filter((official) => nameKey(official.name).split(" ").at(-1) === last);
    confidence = personKey.includes(" ") ? 0.6 : 0.75;
    // A full name whose first name differs is another person.
    if (personKey.includes(" ")) found = found.filter((official) => nameKey(official.name).split(" ")[0]![0] === personKey[0]);
  }
  const official: IdentityMatch<OfficialCandidate> =
    found.length === 1 ? { match: found[0]!, confidence, alternatives: [] } : { match: null, confidence: 0, alternatives: sortByName(found) };
  // The official's agency when the letter named none.
  if (agencyMatch.match === null && agencyMatch.alternatives.length === 0 && official.match) {
    const agency = byValue.get(official.match.agency);
    if (agency) agencyMatch = { match: agency, confidence: official.confidence, alternatives: [] };
  }
  const parentSlug = agencyMatch.match?.parent ?? null;
  return { agency: agencyMatch, parent: parentSlug ? (byValue.get(parentSlug) ?? null) : null, official, personName: person, title };
}

function sortByName<T extends { name: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name));
}

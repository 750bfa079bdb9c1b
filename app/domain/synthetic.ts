/**
 * Synthetic oversight letters for load and scale testing (`npm run seed:synthetic`): pure and
 * deterministic. The same seed, count and end date always give the same letters, field for field.
 *
 * Shapes follow the tracker's real data: 1 to 25 questions per letter (median about 6), a few
 * hundred agencies receiving a Zipf-like share of letters, about 70% of letters with a deadline,
 * about 60% answered, partly answered or refused, extensions, acknowledgments, follow-up chains,
 * per-question assessments on some letters, some closed letters, senders from both chambers.
 * Nothing is dated after `endDate` (the stored state counts every fact, so no future facts).
 */
import type { CalendarDate } from "./dates";
import { slugify } from "./slug";
import { QUESTION_KINDS, VERDICTS, type Chamber, type Completeness, type MemberChamber, type QuestionKind, type Verdict } from "./vocabulary";

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; plenty for test data. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    /** Uniform in [0, 1). */
    next,
    /** Whole number in [min, max], both included. */
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number): boolean => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    /** Standard normal (Box–Muller). */
    normal: (): number => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    /** An index into `weights`, chosen in proportion to them. */
    weighted: (weights: readonly number[]): number => {
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      let target = next() * total;
      for (let index = 0; index < weights.length; index++) {
        target -= weights[index] as number;
        if (target < 0) return index;
      }
      return weights.length - 1;
    },
  };
}

export type Random = ReturnType<typeof createRandom>;

/**
 * Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^exponent (Zipf): a few agencies
 * get most letters, a long tail gets a handful each.
 */
export function zipfSampler(n: number, exponent: number, random: Random): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let rank = 0; rank < n; rank++) {
    total += 1 / Math.pow(rank + 1, exponent);
    cumulative[rank] = total;
  }
  return () => {
    const target = random.next() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return low;
  };
}

export const MAX_QUESTIONS = 25;

/** 1 to 25 questions, log-normal around a median of 6 with a long tail of 20+ question letters. */
export function questionCount(random: Random): number {
  // Redraw rather than clamp, so there is no pile-up of letters at exactly 25.
  for (;;) {
    const value = Math.round(Math.exp(Math.log(6) + 0.8 * random.normal()));
    if (value >= 1 && value <= MAX_QUESTIONS) return value;
  }
}

// ---------------------------------------------------------------------------------------------
// Dates as whole days since 1970-01-01 (UTC), converted to text through a cache: 100k letters
// touch a few thousand distinct days, and formatting each one once keeps generation fast.

const DAY_MS = 86_400_000;
const dayText = new Map<number, CalendarDate>();

export function dayNumber(date: CalendarDate): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function dayToDate(day: number): CalendarDate {
  let text = dayText.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayText.set(day, text);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Reference data: members, committees, agencies with their officials, topic tags.

const FIRST_NAMES = [
  "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
  "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen",
  "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark", "Sandra", "Steven", "Ashley",
  "Andrew", "Kimberly", "Joshua", "Emily", "Kenneth", "Donna", "Kevin", "Michelle", "Brian", "Carol",
  "Rosa", "Amanda", "Luis", "Melissa", "Ahmed", "Deborah", "Wei", "Stephanie", "Raj", "Rebecca",
];
const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
  "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
  "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
  "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
];
const STATES = [
  "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
  "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
  "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
];
const COMMITTEE_SUBJECTS = [
  "Oversight and Accountability", "the Judiciary", "Homeland Security", "Foreign Affairs", "Armed Services",
  "Energy and Commerce", "Financial Services", "Ways and Means", "Appropriations", "Education and the Workforce",
  "Veterans' Affairs", "Agriculture", "Natural Resources", "Transportation and Infrastructure",
  "Science, Space, and Technology", "Small Business", "Intelligence", "the Budget",
];
const DEPARTMENTS = [
  "State", "the Treasury", "Defense", "Justice", "the Interior", "Agriculture", "Commerce", "Labor",
  "Health and Human Services", "Housing and Urban Development", "Transportation", "Energy", "Education",
  "Veterans Affairs", "Homeland Security",
];
const AGENCY_SUBJECTS = [
  "Food Safety", "Aviation", "Highway", "Maritime", "Rail", "Pipeline", "Nuclear", "Wildlife", "Forest",
  "Land", "Water", "Mine Safety", "Occupational Safety", "Consumer Product", "Trade", "Patent",
  "Census", "Weather", "Ocean", "Fisheries", "Drug", "Firearms", "Prisons", "Marshals", "Immigration",
  "Customs", "Border", "Emergency Management", "Cybersecurity", "Election", "Housing Finance",
  "Student Aid", "Disability", "Medicare", "Medicaid", "Disease Control", "Health Research", "Energy Research",
  "Grid Reliability", "Securities", "Commodity", "Deposit Insurance", "Credit Union", "Small Business Credit",
  "Export", "Broadband", "Spectrum", "Postal", "Personnel", "Procurement", "Records", "Veterans Benefits",
  "Veterans Health", "Refugee", "Development", "Peace", "Space", "Science", "Arts", "Humanities",
  "Railroad Retirement", "Pension", "Mediation", "Labor Relations", "Equal Opportunity", "Civil Rights",
  "Indian Affairs", "Reclamation", "Geological", "Park", "Ethics", "Inspector", "Audit", "Statistics",
];
const AGENCY_FORMS = ["Administration", "Bureau", "Office", "Service", "Commission", "Agency", "Board", "Institute"];
const HEAD_TITLES: Record<string, string> = {
  Administration: "Administrator",
  Bureau: "Director",
  Office: "Director",
  Service: "Chief",
  Commission: "Chair",
  Agency: "Administrator",
  Board: "Chair",
  Institute: "Director",
  Department: "Secretary",
};
const TOPICS = [
  "contract awards", "grant terminations", "detention conditions", "border enforcement", "data security",
  "records retention", "inspector general access", "staff reductions", "emergency spending", "drug pricing",
  "airline safety", "pipeline inspections", "wildfire response", "disaster relief", "election security",
  "foreign influence", "sanctions enforcement", "export licenses", "student loans", "veterans' benefits",
  "nursing homes", "water contamination", "chemical plant safety", "mine inspections", "pension funds",
  "bank supervision", "cryptocurrency", "broadband subsidies", "postal delays", "hospital mergers",
  "vaccine supply", "military housing", "weapons procurement", "refugee admissions", "deportation flights",
  "surveillance programs", "whistleblower retaliation", "conflicts of interest", "travel expenses",
  "lobbying contacts", "regulatory delays", "rule rescissions", "tariff exclusions", "census operations",
  "prison staffing", "forest management", "offshore drilling", "nuclear waste", "food recalls", "child labor",
];
const VERBS = ["approved", "denied", "reviewed", "cancelled", "delayed", "investigated", "paid", "reported"];
const NOUNS = ["applications", "contracts", "complaints", "inspections", "grants", "waivers", "employees", "cases"];

export interface SyntheticMember {
  slug: string;
  name: string;
  party: "D" | "R" | "I";
  state: string;
  chamber: MemberChamber;
}

export interface SyntheticCommittee {
  slug: string;
  name: string;
  chamber: Chamber;
}

export interface SyntheticAgency {
  slug: string;
  name: string;
  acronym: string;
}

export interface SyntheticOfficial {
  name: string;
  title: string;
  agencyIndex: number;
}

export interface SyntheticReference {
  members: SyntheticMember[];
  committees: SyntheticCommittee[];
  agencies: SyntheticAgency[];
  officials: SyntheticOfficial[];
  tags: Array<{ slug: string; name: string }>;
}

export const SYNTHETIC_AGENCY_COUNT = 300;
const HOUSE_MEMBERS = 435;
const SENATE_MEMBERS = 100;

function acronymOf(name: string): string {
  return name
    .split(/[\s-]+/)
    .filter((word) => /^[A-Z]/.test(word))
    .map((word) => word[0])
    .join("");
}

/** Members, committees, agencies, officials and tags; depends on the seed only. */
export function syntheticReference(seed: number): SyntheticReference {
  const random = createRandom(seed ^ 0x5eed);
  const usedNames = new Set<string>();
  const personName = (): string => {
    for (;;) {
      const name = `${random.pick(FIRST_NAMES)} ${random.pick(["A.", "B.", "C.", "D.", "E.", "J.", "L.", "M.", "R.", "S."])} ${random.pick(LAST_NAMES)}`;
      if (!usedNames.has(name)) {
        usedNames.add(name);
        return name;
      }
    }
  };

  const members: SyntheticMember[] = [];
  for (let index = 0; index < HOUSE_MEMBERS + SENATE_MEMBERS; index++) {
    const name = personName();
    members.push({
      slug: slugify(name),
      name,
      party: random.pick(["D", "D", "D", "D", "R", "R", "R", "R", "I"] as const),
      state: random.pick(STATES),
      chamber: index < HOUSE_MEMBERS ? "House" : "Senate",
    });
  }

  const committees: SyntheticCommittee[] = [];
  for (const chamber of ["House", "Senate"] as const) {
    for (const subject of COMMITTEE_SUBJECTS) {
      const name = `${chamber} Committee on ${subject}`;
      committees.push({ slug: slugify(name), name, chamber });
    }
  }
  for (const name of ["Joint Economic Committee", "Joint Committee on Taxation", "Joint Committee on Printing"]) {
    committees.push({ slug: slugify(name), name, chamber: "Joint" });
  }

  // Departments first (they draw the most letters under Zipf), then the smaller agencies.
  const agencyNames: Array<{ name: string; form: string }> = DEPARTMENTS.map((subject) => ({
    name: `Department of ${subject}`,
    form: "Department",
  }));
  for (let index = 0; agencyNames.length < SYNTHETIC_AGENCY_COUNT; index++) {
    const subject = AGENCY_SUBJECTS[index % AGENCY_SUBJECTS.length] as string;
    const form = AGENCY_FORMS[Math.floor(index / AGENCY_SUBJECTS.length) % AGENCY_FORMS.length] as string;
    agencyNames.push({ name: `${subject} ${form}`, form });
  }
  // Shuffle all but the largest departments, so the tail is not ordered by subject.
  for (let index = agencyNames.length - 1; index > 5; index--) {
    const other = 5 + Math.floor(random.next() * (index - 4));
    [agencyNames[index], agencyNames[other]] = [agencyNames[other]!, agencyNames[index]!];
  }
  const agencies: SyntheticAgency[] = agencyNames.map(({ name }) => ({
    slug: slugify(name),
    name,
    acronym: acronymOf(name),
  }));
  const officials: SyntheticOfficial[] = [];
  agencyNames.forEach(({ form }, agencyIndex) => {
    officials.push({ name: personName(), title: HEAD_TITLES[form] ?? "Director", agencyIndex });
    officials.push({ name: personName(), title: "Inspector General", agencyIndex });
  });

  const tags = TOPICS.map((topic) => ({ slug: slugify(topic), name: topic }));
  return { members, committees, agencies, officials, tags };
}

// ---------------------------------------------------------------------------------------------
// Letters

export interface SyntheticLetter {
  /** 1-based, in order of sending: also the database id. */
  id: number;
  slug: string;
  title: string;
  summary: string;
  sentOn: CalendarDate;
  chamber: Chamber;
  committeeIndex: number | null;
  deadline: CalendarDate | null;
  followsUpId: number | null;
  closedOn: CalendarDate | null;
  closedReason: string | null;
  senders: Array<{ memberIndex: number; role: string | null; isLead: boolean }>;
  /** Indexes into reference.officials (agency from the official). */
  recipientOfficials: number[];
  tagIndexes: number[];
  questions: Array<{ text: string; kind: QuestionKind }>;
  /** In order received. */
  responses: Array<{
    receivedOn: CalendarDate;
    from: string;
    completeness: Completeness;
    summary: string;
  }>;
  /** Verdicts on questions (1-based number) given by a response (index into `responses`). */
  assessments: Array<{
    responseIndex: number;
    questionNumber: number;
    verdict: Verdict;
  }>;
  extensions: Array<{ newDeadline: CalendarDate; grantedOn: CalendarDate; reason: string }>;
}

export interface SyntheticOptions {
  letters: number;
  seed: number;
  /** The last date anything may carry; at most today. */
  endDate: CalendarDate;
  /** Years of letters before endDate. */
  years?: number;
}

/** A fixed end date keeps a seed's output identical from day to day; clamped to today. */
export const SYNTHETIC_END_DATE: CalendarDate = "2026-10-31";

const KIND_WEIGHT: Record<QuestionKind, number> = { question: 70, document_request: 20, briefing_request: 8, testimony: 2 };
const KINDS = QUESTION_KINDS;
const KIND_WEIGHTS = KINDS.map((kind) => KIND_WEIGHT[kind]);
const COMPLETENESS_WEIGHTS = [42, 40, 18];
const VERDICT_WEIGHT: Record<Verdict, number> = { answered: 50, partial: 20, refused: 10, not_addressed: 20 };
const VERDICT_NAMES = VERDICTS;
const VERDICT_WEIGHTS = VERDICT_NAMES.map((verdict) => VERDICT_WEIGHT[verdict]);

function questionText(random: Random, topic: string, year: number, kind: (typeof KINDS)[number]): string {
  switch (kind) {
    case "document_request":
      return random.pick([
        `Provide all documents and communications concerning ${topic} since January 1, ${year}.`,
        `Produce every memorandum, email and briefing paper on ${topic} prepared for senior officials.`,
        `Provide the records the agency relied on in its decisions about ${topic}.`,
      ]);
    case "briefing_request":
      return `Provide a staff briefing on ${topic} no later than two weeks after receipt of this letter.`;
    case "testimony":
      return `Make the responsible official available to testify about ${topic} at a hearing.`;
    default:
      return random.pick([
        `Explain the legal authority the agency relies on for its actions on ${topic}.`,
        `How many ${random.pick(NOUNS)} related to ${topic} were ${random.pick(VERBS)} in fiscal year ${year}?`,
        `Who approved the change in policy on ${topic}, and when?`,
        `What steps has the agency taken to address the inspector general's findings on ${topic}?`,
        `Describe every contact between agency officials and outside parties about ${topic} in ${year}.`,
        `What did ${topic} cost in fiscal year ${year}, broken down by program?`,
      ]);
  }
}

/**
 * Yields letters one at a time in order of sending (so a writer can stream them into the database
 * without holding 100k letters in memory).
 */
export function* syntheticLetters(
  options: SyntheticOptions,
  reference: SyntheticReference,
): Generator<SyntheticLetter> {
  const random = createRandom(options.seed);
  const endDay = dayNumber(options.endDate);
  const startDay = endDay - Math.round((options.years ?? 20) * 365.25);
  const span = endDay - startDay;

  // Sending days, sorted: letters get ids in order of sending, so follow-ups point backwards.
  // Half uniform, half weighted to recent years (more letters lately).
  const sentDays = new Int32Array(options.letters);
  for (let index = 0; index < options.letters; index++) {
    const u = random.next();
    sentDays[index] = startDay + Math.floor(span * (random.chance(0.5) ? u : Math.sqrt(u)));
  }
  sentDays.sort();

  const agencyOfRank = zipfSampler(reference.agencies.length, 1.07, random);
  const houseMembers = reference.members.flatMap((member, index) => (member.chamber === "House" ? [index] : []));
  const senateMembers = reference.members.flatMap((member, index) => (member.chamber === "Senate" ? [index] : []));
  const committeesBy = {
    House: reference.committees.flatMap((committee, index) => (committee.chamber === "House" ? [index] : [])),
    Senate: reference.committees.flatMap((committee, index) => (committee.chamber === "Senate" ? [index] : [])),
    Joint: reference.committees.flatMap((committee, index) => (committee.chamber === "Joint" ? [index] : [])),
  };
  // Recent letters that a follow-up may point at: id and first recipient official.
  const recent: Array<{ id: number; official: number; topic: number }> = [];

  for (let index = 0; index < options.letters; index++) {
    const id = index + 1;
    const sentDay = sentDays[index] as number;
    const sentOn = dayToDate(sentDay);
    const year = Number(sentOn.slice(0, 4));

    const followsUp = recent.length > 20 && random.chance(0.08) ? random.pick(recent) : null;
    const chamberRoll = random.next();
    const chamber = chamberRoll < 0.64 ? "House" : chamberRoll < 0.97 ? "Senate" : "Joint";

    const senderCount = random.chance(0.55) ? 1 : random.int(2, 6);
    const senders: SyntheticLetter["senders"] = [];
    const chosen = new Set<number>();
    while (senders.length < senderCount) {
      const pool =
        chamber === "House" ? houseMembers : chamber === "Senate" ? senateMembers : random.chance(0.5) ? houseMembers : senateMembers;
      const memberIndex = random.pick(pool);
      if (chosen.has(memberIndex)) continue;
      chosen.add(memberIndex);
      const member = reference.members[memberIndex] as SyntheticMember;
      senders.push({
        memberIndex,
        role: member.chamber === "Senate" ? "Senator" : "Representative",
        isLead: senders.length === 0,
      });
    }
    const committeeIndex = random.chance(0.8) ? random.pick(committeesBy[chamber]) : null;

    const recipientCount = random.chance(0.85) ? 1 : random.int(2, 3);
    const recipientOfficials: number[] = [];
    if (followsUp) recipientOfficials.push(followsUp.official);
    while (recipientOfficials.length < recipientCount) {
      const agency = agencyOfRank();
      const official = agency * 2 + (random.chance(0.85) ? 0 : 1);
      if (!recipientOfficials.includes(official)) recipientOfficials.push(official);
    }
    const firstAgency = reference.agencies[
      (reference.officials[recipientOfficials[0] as number] as SyntheticOfficial).agencyIndex
    ] as SyntheticAgency;

    const topic = followsUp ? followsUp.topic : random.int(0, TOPICS.length - 1);
    const topicName = TOPICS[topic] as string;
    const tagIndexes = [topic];
    if (random.chance(0.4)) {
      const extra = random.int(0, TOPICS.length - 1);
      if (extra !== topic) tagIndexes.push(extra);
    }
    const lead = reference.members[(senders[0] as { memberIndex: number }).memberIndex] as SyntheticMember;
    const leadSurname = lead.name.split(" ").at(-1) as string;
    const title = followsUp
      ? `${leadSurname} follows up with ${firstAgency.acronym} on ${topicName}`
      : `${leadSurname} asks ${firstAgency.acronym} about ${topicName}`;

    const questions: SyntheticLetter["questions"] = [];
    const count = questionCount(random);
    for (let n = 0; n < count; n++) {
      const kind = KINDS[random.weighted(KIND_WEIGHTS)] as (typeof KINDS)[number];
      questions.push({ text: questionText(random, topicName, year - random.int(0, 2), kind), kind });
    }

    const deadlineDay = random.chance(0.7) ? sentDay + random.pick([14, 14, 21, 30, 30, 30, 45]) : null;

    // Responses: an acknowledgment sometimes, then (for about two in three letters) a substantive
    // answer after a skewed delay; a partial answer is sometimes completed later. Anything that
    // would fall after endDate has not happened yet.
    const responses: SyntheticLetter["responses"] = [];
    const respond = (day: number, completeness: SyntheticLetter["responses"][number]["completeness"]) => {
      if (day > endDay) return false;
      responses.push({
        receivedOn: dayToDate(day),
        from: `${firstAgency.name}, Office of Legislative Affairs`,
        completeness,
        summary:
          completeness === "acknowledgment"
            ? "Acknowledges receipt and promises a response."
            : `Response on ${topicName}${completeness === "refusal" ? ", declining to provide the information" : ""}.`,
      });
      return true;
    };
    let lastDay = sentDay;
    if (random.chance(0.15)) {
      const day = sentDay + random.int(3, 20);
      if (respond(day, "acknowledgment")) lastDay = day;
    }
    if (random.chance(0.63)) {
      const delay = Math.round(Math.exp(Math.log(40) + 0.7 * random.normal()));
      const day = Math.max(lastDay + 1, sentDay + Math.min(400, Math.max(5, delay)));
      const completeness = (["full", "partial", "refusal"] as const)[random.weighted(COMPLETENESS_WEIGHTS)] as
        | "full"
        | "partial"
        | "refusal";
      if (respond(day, completeness)) {
        lastDay = day;
        if (completeness === "partial" && random.chance(0.3)) {
          const later = day + random.int(30, 200);
          if (respond(later, "full")) lastDay = later;
        }
      }
    }
    const assessments: SyntheticLetter["assessments"] = [];
    const substantiveIndex = responses.findLastIndex((response) => response.completeness !== "acknowledgment");
    if (substantiveIndex >= 0 && random.chance(0.2)) {
      for (let number = 1; number <= questions.length; number++) {
        assessments.push({
          responseIndex: substantiveIndex,
          questionNumber: number,
          verdict: VERDICT_NAMES[random.weighted(VERDICT_WEIGHTS)] as (typeof VERDICT_NAMES)[number],
        });
      }
    }

    const extensions: SyntheticLetter["extensions"] = [];
    if (deadlineDay !== null && random.chance(0.15)) {
      let current = deadlineDay;
      const times = random.chance(0.2) ? 2 : 1;
      for (let time = 0; time < times; time++) {
        const granted = Math.max(sentDay + 1, current - random.int(0, 7));
        if (granted > endDay) break;
        current += random.int(14, 60);
        extensions.push({ newDeadline: dayToDate(current), grantedOn: dayToDate(granted), reason: "Requested by the agency" });
      }
    }

    let closedOn: CalendarDate | null = null;
    if (random.chance(0.04)) {
      const day = lastDay + random.int(30, 365);
      if (day <= endDay) closedOn = dayToDate(day);
    }

    yield {
      id,
      slug: `${slugify(`${leadSurname}-${firstAgency.acronym}-${topicName}`)}-${sentOn}-${id}`,
      title,
      summary: `${chamber === "Joint" ? "Members of both chambers" : `${chamber} members`} ask about ${topicName}.`,
      sentOn,
      chamber,
      committeeIndex,
      deadline: deadlineDay === null ? null : dayToDate(deadlineDay),
      followsUpId: followsUp?.id ?? null,
      closedOn,
      closedReason: closedOn ? "Committee closed its inquiry" : null,
      senders,
      recipientOfficials,
      tagIndexes,
      questions,
      responses,
      assessments,
      extensions,
    };

    recent.push({ id, official: recipientOfficials[0] as number, topic });
    if (recent.length > 3000) recent.shift();
  }
}

/** Today or the fixed synthetic end date, whichever is earlier. */
export function syntheticEndDate(today: CalendarDate): CalendarDate {
  return today < SYNTHETIC_END_DATE ? today : SYNTHETIC_END_DATE;
}

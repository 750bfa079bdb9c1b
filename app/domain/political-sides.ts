/**
 * Who gets answered: each letter classified by its senders' side when it was sent (issue 13, item
 * 6; decision 0018). Pure rules over the shipped table of political control
 * (db/reference/political-control.json: which party held each chamber in each Congress, and each
 * administration) and what the roster knows of each sender (party and chamber on the day, from
 * their terms; committee titles). No database here.
 */
import { z } from "zod";
import type { CalendarDate } from "./dates";
import { MIN_LETTERS_TO_RATE } from "./statistics";

// The reference table --------------------------------------------------------------------------

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");
const majorParty = z.enum(["D", "R"]);

const controlPeriod = z.object({ from: isoDate, party: majorParty, note: z.string().optional() });

export const politicalControlSchema = z.object({
  source: z.string().min(1),
  rules: z.string().min(1),
  congresses: z
    .array(
      z.object({
        number: z.number().int().positive(),
        start: isoDate,
        end: isoDate,
        house: z.array(controlPeriod).min(1),
        senate: z.array(controlPeriod).min(1),
      }),
    )
    .min(1),
  administrations: z
    .array(z.object({ president: z.string().min(1), party: majorParty, start: isoDate, end: isoDate }))
    .min(1),
  independentCaucus: z.array(
    z.object({ bioguide: z.string().min(1), name: z.string().min(1), caucus: majorParty, from: isoDate, to: isoDate.nullable() }),
  ),
});

export type PoliticalControl = z.infer<typeof politicalControlSchema>;
export type MajorParty = z.infer<typeof majorParty>;

/** The table checked: periods in order, each Congress's control periods inside it; problems name the entry. */
export function parsePoliticalControl(raw: unknown): PoliticalControl {
  const data = politicalControlSchema.parse(raw);
  const problems: string[] = [];
  data.congresses.forEach((congress, index) => {
    if (congress.start >= congress.end) problems.push(`congresses[${index}] (${congress.number}th): start must be before end`);
    const next = data.congresses[index + 1];
    if (next && next.start !== congress.end) problems.push(`congresses[${index + 1}] (${next.number}th): must start when the ${congress.number}th ends`);
    for (const chamber of ["house", "senate"] as const) {
      const periods = congress[chamber];
      if (periods[0]!.from !== congress.start) problems.push(`congresses[${index}].${chamber}[0]: must begin on the Congress's start`);
      periods.forEach((period, p) => {
        if (period.from < congress.start || period.from >= congress.end) problems.push(`congresses[${index}].${chamber}[${p}]: outside the Congress`);
        if (p > 0 && period.from <= periods[p - 1]!.from) problems.push(`congresses[${index}].${chamber}[${p}]: not after the period before`);
      });
    }
  });
  data.administrations.forEach((administration, index) => {
    if (administration.start >= administration.end) problems.push(`administrations[${index}]: start must be before end`);
    const next = data.administrations[index + 1];
    if (next && next.start !== administration.end) problems.push(`administrations[${index + 1}]: must start when the one before ends`);
  });
  if (problems.length > 0) throw new Error(`political-control.json: ${problems.join("; ")}`);
  return data;
}

/** Periods are [start, end): a day on which control changes belongs to the new period. */
const within = (day: CalendarDate, start: string, end: string | null) => day >= start && (end === null || day < end);

export function congressOn(control: PoliticalControl, day: CalendarDate) {
  return control.congresses.find((congress) => within(day, congress.start, congress.end)) ?? null;
}

export function administrationOn(control: PoliticalControl, day: CalendarDate) {
  return control.administrations.find((administration) => within(day, administration.start, administration.end)) ?? null;
}

/** The party that held `chamber` on `day`; null outside the table. */
export function chamberControlOn(control: PoliticalControl, chamber: "House" | "Senate", day: CalendarDate): MajorParty | null {
  const congress = congressOn(control, day);
  if (!congress) return null;
  const periods = chamber === "House" ? congress.house : congress.senate;
  let party: MajorParty | null = null;
  for (const period of periods) if (period.from <= day) party = period.party;
  return party;
}

// Senders --------------------------------------------------------------------------------------

/** What the roster knows of one sender of a letter, on the day it was sent. */
export interface SenderFacts {
  /** The member's bioguide id (to find an independent's caucus); null for a member the roster lacks. */
  bioguide: string | null;
  /** The party on the day (the term covering it, else the member's party); null when not known. */
  party: "D" | "R" | "I" | null;
  /** The chamber on the day; null when not known. */
  chamber: "House" | "Senate" | null;
  /** The role written on the letter ("Ranking Member, House Judiciary"). */
  role: string | null;
  /** The member's committee titles that apply to this letter (the roster's, for its Congress only). */
  committeeTitles: readonly string[];
}

/**
 * The party a sender counts with on `day`: a Democrat or Republican as such, an independent with
 * the party the table says they caucused with that day, anyone else (an independent whose caucus
 * the table does not give, a party not known) null: "unknown".
 */
export function caucusParty(control: PoliticalControl, sender: Pick<SenderFacts, "bioguide" | "party">, day: CalendarDate): MajorParty | null {
  if (sender.party === "D" || sender.party === "R") return sender.party;
  if (sender.party !== "I" || !sender.bioguide) return null;
  const entry = control.independentCaucus.find((row) => row.bioguide === sender.bioguide && within(day, row.from, row.to));
  return entry?.caucus ?? null;
}

/** A chair ("Chairman", "Chairwoman", "Chair") or ranking member; a vice chair is neither. */
export function isChairOrRanking(title: string | null | undefined): boolean {
  if (!title) return false;
  const text = title.toLowerCase().replace(/\bvice[\s-]+chair(man|woman|person)?\b/g, " ");
  return /\bchair(man|woman|person)?\b/.test(text) || /\branking\b/.test(text);
}

// Classification -------------------------------------------------------------------------------

export const SIDE_AXES = ["chamber", "administration", "party", "leadership"] as const;
export type SideAxis = (typeof SIDE_AXES)[number];

export const SIDE_VALUES = {
  chamber: ["majority", "minority", "mixed", "unknown"],
  administration: ["same", "opposite", "mixed", "unknown"],
  party: ["bipartisan", "democrats", "republicans", "unknown"],
  leadership: ["leader", "others", "unknown"],
} as const satisfies Record<SideAxis, readonly string[]>;

export type SideValue<A extends SideAxis = SideAxis> = (typeof SIDE_VALUES)[A][number];

export const SIDE_AXIS_LABELS: Record<SideAxis, { title: string; description: string }> = {
  chamber: {
    title: "Majority or minority of the chamber",
    description: "The senders' party held their chamber when the letter was sent (majority), or did not (minority).",
  },
  administration: {
    title: "The administration's party or the other",
    description: "The senders belonged to the president's party when the letter was sent, or to the other one.",
  },
  party: { title: "Bipartisan letters", description: "Letters signed by Democrats and Republicans together, against one party's letters." },
  leadership: {
    title: "Chair or ranking member among the senders",
    description: "A committee chair or ranking member signed the letter, against letters from other members only.",
  },
};

export const SIDE_VALUE_LABELS: { [A in SideAxis]: Record<SideValue<A>, string> } = {
  chamber: { majority: "Majority", minority: "Minority", mixed: "Both sides", unknown: "Unknown" },
  administration: { same: "President's party", opposite: "Other party", mixed: "Both parties", unknown: "Unknown" },
  party: { bipartisan: "Bipartisan", democrats: "Democrats only", republicans: "Republicans only", unknown: "Unknown" },
  leadership: { leader: "Chair or ranking member", others: "Other members only", unknown: "Unknown" },
};

export type LetterSides = { [A in SideAxis]: SideValue<A> };

/**
 * Folds each sender's side into the letter's: all on one side gives that side; known senders on
 * both sides "mixed" (whatever the unknown ones were); otherwise any unknown sender, or none at
 * all, "unknown" (an unknown sender might have been on the other side).
 */
function fold<T extends string>(sides: ReadonlyArray<T | null>, mixed: T, unknown: T): T {
  const known = new Set(sides.filter((side): side is T => side !== null));
  if (known.size > 1) return mixed;
  if (known.size === 0 || sides.includes(null)) return unknown;
  return [...known][0]!;
}

/** A letter's sides on every axis, from its senders on the day it was sent. */
export function classifyLetter(control: PoliticalControl, sentOn: CalendarDate, senders: readonly SenderFacts[]): LetterSides {
  const administration = administrationOn(control, sentOn);
  const parties = senders.map((sender) => caucusParty(control, sender, sentOn));
  const chamberSides = senders.map((sender, index) => {
    const party = parties[index]!;
    const held = sender.chamber ? chamberControlOn(control, sender.chamber, sentOn) : null;
    if (party === null || held === null) return null;
    return party === held ? ("majority" as const) : ("minority" as const);
  });
  const administrationSides = parties.map((party) =>
    party === null || !administration ? null : party === administration.party ? ("same" as const) : ("opposite" as const),
  );
  const partySides = parties.map((party) => (party === "D" ? ("democrats" as const) : party === "R" ? ("republicans" as const) : null));
  const partySide = fold(partySides, "bipartisan" as const, "unknown" as const);
  const leader = senders.some((sender) => isChairOrRanking(sender.role) || sender.committeeTitles.some(isChairOrRanking));
  return {
    chamber: fold(chamberSides, "mixed", "unknown"),
    administration: fold(administrationSides, "mixed", "unknown"),
    party: partySide,
    leadership: senders.length === 0 ? "unknown" : leader ? "leader" : "others",
  };
}

// Periods --------------------------------------------------------------------------------------

export const SIDE_PERIOD_KINDS = ["congress", "administration"] as const;
export type SidePeriodKind = (typeof SIDE_PERIOD_KINDS)[number];

export interface SidePeriod {
  /** "119" for a Congress, the administration's start date for an administration, "other" outside the table. */
  key: string;
  label: string;
}

export function ordinal(number: number): string {
  const tens = number % 100;
  if (tens >= 11 && tens <= 13) return `${number}th`;
  return `${number}${["th", "st", "nd", "rd"][number % 10] ?? "th"}`;
}

export const OUTSIDE_TABLE: SidePeriod = { key: "other", label: "Outside the table" };

/** The Congress and the administration a letter was sent in. */
export function periodsOf(control: PoliticalControl, sentOn: CalendarDate): Record<SidePeriodKind, SidePeriod> {
  const congress = congressOn(control, sentOn);
  const administration = administrationOn(control, sentOn);
  return {
    congress: congress
      ? { key: String(congress.number), label: `${ordinal(congress.number)} Congress (${congress.start.slice(0, 4)}–${congress.end.slice(0, 4)})` }
      : OUTSIDE_TABLE,
    administration: administration
      ? {
          key: administration.start,
          label: `${administration.president} (${administration.party}, ${administration.start.slice(0, 4)}–${administration.end.slice(0, 4)})`,
        }
      : OUTSIDE_TABLE,
  };
}

/** Periods newest first (as the table lists them), "outside the table" last. */
export function comparePeriods(a: SidePeriod, b: SidePeriod): number {
  if (a.key === b.key) return 0;
  if (a.key === OUTSIDE_TABLE.key) return 1;
  if (b.key === OUTSIDE_TABLE.key) return -1;
  const numeric = /^\d+$/.test(a.key) && /^\d+$/.test(b.key);
  return numeric ? Number(b.key) - Number(a.key) : b.key.localeCompare(a.key);
}

export function parseSidePeriodKind(params: URLSearchParams): { by: SidePeriodKind; problem: string | null } {
  const values = params.getAll("by");
  if (values.length > 1) return { by: "congress", problem: `by: give it once (it was given ${values.length} times)` };
  const value = values[0]?.trim();
  if (!value) return { by: "congress", problem: null };
  if ((SIDE_PERIOD_KINDS as readonly string[]).includes(value)) return { by: value as SidePeriodKind, problem: null };
  return { by: "congress", problem: `by: "${value}" is not one of ${SIDE_PERIOD_KINDS.join(", ")}` };
}

/**
 * The small-n rule for these figures: fewer than MIN_LETTERS_TO_RATE letters give no rate, median
 * or curve, only n. One place, so the rule can move with the statistics module's.
 */
export function enoughLetters(n: number): boolean {
  return n >= MIN_LETTERS_TO_RATE;
}

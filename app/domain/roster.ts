/**
 * The reference data's shapes and how they are built: the member roster and committees from the
 * congress-legislators files (CC0), the agency directory from the eCFR agency list plus a curated
 * supplement. Pure: scripts/roster-update.ts reads the files and writes the snapshot
 * (db/reference/), app/models/roster.server.ts loads a snapshot into the database.
 */
import { z } from "zod";
import { agencyKey, memberNameVariants, nameKey } from "./identity-match";
import { slugify } from "./slug";
import { CHAMBERS, COMMITTEE_SIDES, MEMBER_CHAMBERS, PARTIES, TERM_TYPES, type Party } from "./vocabulary";

// ---------------------------------------------------------------------------------------------
// The snapshot (db/reference/roster.json, agencies.json): validated whenever it is read

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");

export const rosterTermSchema = z.object({
  type: z.enum(TERM_TYPES),
  state: z.string().regex(/^[A-Z]{2}$/, "must be a two-letter state code"),
  district: z.number().int().nullable(),
  party: z.string().min(1),
  start: date,
  end: date,
});

export const rosterMemberSchema = z.object({
  bioguide: z.string().regex(/^[A-Z][0-9]{6}$/, "must be a bioguide id such as R000606"),
  name: z.string().min(1),
  first: z.string().min(1),
  last: z.string().min(1),
  party: z.enum(PARTIES),
  state: z.string().regex(/^[A-Z]{2}$/, "must be a two-letter state code"),
  chamber: z.enum(MEMBER_CHAMBERS),
  district: z.number().int().nullable(),
  /** Every name the member may be written as (memberNameVariants), the official name first. */
  names: z.array(z.string().min(1)).min(1),
  terms: z.array(rosterTermSchema),
});

export const rosterCommitteeSchema = z.object({
  thomasId: z.string().regex(/^[A-Z]{4}[0-9]*$/, "must be a committee id such as HSJU or HSJU01"),
  name: z.string().min(1),
  chamber: z.enum(CHAMBERS),
  /** A subcommittee's committee (its thomasId). */
  parent: z.string().nullable(),
});

export const rosterRoleSchema = z.object({
  committee: z.string().min(1),
  bioguide: z.string().min(1),
  side: z.enum(COMMITTEE_SIDES),
  rank: z.number().int().nullable(),
  title: z.string().nullable(),
});

export const rosterSnapshotSchema = z.object({
  source: z.string(),
  members: z.array(rosterMemberSchema),
  committees: z.array(rosterCommitteeSchema),
  roles: z.array(rosterRoleSchema),
});

export const directoryAgencySchema = z.object({
  /** The directory's key: the eCFR slug, or the supplement's. */
  slug: z.string().min(1),
  name: z.string().min(1),
  acronym: z.string().nullable(),
  /** The department's directory slug. */
  parent: z.string().nullable(),
  source: z.enum(["ecfr", "supplement"]),
  /** Other names, acronyms and titles that mean it ("DHS", "Homeland Security", "Attorney General"). */
  aliases: z.array(z.string().min(1)),
});

export const agencyDirectorySchema = z.object({
  source: z.string(),
  agencies: z.array(directoryAgencySchema),
});

export type RosterTerm = z.infer<typeof rosterTermSchema>;
export type RosterMember = z.infer<typeof rosterMemberSchema>;
export type RosterCommittee = z.infer<typeof rosterCommitteeSchema>;
export type RosterRole = z.infer<typeof rosterRoleSchema>;
export type RosterSnapshot = z.infer<typeof rosterSnapshotSchema>;
export type DirectoryAgency = z.infer<typeof directoryAgencySchema>;
export type AgencyDirectory = z.infer<typeof agencyDirectorySchema>;

/** Problems of a parsed file, each with its path: `members[3].state: must be a two-letter state code`. */
export function schemaProblems(error: z.ZodError, limit = 20): string[] {
  return error.issues.slice(0, limit).map((issue) => `${issue.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("").replace(/^\./, "") || "(file)"}: ${issue.message}`);
}

// ---------------------------------------------------------------------------------------------
// From congress-legislators (the upstream YAML, parsed)

const upstreamName = z.object({
  first: z.string(),
  last: z.string(),
  middle: z.string().nullish(),
  suffix: z.string().nullish(),
  nickname: z.string().nullish(),
  official_full: z.string().nullish(),
});
const upstreamTerm = z.object({
  type: z.enum(TERM_TYPES),
  start: date,
  end: date,
  state: z.string(),
  district: z.number().int().nullish(),
  party: z.string().nullish(),
});
const upstreamLegislators = z.array(
  z.object({ id: z.object({ bioguide: z.string() }), name: upstreamName, terms: z.array(upstreamTerm).min(1) }),
);
interface UpstreamCommittee {
  type: string;
  name: string;
  thomas_id: string;
  subcommittees?: Array<{ name: string; thomas_id: string }> | null;
}
const upstreamCommittees: z.ZodType<UpstreamCommittee[]> = z.array(
  z.object({
    type: z.string(),
    name: z.string(),
    thomas_id: z.string(),
    subcommittees: z.array(z.object({ name: z.string(), thomas_id: z.union([z.string(), z.number()]).transform(String) })).nullish(),
  }),
);
const upstreamMembership = z.record(
  z.string(),
  z.array(
    z.object({
      name: z.string().nullish(),
      party: z.enum(COMMITTEE_SIDES),
      rank: z.number().int().nullish(),
      title: z.string().nullish(),
      bioguide: z.string(),
    }),
  ),
);

/** "Democrat" -> D; "Republican" -> R; anything else (Independent, Libertarian, ...) -> I. */
export function partyCode(party: string | null | undefined): Party {
  if (/^democrat/i.test(party ?? "")) return "D";
  if (/^republican/i.test(party ?? "")) return "R";
  return "I";
}

const CHAMBER_OF_TYPE: Record<string, (typeof CHAMBERS)[number]> = { house: "House", senate: "Senate", joint: "Joint" };

/** A subcommittee's full name: "House Committee on the Judiciary Subcommittee on the Constitution ...". */
export function subcommitteeName(committee: string, subcommittee: string): string {
  const name = subcommittee.replace(/^the\s+/i, "the ").trim();
  return /^subcommittee\b/i.test(name) ? `${committee} ${name}` : `${committee} Subcommittee on ${name}`;
}

export class ReferenceDataError extends Error {
  override name = "ReferenceDataError";
}

function parseUpstream<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ReferenceDataError(`${file} is not in the expected shape:\n${schemaProblems(parsed.error).join("\n")}`);
  return parsed.data;
}

/** The roster snapshot from the three congress-legislators files (already parsed from YAML). */
export function buildRoster({
  legislators,
  committees,
  membership,
  source,
}: {
  legislators: unknown;
  committees: unknown;
  membership: unknown;
  source: string;
}): RosterSnapshot {
  const people = parseUpstream(upstreamLegislators, legislators, "legislators-current.yaml");
  const groups = parseUpstream(upstreamCommittees, committees, "committees-current.yaml");
  const seats = parseUpstream(upstreamMembership, membership, "committee-membership-current.yaml");

  const members: RosterMember[] = people.map(({ id, name, terms }) => {
    const current = terms.at(-1)!;
    return {
      bioguide: id.bioguide,
      name: (name.official_full ?? `${name.first} ${name.last}`).replace(/\s+/g, " ").trim(),
      first: name.first,
      last: name.last,
      party: partyCode(current.party),
      state: current.state,
      chamber: current.type === "sen" ? "Senate" : "House",
      district: current.type === "rep" ? (current.district ?? null) : null,
      names: memberNameVariants({ ...name, officialFull: name.official_full }),
      terms: terms.map((term) => ({
        type: term.type,
        state: term.state,
        district: term.type === "rep" ? (term.district ?? null) : null,
        party: term.party ?? "",
        start: term.start,
        end: term.end,
      })),
    };
  });
  const rosterCommittees: RosterCommittee[] = [];
  for (const group of groups) {
    const chamber = CHAMBER_OF_TYPE[group.type] ?? "Joint";
    rosterCommittees.push({ thomasId: group.thomas_id, name: group.name, chamber, parent: null });
    for (const sub of group.subcommittees ?? []) {
      rosterCommittees.push({ thomasId: `${group.thomas_id}${sub.thomas_id}`, name: subcommitteeName(group.name, sub.name), chamber, parent: group.thomas_id });
    }
  }
  const known = new Set(members.map((member) => member.bioguide));
  const committeeIds = new Set(rosterCommittees.map((committee) => committee.thomasId));
  const roles: RosterRole[] = [];
  for (const [committee, list] of Object.entries(seats)) {
    if (!committeeIds.has(committee)) continue;
    const seen = new Set<string>();
    for (const seat of list) {
      if (!known.has(seat.bioguide) || seen.has(seat.bioguide)) continue;
      seen.add(seat.bioguide);
      roles.push({ committee, bioguide: seat.bioguide, side: seat.party, rank: seat.rank ?? null, title: seat.title ?? null });
    }
  }
  return rosterSnapshotSchema.parse({ source, members, committees: rosterCommittees, roles });
}

// ---------------------------------------------------------------------------------------------
// The agency directory: eCFR plus the curated supplement

const ecfrAgency = z.object({
  name: z.string(),
  short_name: z.string().nullish(),
  slug: z.string(),
});
const ecfrFile = z.object({ agencies: z.array(ecfrAgency.extend({ children: z.array(ecfrAgency).nullish() })) });

export const agencySupplementSchema = z.object({
  /** Corrections to eCFR entries, by eCFR slug. */
  overrides: z.record(
    z.string(),
    z.object({ name: z.string().optional(), acronym: z.string().optional(), aliases: z.array(z.string()).optional() }),
  ),
  /** Components letters address that the eCFR list lacks. */
  agencies: z.array(
    z.object({
      slug: z.string().regex(/^[a-z0-9-]+$/),
      name: z.string().min(1),
      acronym: z.string().nullable(),
      parent: z.string().nullable(),
      aliases: z.array(z.string()),
    }),
  ),
});
export type AgencySupplement = z.infer<typeof agencySupplementSchema>;

/** Other names generated from a name: "Department of Homeland Security" -> "Homeland Security", "Homeland Security Department". */
function generatedAliases(name: string): string[] {
  const department = /^(?:U\.S\. )?Department of (?:the )?(.+)$/.exec(name);
  return department ? [department[1]!, `${department[1]} Department`] : [];
}

/**
 * The directory: every eCFR agency and component (with its department), corrected and completed
 * by the supplement. An alias (or acronym) that would name two agencies is dropped from both,
 * unless it is one's own name: "FS" names no one, "Secret Service" names the Secret Service.
 */
export function buildDirectory({ ecfr, supplement, source }: { ecfr: unknown; supplement: unknown; source: string }): AgencyDirectory {
  const file = parseUpstream(ecfrFile, ecfr, "ecfr-agencies.json");
  const extra = parseUpstream(agencySupplementSchema, supplement, "agency-supplement.json");
  const entries: DirectoryAgency[] = [];
  const add = (agency: z.infer<typeof ecfrAgency>, parent: string | null) => {
    const fix = extra.overrides[agency.slug];
    const name = (fix?.name ?? agency.name).trim();
    const acronym = (fix?.acronym ?? agency.short_name ?? "").trim() || null;
    entries.push({ slug: agency.slug, name, acronym, parent, source: "ecfr", aliases: [...(fix?.aliases ?? []), ...(fix?.name ? [agency.name] : [])] });
  };
  for (const agency of file.agencies) {
    add(agency, null);
    for (const child of agency.children ?? []) add(child, agency.slug);
  }
  for (const agency of extra.agencies) entries.push({ ...agency, source: "supplement" });
  const slugs = new Set(entries.map((entry) => entry.slug));
  for (const slug of Object.keys(extra.overrides)) {
    if (!slugs.has(slug)) throw new ReferenceDataError(`agency-supplement.json: overrides.${slug}: no eCFR agency has this slug`);
  }
  for (const entry of entries) {
    if (entry.parent !== null && !slugs.has(entry.parent)) throw new ReferenceDataError(`agency ${entry.slug}: parent "${entry.parent}" is not in the directory`);
  }
  if (slugs.size !== entries.length) throw new ReferenceDataError("agency slugs must be unique across the eCFR list and the supplement");

  // Candidate aliases per entry, then keep the keys that name one entry (or are the entry's own name).
  const ownKey = new Map(entries.map((entry) => [entry.slug, agencyKey(entry.name)]));
  const candidates = entries.map((entry) => {
    const names = [...entry.aliases, ...(entry.acronym && entry.acronym.length >= 2 ? [entry.acronym] : []), ...generatedAliases(entry.name)];
    return names.filter((alias) => agencyKey(alias) !== "" && agencyKey(alias) !== ownKey.get(entry.slug));
  });
  const owners = new Map<string, Set<string>>();
  const claim = (key: string, slug: string) => owners.set(key, (owners.get(key) ?? new Set()).add(slug));
  entries.forEach((entry, i) => {
    claim(ownKey.get(entry.slug)!, entry.slug);
    for (const alias of candidates[i]!) claim(agencyKey(alias), entry.slug);
  });
  const ownNames = new Set(ownKey.values());
  const agencies = entries.map((entry, i) => {
    const seen = new Set<string>();
    const aliases = candidates[i]!.filter((alias) => {
      const key = agencyKey(alias);
      if (seen.has(key) || owners.get(key)!.size > 1 || ownNames.has(key)) return false;
      seen.add(key);
      return true;
    });
    return { ...entry, aliases };
  });
  return agencyDirectorySchema.parse({ source, agencies });
}

/** The slug a new row gets for a directory agency: from its name (eCFR slugs may hold brackets). */
export function agencyRowSlug(agency: Pick<DirectoryAgency, "name">): string {
  return slugify(agency.name);
}

/** Members' name keys, for the loader: the variants' keys and the stored name's. */
export function memberKeys(names: readonly string[]): string[] {
  return [...new Set(names.map(nameKey).filter((key) => key !== ""))];
}

/**
 * Loads the reference data (db/reference/roster.json and agencies.json, built by `npm run
 * roster:update`) into the database, in one transaction:
 *
 * - Members keyed by bioguide id. A member already in the tracker without one (typed in a form,
 *   imported, from the demo letters) is linked when one of the roster member's names matches its
 *   name and the state matches (and, among several, the chamber): it keeps its id, slug and
 *   letters, takes the roster's name, party, district, and its old name stays one of its names.
 *   Nothing is ever created twice; members the roster lacks (who left Congress) are left as they
 *   are. Names, terms and committee roles are brought in line with the roster.
 * - Committees keyed by thomas id, linked to a typed committee of the same name.
 * - Agencies keyed by directory slug, linked to a typed agency whose name or acronym is the
 *   directory agency's name, acronym or alias; parents set.
 * - Names and aliases are only ever added, never removed: a name that once meant a member or an
 *   agency (the roster's, or the one it had in the tracker before it was linked) keeps meaning it.
 *
 * A second run with the same snapshot writes nothing (and so moves no data revision).
 */
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../db/client.server";
import { agencyKey, nameKey } from "~/domain/identity-match";
import {
  agencyDirectorySchema,
  agencyRowSlug,
  memberKeys,
  ReferenceDataError,
  rosterSnapshotSchema,
  schemaProblems,
  type AgencyDirectory,
  type RosterSnapshot,
} from "~/domain/roster";
import { slugify } from "~/domain/slug";

export const REFERENCE_DIR = path.resolve(process.cwd(), "db/reference");
export const ROSTER_FILE = path.join(REFERENCE_DIR, "roster.json");
export const AGENCIES_FILE = path.join(REFERENCE_DIR, "agencies.json");

export interface ReferenceLoadResult {
  members: { created: number; linked: number; updated: number };
  committees: { created: number; linked: number; updated: number };
  agencies: { created: number; linked: number; updated: number };
}

function readJson<T>(file: string, schema: { safeParse: (value: unknown) => { success: true; data: T } | { success: false; error: import("zod").ZodError } }): T {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ReferenceDataError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ReferenceDataError(`${file} is invalid; nothing was written.\n${schemaProblems(parsed.error).join("\n")}`);
  return parsed.data;
}

export function readReferenceSnapshot({ rosterFile = ROSTER_FILE, agenciesFile = AGENCIES_FILE } = {}): {
  roster: RosterSnapshot;
  directory: AgencyDirectory;
} {
  return { roster: readJson(rosterFile, rosterSnapshotSchema), directory: readJson(agenciesFile, agencyDirectorySchema) };
}

/** Loads the shipped snapshot (or the given files). */
export function loadReferenceFiles({ db, rosterFile, agenciesFile }: { db: Db; rosterFile?: string; agenciesFile?: string }): ReferenceLoadResult {
  const { roster, directory } = readReferenceSnapshot({ rosterFile, agenciesFile });
  return loadReferenceData({ db, roster, directory });
}

/** Whether the roster was ever loaded (a member with a bioguide id exists): first-run seeding asks. */
export function referenceDataLoaded(db: Db): boolean {
  return db.$client.prepare("SELECT 1 FROM members WHERE bioguide_id IS NOT NULL LIMIT 1").get() !== undefined;
}

export function loadReferenceData({ db, roster, directory }: { db: Db; roster: RosterSnapshot; directory: AgencyDirectory }): ReferenceLoadResult {
  const sqlite = db.$client;
  // One immediate transaction (better-sqlite3's own: the loader speaks SQL, not the query builder).
  return sqlite.transaction(() => ({ agencies: loadAgencies(sqlite, directory), ...loadRoster(sqlite, roster) })).immediate();
}

type Sqlite = Db["$client"];

function freeSlug(sqlite: Sqlite, table: "members" | "committees" | "agencies", base: string): string {
  const taken = sqlite.prepare(`SELECT 1 FROM ${table} WHERE slug = ?`);
  const start = base || "item";
  let slug = start;
  for (let n = 2; taken.get(slug); n++) slug = `${start}-${n}`;
  return slug;
}

/** Makes a child table's rows for one parent exactly `wanted` (by key), touching only what differs. */
function syncRows<T>({
  current,
  wanted,
  key,
  same,
  remove,
  insert,
}: {
  current: T[];
  wanted: T[];
  key: (row: T) => string;
  same: (a: T, b: T) => boolean;
  remove: (row: T) => void;
  insert: (row: T) => void;
}): boolean {
  const have = new Map(current.map((row) => [key(row), row]));
  const want = new Map(wanted.map((row) => [key(row), row]));
  let changed = false;
  for (const [k, row] of have) {
    const next = want.get(k);
    if (!next || !same(row, next)) {
      remove(row);
      changed = true;
    }
  }
  for (const [k, row] of want) {
    const before = have.get(k);
    if (!before || !same(before, row)) {
      insert(row);
      changed = true;
    }
  }
  return changed;
}

const sameJson = <T>(a: T, b: T) => JSON.stringify(a) === JSON.stringify(b);

// ---------------------------------------------------------------------------------------------
// Agencies

interface AgencyRow {
  id: number;
  name: string;
  acronym: string | null;
  directory_slug: string | null;
}

function loadAgencies(sqlite: Sqlite, directory: AgencyDirectory) {
  const result = { created: 0, linked: 0, updated: 0 };
  const byDirectory = sqlite.prepare<[string], AgencyRow>("SELECT id, name, acronym, directory_slug FROM agencies WHERE directory_slug = ?");
  const byName = sqlite.prepare<[string], { id: number }>("SELECT id FROM agencies WHERE name = ?");
  // Typed agencies not yet linked, by the keys of their name and acronym (read once: a batch job).
  const unlinked = sqlite.prepare<[], AgencyRow>("SELECT id, name, acronym, directory_slug FROM agencies WHERE directory_slug IS NULL").all();
  const unlinkedByKey = new Map<string, AgencyRow[]>();
  for (const row of unlinked) {
    for (const key of new Set([agencyKey(row.name), ...(row.acronym ? [agencyKey(row.acronym)] : [])])) {
      if (key !== "") unlinkedByKey.set(key, [...(unlinkedByKey.get(key) ?? []), row]);
    }
  }
  const taken = new Set<number>();
  const update = sqlite.prepare("UPDATE agencies SET name = ?, acronym = ?, source = ?, directory_slug = ? WHERE id = ?");
  const insert = sqlite.prepare("INSERT INTO agencies (slug, name, acronym, source, directory_slug) VALUES (?, ?, ?, ?, ?)");
  const ids = new Map<string, number>();
  const keptNames = new Map<number, string>();

  for (const agency of directory.agencies) {
    const keys = [agencyKey(agency.name), ...(agency.acronym ? [agencyKey(agency.acronym)] : []), ...agency.aliases.map(agencyKey)];
    let row = byDirectory.get(agency.slug);
    if (!row) {
      // The typed agency whose name is the canonical name first, then by acronym or alias.
      const found = keys.flatMap((key) => unlinkedByKey.get(key) ?? []).filter((candidate) => !taken.has(candidate.id));
      row = found[0];
      if (row) {
        result.linked += 1;
        keptNames.set(row.id, row.name);
      }
    }
    if (row) {
      taken.add(row.id);
      // The canonical name, unless another row already has it (then the row keeps its own).
      const holder = byName.get(agency.name);
      const name = holder && holder.id !== row.id ? row.name : agency.name;
      if (row.name !== name || row.acronym !== agency.acronym || row.directory_slug !== agency.slug) {
        if (row.directory_slug === agency.slug) result.updated += 1;
        update.run(name, agency.acronym, agency.source, agency.slug, row.id);
        if (row.name !== name && row.directory_slug === agency.slug) keptNames.set(row.id, row.name);
      } else {
        sqlite.prepare("UPDATE agencies SET source = ? WHERE id = ? AND source <> ?").run(agency.source, row.id, agency.source);
      }
      ids.set(agency.slug, row.id);
    } else {
      const holder = byName.get(agency.name);
      const name = holder ? `${agency.name} (${agency.slug})` : agency.name;
      const id = Number(insert.run(freeSlug(sqlite, "agencies", agencyRowSlug(agency)), name, agency.acronym, agency.source, agency.slug).lastInsertRowid);
      ids.set(agency.slug, id);
      result.created += 1;
    }
  }

  const parentOf = sqlite.prepare<[number], { parent_id: number | null }>("SELECT parent_id FROM agencies WHERE id = ?");
  const setParent = sqlite.prepare("UPDATE agencies SET parent_id = ? WHERE id = ?");
  const aliasesOf = sqlite.prepare<[number], { key: string; alias: string }>("SELECT key, alias FROM agency_aliases WHERE agency_id = ?");
  const addAlias = sqlite.prepare("INSERT INTO agency_aliases (agency_id, key, alias) VALUES (?, ?, ?)");
  for (const agency of directory.agencies) {
    const id = ids.get(agency.slug)!;
    const parent = agency.parent === null ? null : (ids.get(agency.parent) ?? null);
    if (parentOf.get(id)?.parent_id !== parent) setParent.run(parent, id);
    // Aliases are only ever added: a name that once meant this agency (the directory's, or the name
    // the row had before it was linked) keeps meaning it.
    const have = new Set(aliasesOf.all(id).map((row) => row.key));
    // Its own name is one too, so that "U.S. Department of the Treasury" finds "Department of the Treasury".
    for (const alias of [agency.name, ...agency.aliases, ...(keptNames.has(id) ? [keptNames.get(id)!] : [])]) {
      const key = agencyKey(alias);
      if (key === "" || have.has(key)) continue;
      addAlias.run(id, key, alias);
      have.add(key);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Members and committees

interface MemberRow {
  id: number;
  name: string;
  party: string;
  state: string;
  chamber: string;
  bioguide_id: string | null;
  first_name: string | null;
  last_name: string | null;
  official_name: string | null;
  district: number | null;
}

function loadRoster(sqlite: Sqlite, roster: RosterSnapshot) {
  const members = { created: 0, linked: 0, updated: 0 };
  const committees = { created: 0, linked: 0, updated: 0 };
  const columns = "id, name, party, state, chamber, bioguide_id, first_name, last_name, official_name, district";
  const byBioguide = sqlite.prepare<[string], MemberRow>(`SELECT ${columns} FROM members WHERE bioguide_id = ?`);
  const unlinked = sqlite.prepare<[], MemberRow>(`SELECT ${columns} FROM members WHERE bioguide_id IS NULL`).all();
  const unlinkedByKey = new Map<string, MemberRow[]>();
  for (const row of unlinked) {
    const key = nameKey(row.name);
    unlinkedByKey.set(key, [...(unlinkedByKey.get(key) ?? []), row]);
  }
  const taken = new Set<number>();
  const update = sqlite.prepare(
    "UPDATE members SET name = ?, party = ?, state = ?, chamber = ?, bioguide_id = ?, first_name = ?, last_name = ?, official_name = ?, district = ? WHERE id = ?",
  );
  const insert = sqlite.prepare(
    "INSERT INTO members (slug, name, party, state, chamber, bioguide_id, first_name, last_name, official_name, district) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const namesOf = sqlite.prepare<[number], { key: string; name: string }>("SELECT key, name FROM member_names WHERE member_id = ?");
  const addName = sqlite.prepare("INSERT INTO member_names (member_id, key, name) VALUES (?, ?, ?)");
  const termsOf = sqlite.prepare<[number], { type: string; state: string; district: number | null; party: string; start: string; end: string }>(
    "SELECT type, state, district, party, start_on AS start, end_on AS end FROM member_terms WHERE member_id = ?",
  );
  const removeTerm = sqlite.prepare("DELETE FROM member_terms WHERE member_id = ? AND start_on = ?");
  const addTerm = sqlite.prepare("INSERT INTO member_terms (member_id, type, state, district, party, start_on, end_on) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const memberIds = new Map<string, number>();

  for (const member of roster.members) {
    const keys = memberKeys(member.names);
    let row = byBioguide.get(member.bioguide);
    let formerName: string | null = null;
    if (!row) {
      const found = keys
        .flatMap((key) => unlinkedByKey.get(key) ?? [])
        .filter((candidate) => candidate.state === member.state && !taken.has(candidate.id));
      const sameChamber = found.filter((candidate) => candidate.chamber === member.chamber);
      row = sameChamber[0] ?? found[0];
      if (row) {
        members.linked += 1;
        formerName = row.name;
      }
    }
    const values = [member.name, member.party, member.state, member.chamber, member.bioguide, member.first, member.last, member.name, member.district] as const;
    let id: number;
    if (row) {
      taken.add(row.id);
      id = row.id;
      const before = [row.name, row.party, row.state, row.chamber, row.bioguide_id, row.first_name, row.last_name, row.official_name, row.district];
      if (!sameJson(before, [...values])) {
        if (row.bioguide_id !== null) {
          members.updated += 1;
          if (row.name !== member.name) formerName = row.name;
        }
        update.run(...values, id);
      }
    } else {
      id = Number(insert.run(freeSlug(sqlite, "members", slugify(member.name)), ...values).lastInsertRowid);
      members.created += 1;
    }
    memberIds.set(member.bioguide, id);

    // Names are only ever added: the roster's, and the name the member had in the tracker before.
    const have = new Set(namesOf.all(id).map((entry) => entry.key));
    for (const name of [...member.names, ...(formerName ? [formerName] : [])]) {
      const key = nameKey(name);
      if (key === "" || have.has(key)) continue;
      addName.run(id, key, name);
      have.add(key);
    }
    syncRows({
      current: termsOf.all(id),
      wanted: member.terms.map((term) => ({ type: term.type, state: term.state, district: term.district, party: term.party, start: term.start, end: term.end })),
      key: (term) => term.start,
      same: sameJson,
      remove: (term) => removeTerm.run(id, term.start),
      insert: (term) => addTerm.run(id, term.type, term.state, term.district, term.party, term.start, term.end),
    });
  }

  // Committees: parents first (the snapshot lists a committee before its subcommittees).
  const committeeByThomas = sqlite.prepare<[string], { id: number; name: string; chamber: string; parent_id: number | null }>(
    "SELECT id, name, chamber, parent_id FROM committees WHERE thomas_id = ?",
  );
  const committeeByName = sqlite.prepare<[string], { id: number; thomas_id: string | null; chamber: string; parent_id: number | null; name: string }>(
    "SELECT id, thomas_id, chamber, parent_id, name FROM committees WHERE name = ?",
  );
  const updateCommittee = sqlite.prepare("UPDATE committees SET name = ?, chamber = ?, thomas_id = ?, parent_id = ? WHERE id = ?");
  const insertCommittee = sqlite.prepare("INSERT INTO committees (slug, name, chamber, thomas_id, parent_id) VALUES (?, ?, ?, ?, ?)");
  const committeeIds = new Map<string, number>();
  for (const committee of roster.committees) {
    const parent = committee.parent === null ? null : (committeeIds.get(committee.parent) ?? null);
    const row = committeeByThomas.get(committee.thomasId);
    const named = committeeByName.get(committee.name);
    if (row) {
      // Renamed upstream: take the new name unless a typed committee already has it.
      const name = named && named.id !== row.id ? row.name : committee.name;
      if (row.name !== name || row.chamber !== committee.chamber || row.parent_id !== parent) {
        updateCommittee.run(name, committee.chamber, committee.thomasId, parent, row.id);
        committees.updated += 1;
      }
      committeeIds.set(committee.thomasId, row.id);
    } else if (named && named.thomas_id === null) {
      updateCommittee.run(committee.name, committee.chamber, committee.thomasId, parent, named.id);
      committeeIds.set(committee.thomasId, named.id);
      committees.linked += 1;
    } else {
      const name = named ? `${committee.name} (${committee.thomasId})` : committee.name;
      const id = Number(insertCommittee.run(freeSlug(sqlite, "committees", slugify(committee.name)), name, committee.chamber, committee.thomasId, parent).lastInsertRowid);
      committeeIds.set(committee.thomasId, id);
      committees.created += 1;
    }
  }

  // Committee roles: exactly the roster's, for every committee the roster lists.
  const rolesOf = sqlite.prepare<[number], { member_id: number; side: string; rank: number | null; title: string | null }>(
    "SELECT member_id, side, rank, title FROM committee_roles WHERE committee_id = ?",
  );
  const removeRole = sqlite.prepare("DELETE FROM committee_roles WHERE committee_id = ? AND member_id = ?");
  const addRole = sqlite.prepare("INSERT INTO committee_roles (committee_id, member_id, side, rank, title) VALUES (?, ?, ?, ?, ?)");
  const rolesByCommittee = new Map<string, typeof roster.roles>();
  for (const role of roster.roles) rolesByCommittee.set(role.committee, [...(rolesByCommittee.get(role.committee) ?? []), role]);
  for (const [thomasId, committeeId] of committeeIds) {
    syncRows({
      current: rolesOf.all(committeeId),
      wanted: (rolesByCommittee.get(thomasId) ?? [])
        .filter((role) => memberIds.has(role.bioguide))
        .map((role) => ({ member_id: memberIds.get(role.bioguide)!, side: role.side, rank: role.rank, title: role.title })),
      key: (role) => String(role.member_id),
      same: sameJson,
      remove: (role) => removeRole.run(committeeId, role.member_id),
      insert: (role) => addRole.run(committeeId, role.member_id, role.side, role.rank, role.title),
    });
  }
  return { members, committees };
}

/**
 * Signers and recipients proposed from a letter's text, matched against the roster and the agency
 * directory (the rules: app/domain/identity-match.ts). The members and agencies with their names
 * are held in memory, built once per data revision (a roster of ~540 members and a directory of a
 * few hundred agencies; a typed member or agency moves the revision and rebuilds it); officials are
 * read per recipient through indexes (their agency's, or the picker index by name), never scanned.
 *
 * Answers are picker items (app/domain/pickers.ts) so a form shows the match in its picker field,
 * changeable like any pick, with the alternatives beside it.
 */
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import {
  agencyKey as agencyKeyOf,
  matchRecipient,
  matchSigner,
  nameKey,
  type AgencyCandidate,
  type MemberCandidate,
  type OfficialCandidate,
  type ProposedRecipient,
  type ProposedSigner,
} from "~/domain/identity-match";
import { pickerMatchQuery, type PickerItem, type PickerKind } from "~/domain/pickers";
import type { MemberChamber } from "~/domain/vocabulary";
import { cachedUntilDataChanges } from "./figure-cache.server";
import { pickerItems } from "./pickers.server";

export interface SignerMatch {
  proposed: ProposedSigner;
  /** The member meant, or null (no one, or several: see alternatives). */
  match: PickerItem | null;
  /** 0..1, see IdentityMatch in app/domain/identity-match.ts. */
  confidence: number;
  alternatives: PickerItem[];
}

export interface RecipientMatch {
  proposed: ProposedRecipient;
  /** The person's name and title as read from the proposal ("Kristi Noem", "Secretary"). */
  personName: string;
  title: string | null;
  agency: PickerItem | null;
  agencyConfidence: number;
  agencyAlternatives: PickerItem[];
  /** The agency's department, when it is a component (ICE -> Department of Homeland Security). */
  parent: PickerItem | null;
  /** An official already in the tracker, when one matches. */
  official: PickerItem | null;
  officialConfidence: number;
  officialAlternatives: PickerItem[];
}

interface IdentityIndex {
  members: MemberCandidate[];
  agencies: AgencyCandidate[];
}

function buildIndex(): IdentityIndex {
  const db = getDb();
  const names = new Map<number, string[]>();
  for (const row of db.all<{ member_id: number; key: string }>(sql`SELECT member_id, key FROM member_names`)) {
    names.set(row.member_id, [...(names.get(row.member_id) ?? []), row.key]);
  }
  const titles = new Map<number, string[]>();
  for (const row of db.all<{ member_id: number; title: string }>(sql`SELECT member_id, title FROM committee_roles WHERE title IS NOT NULL`)) {
    titles.set(row.member_id, [...(titles.get(row.member_id) ?? []), row.title]);
  }
  const members = db
    .all<{ id: number; slug: string; name: string; party: string; state: string; chamber: MemberChamber; last_name: string | null }>(
      sql`SELECT id, slug, name, party, state, chamber, last_name FROM members`,
    )
    .map((row) => ({
      value: row.slug,
      name: row.name,
      party: row.party,
      state: row.state,
      chamber: row.chamber,
      lastKey: row.last_name ? nameKey(row.last_name) : null,
      keys: [...new Set([nameKey(row.name), ...(names.get(row.id) ?? [])])],
      titles: titles.get(row.id) ?? [],
    }));
  const aliases = new Map<number, string[]>();
  for (const row of db.all<{ agency_id: number; key: string }>(sql`SELECT agency_id, key FROM agency_aliases`)) {
    aliases.set(row.agency_id, [...(aliases.get(row.agency_id) ?? []), row.key]);
  }
  const agencies = db
    .all<{ id: number; slug: string; name: string; acronym: string | null; parent: string | null }>(
      sql`SELECT a.id, a.slug, a.name, a.acronym, p.slug AS parent FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id`,
    )
    .map((row) => ({
      value: row.slug,
      name: row.name,
      acronym: row.acronym,
      parent: row.parent,
      keys: [...new Set([agencyKeyOf(row.name), ...(row.acronym ? [agencyKeyOf(row.acronym)] : []), ...(aliases.get(row.id) ?? [])])],
    }));
  return { members, agencies };
}

function identityIndex(): IdentityIndex {
  return cachedUntilDataChanges("identity-index", buildIndex);
}

function items(kind: PickerKind, values: string[]): PickerItem[] {
  const found = pickerItems(kind, values);
  return values.map((value) => found.get(value)).filter((item): item is PickerItem => item !== undefined);
}

/** The member each proposed signer means, with alternatives. */
export function matchSigners(proposed: readonly ProposedSigner[]): SignerMatch[] {
  const { members } = identityIndex();
  return proposed.map((signer) => {
    const result = matchSigner(signer, members);
    return {
      proposed: signer,
      match: result.match ? (items("members", [result.match.value])[0] ?? null) : null,
      confidence: result.confidence,
      alternatives: items("members", result.alternatives.map((member) => member.value)),
    };
  });
}

/** Officials who may be the person: their agency's (by index), or by the words of their name (the picker index). */
function officialCandidates(person: string, agency: string | null): OfficialCandidate[] {
  const db = getDb();
  if (agency !== null) {
    return db.all<OfficialCandidate>(sql`
      SELECT CAST(o.id AS TEXT) AS value, o.name, o.title, a.slug AS agency
      FROM agencies a JOIN officials o ON o.agency_id = a.id WHERE a.slug = ${agency} ORDER BY o.name LIMIT 500`);
  }
  const last = person.trim().split(/\s+/).at(-1) ?? "";
  const match = pickerMatchQuery("officials", last);
  if (match === null) return [];
  return db.all<OfficialCandidate>(sql`
    SELECT CAST(o.id AS TEXT) AS value, o.name, o.title, a.slug AS agency
    FROM picker_index CROSS JOIN officials o ON o.id = picker_index.rowid / 8 JOIN agencies a ON a.id = o.agency_id
    WHERE picker_index MATCH ${match}
    LIMIT 50`);
}

/** The agency (and department) and official each proposed recipient means, with alternatives. */
export function matchRecipients(proposed: readonly ProposedRecipient[]): RecipientMatch[] {
  const { agencies } = identityIndex();
  return proposed.map((recipient) => {
    // The agency first (no officials needed), then the officials of that agency, or by name.
    const first = matchRecipient(recipient, agencies, []);
    const officials = officialCandidates(first.personName, first.agency.match?.value ?? null);
    const result = matchRecipient(recipient, agencies, officials);
    return {
      proposed: recipient,
      personName: result.personName,
      title: result.title,
      agency: result.agency.match ? (items("agencies", [result.agency.match.value])[0] ?? null) : null,
      agencyConfidence: result.agency.confidence,
      agencyAlternatives: items("agencies", result.agency.alternatives.map((agency) => agency.value)),
      parent: result.parent ? (items("agencies", [result.parent.value])[0] ?? null) : null,
      official: result.official.match ? (items("officials", [result.official.match.value])[0] ?? null) : null,
      officialConfidence: result.official.confidence,
      officialAlternatives: items("officials", result.official.alternatives.map((official) => official.value)),
    };
  });
}

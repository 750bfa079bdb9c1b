/**
 * The roster and agency directory (db/reference/, app/models/roster.server.ts) on a real SQLite
 * file: a fresh install, a tracker that already holds the demo letters, re-runs, members who left
 * Congress, agencies named by acronym, and the pickers fed by it.
 */
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedDemoDataIfEmpty, seedFromFile } from "../../db/seed.server";
import { loadReferenceData, loadReferenceFiles, readReferenceSnapshot, referenceDataLoaded } from "~/models/roster.server";
import { resolvePick, searchPicker } from "~/models/pickers.server";
import { loader as pickerLoader } from "~/routes/pickers.$kind";
import { createLetter } from "../factories";
import { freshDatabase, tableChecksums } from "../support/database";

let db: Db;
beforeEach(() => {
  db = freshDatabase();
});

const one = <T>(query: ReturnType<typeof sql>) => db.get<T>(query);
const all = <T>(query: ReturnType<typeof sql>) => db.all<T>(query);
const revision = () => one<{ revision: number }>(sql`SELECT revision FROM data_revision WHERE id = 1`)!.revision;
const memberBySlug = (slug: string) =>
  one<{ id: number; name: string; bioguide_id: string | null; district: number | null }>(sql`SELECT id, name, bioguide_id, district FROM members WHERE slug = ${slug}`);
const agencyByName = (name: string) =>
  one<{ id: number; slug: string; directory_slug: string | null; parent: string | null; source: string }>(
    sql`SELECT a.id, a.slug, a.directory_slug, p.name AS parent, a.source FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id WHERE a.name = ${name}`,
  );

describe("a fresh install", () => {
  it("loads every member, committee (with subcommittees and roles) and agency of the shipped snapshot", () => {
    const { roster, directory } = readReferenceSnapshot();
    const result = loadReferenceFiles({ db });
    expect(result.members).toEqual({ created: roster.members.length, linked: 0, updated: 0 });
    expect(result.agencies.created).toBe(directory.agencies.length);
    expect(roster.members.length).toBeGreaterThan(500);
    const raskin = one<{ name: string; party: string; state: string; chamber: string; district: number; terms: number }>(
      sql`SELECT name, party, state, chamber, district, (SELECT COUNT(*) FROM member_terms t WHERE t.member_id = m.id) AS terms FROM members m WHERE bioguide_id = 'R000606'`,
    );
    expect(raskin).toMatchObject({ name: "Jamie Raskin", party: "D", state: "MD", chamber: "House", district: 8 });
    expect(raskin!.terms).toBeGreaterThanOrEqual(5);
    expect(
      all(sql`SELECT c.name AS committee, r.side, r.title FROM committee_roles r JOIN committees c ON c.id = r.committee_id JOIN members m ON m.id = r.member_id
        WHERE m.bioguide_id = 'R000606' AND c.parent_id IS NULL`),
    ).toEqual([{ committee: "House Committee on the Judiciary", side: "minority", title: "Ranking Member" }]);
    expect(
      one(sql`SELECT p.thomas_id AS parent FROM committees c JOIN committees p ON p.id = c.parent_id WHERE c.thomas_id = 'HSJU10'`),
    ).toEqual({ parent: "HSJU" });
    expect(agencyByName("U.S. Immigration and Customs Enforcement")).toMatchObject({ parent: "U.S. Department of Homeland Security", source: "supplement" });
    expect(agencyByName("Internal Revenue Service")).toMatchObject({ parent: "U.S. Department of the Treasury", source: "ecfr" });
    expect(referenceDataLoaded(db)).toBe(true);
  });

  it("first-run seeding loads the roster before the demo letters, whose senders and recipients are the canonical ones", () => {
    expect(seedDemoDataIfEmpty({ db })).toBe(true);
    // Every demo sender is a serving member: none was created beside the roster.
    const { roster, directory } = readReferenceSnapshot();
    expect(one<{ n: number }>(sql`SELECT COUNT(*) AS n FROM members`)!.n).toBe(roster.members.length);
    expect(one<{ n: number }>(sql`SELECT COUNT(*) AS n FROM members WHERE bioguide_id IS NULL`)!.n).toBe(0);
    expect(one<{ n: number }>(sql`SELECT COUNT(*) AS n FROM agencies`)!.n).toBe(directory.agencies.length);
    const senders = all<{ name: string }>(sql`SELECT DISTINCT m.name FROM letter_senders s JOIN members m ON m.id = s.member_id ORDER BY m.name`).map((row) => row.name);
    expect(senders).toEqual(expect.arrayContaining(["Gregory W. Meeks", "Richard J. Durbin", "Bernard Sanders", "Edward J. Markey"]));
    const agencies = all<{ name: string }>(sql`SELECT DISTINCT a.name FROM letter_recipients r JOIN agencies a ON a.id = r.agency_id ORDER BY a.name`).map((row) => row.name);
    expect(agencies).toEqual([
      "Federal Bureau of Investigation",
      "U.S. Department of Homeland Security",
      "U.S. Department of Justice",
      "U.S. Department of State",
      "U.S. Department of the Treasury",
      "U.S. Immigration and Customs Enforcement",
      "U.S. Secret Service",
    ]);
  });

  it("GET /pickers/members?q=rask finds Jamie Raskin (D-MD) with his district, and agencies show their department", async () => {
    loadReferenceFiles({ db });
    const get = async (kind: string, q: string) =>
      (await (
        (await pickerLoader({ request: new Request(`http://tracker.test/pickers/${kind}?q=${encodeURIComponent(q)}`), params: { kind }, context: {} })) as Response
      ).json()) as { data: Array<{ value: string; label: string; hint: string | null }> };
    expect((await get("members", "rask")).data).toEqual([{ value: "jamie-raskin", label: "Jamie Raskin (D-MD)", hint: "House, MD-8" }]);
    expect((await get("members", "durbin")).data).toEqual([{ value: "richard-j-durbin", label: "Richard J. Durbin (D-IL)", hint: "Senate" }]);
    expect((await get("members", "dusty johnson")).data).toEqual([{ value: "dusty-johnson", label: "Dusty Johnson (R-SD)", hint: "House, SD at large" }]);
    // Other names are searchable: a nickname, an acronym, an alias.
    expect((await get("members", "dick durb")).data.map((item) => item.label)).toEqual(["Richard J. Durbin (D-IL)"]);
    expect((await get("agencies", "ice")).data).toContainEqual({
      value: "u-s-immigration-and-customs-enforcement",
      label: "U.S. Immigration and Customs Enforcement",
      hint: "ICE; part of U.S. Department of Homeland Security",
    });
    expect((await get("agencies", "doge")).data.map((item) => item.label)).toEqual(["U.S. DOGE Service"]);
    expect((await get("committees", "judiciary constitution")).data.map((item) => item.label)).toContain(
      "House Committee on the Judiciary Subcommittee on the Constitution and Limited Government",
    );
  });

  it("a typed name without JavaScript: an alias or name variant resolves; an ambiguous name lists the choices", () => {
    loadReferenceFiles({ db });
    expect(resolvePick("agencies", "Homeland Security")).toMatchObject({ ok: true, item: { label: "U.S. Department of Homeland Security" } });
    expect(resolvePick("agencies", "Department of Treasury")).toMatchObject({ ok: true, item: { label: "U.S. Department of the Treasury" } });
    expect(resolvePick("members", "Dick Durbin")).toMatchObject({ ok: true, item: { label: "Richard J. Durbin (D-IL)" } });
    const johnson = resolvePick("members", "Johnson");
    expect(johnson).toMatchObject({ ok: false });
    if (johnson && !johnson.ok) {
      expect(johnson.matches.map((item) => item.label)).toEqual(expect.arrayContaining(["Mike Johnson (R-LA)", "Ron Johnson (R-WI)"]));
    }
  });
});

describe("a tracker that already has letters", () => {
  it("links the demo letters' members and agencies to the canonical ones without duplicates, keeping ids and slugs", () => {
    seedFromFile({ db, file: DEMO_SEED_FILE });
    const meeks = memberBySlug("gregory-meeks")!;
    const dhs = agencyByName("U.S. Department of Homeland Security")!;
    const ice = agencyByName("U.S. Immigration and Customs Enforcement")!;
    const membersBefore = one<{ n: number }>(sql`SELECT COUNT(*) AS n FROM members`)!.n;
    const result = loadReferenceFiles({ db });
    expect(result.members.linked).toBe(membersBefore);

    expect(memberBySlug("gregory-meeks")).toEqual({ id: meeks.id, name: "Gregory W. Meeks", bioguide_id: "M001137", district: 5 });
    expect(one<{ n: number }>(sql`SELECT COUNT(*) AS n FROM members WHERE name LIKE '%Meeks' AND state = 'NY'`)!.n).toBe(1);
    expect(agencyByName("U.S. Department of Homeland Security")).toMatchObject({ id: dhs.id, slug: dhs.slug, directory_slug: "homeland-security-department" });
    expect(agencyByName("U.S. Immigration and Customs Enforcement")).toMatchObject({ id: ice.id, parent: "U.S. Department of Homeland Security" });
    expect(one<{ n: number }>(sql`SELECT COUNT(*) AS n FROM agencies WHERE name IN ('Department of Homeland Security', 'U.S. Department of Homeland Security')`)!.n).toBe(1);
    // Old names still find them: typed in a form, or in the next import.
    expect(resolvePick("members", "Gregory Meeks")).toMatchObject({ ok: true, item: { value: "gregory-meeks" } });
    expect(resolvePick("agencies", "U.S. Department of Homeland Security")).toMatchObject({ ok: true, item: { value: dhs.slug } });
    const letter = createLetter(db, {
      senders: [{ name: "Gregory Meeks", party: "D", state: "NY", role: null }],
      recipients: [{ name: "Kristi Noem", title: "Secretary", agency: "U.S. Department of Homeland Security" }],
    });
    expect(all(sql`SELECT member_id AS id FROM letter_senders WHERE letter_id = ${letter.id}`)).toEqual([{ id: meeks.id }]);
    expect(all(sql`SELECT agency_id AS id FROM letter_recipients WHERE letter_id = ${letter.id}`)).toEqual([{ id: dhs.id }]);
  });

  it("a second run with the same snapshot writes nothing", () => {
    seedFromFile({ db, file: DEMO_SEED_FILE });
    loadReferenceFiles({ db });
    const before = tableChecksums(db.$client);
    const revisionBefore = revision();
    expect(loadReferenceFiles({ db })).toEqual({
      members: { created: 0, linked: 0, updated: 0 },
      committees: { created: 0, linked: 0, updated: 0 },
      agencies: { created: 0, linked: 0, updated: 0 },
    });
    expect(revision()).toBe(revisionBefore);
    expect(tableChecksums(db.$client)).toEqual(before);
  });

  it("a run after upstream changes updates names, terms and committee roles", () => {
    const { roster, directory } = readReferenceSnapshot();
    loadReferenceData({ db, roster, directory });
    const raskin = roster.members.find((member) => member.bioguide === "R000606")!;
    const changed = {
      ...roster,
      members: roster.members.map((member) =>
        member === raskin
          ? { ...member, name: "Jamin B. Raskin", names: ["Jamin B. Raskin", ...member.names], terms: [...member.terms, { ...member.terms.at(-1)!, start: "2027-01-03", end: "2029-01-03" }] }
          : member,
      ),
      roles: roster.roles.filter((role) => !(role.bioguide === "R000606" && role.committee === "HSJU")),
    };
    const result = loadReferenceData({ db, roster: changed, directory });
    expect(result.members).toEqual({ created: 0, linked: 0, updated: 1 });
    const row = one<{ id: number; name: string; slug: string }>(sql`SELECT id, name, slug FROM members WHERE bioguide_id = 'R000606'`)!;
    expect(row).toMatchObject({ name: "Jamin B. Raskin", slug: "jamie-raskin" });
    expect(one(sql`SELECT COUNT(*) AS n FROM member_terms WHERE member_id = ${row.id}`)).toEqual({ n: raskin.terms.length + 1 });
    expect(one(sql`SELECT COUNT(*) AS n FROM committee_roles r JOIN committees c ON c.id = r.committee_id WHERE r.member_id = ${row.id} AND c.thomas_id = 'HSJU'`)).toEqual({ n: 0 });
    // The old name still finds him.
    expect(resolvePick("members", "Jamie Raskin")).toMatchObject({ ok: true, item: { value: "jamie-raskin" } });
  });

  it("a member who left Congress keeps working: not linked, still picked and reused by name", () => {
    createLetter(db, { senders: [{ name: "Patrick Leahy", party: "D", state: "VT", role: "Senator" }] });
    const leahy = memberBySlug("patrick-leahy")!;
    loadReferenceFiles({ db });
    expect(memberBySlug("patrick-leahy")).toEqual({ ...leahy, bioguide_id: null, district: null });
    expect(searchPicker("members", "leahy").items).toEqual([{ value: "patrick-leahy", label: "Patrick Leahy (D-VT)", hint: "Senate" }]);
    const next = createLetter(db, { senders: [{ name: "Patrick Leahy", party: "D", state: "VT", role: "Senator" }] });
    expect(all(sql`SELECT member_id AS id FROM letter_senders WHERE letter_id = ${next.id}`)).toEqual([{ id: leahy.id }]);
    expect(one(sql`SELECT COUNT(*) AS n FROM members WHERE name = 'Patrick Leahy'`)).toEqual({ n: 1 });
  });

  it("an agency named by its acronym links to the canonical one, before and after the directory is loaded", () => {
    // Before: a typed agency "FBI" becomes the directory's Federal Bureau of Investigation.
    const before = createLetter(db, { recipients: [{ name: "Kash Patel", title: "Director", agency: "FBI" }] });
    const typed = agencyByName("FBI")!;
    loadReferenceFiles({ db });
    expect(agencyByName("Federal Bureau of Investigation")).toMatchObject({ id: typed.id, directory_slug: "federal-bureau-of-investigation", parent: "U.S. Department of Justice" });
    expect(agencyByName("FBI")).toBeUndefined();
    // After: a letter to "DHS" goes to the U.S. Department of Homeland Security, not a new agency.
    const dhs = agencyByName("U.S. Department of Homeland Security")!;
    const count = one<{ n: number }>(sql`SELECT COUNT(*) AS n FROM agencies`)!.n;
    const after = createLetter(db, { recipients: [{ name: "Kristi Noem", title: "Secretary", agency: "DHS" }] });
    expect(all(sql`SELECT agency_id AS id FROM letter_recipients WHERE letter_id = ${after.id}`)).toEqual([{ id: dhs.id }]);
    expect(all(sql`SELECT agency_id AS id FROM letter_recipients WHERE letter_id = ${before.id}`)).toEqual([{ id: typed.id }]);
    expect(one<{ n: number }>(sql`SELECT COUNT(*) AS n FROM agencies`)!.n).toBe(count);
  });
});

describe("matching proposed signers and recipients (app/models/identity.server.ts)", () => {
  it("gives picker items for the members, agencies and officials meant, with alternatives when ambiguous", async () => {
    const { matchRecipients, matchSigners } = await import("~/models/identity.server");
    seedDemoDataIfEmpty({ db });
    const signers = matchSigners([
      { name: "Rep. Raskin", title: "Ranking Member" },
      { name: "Sen. Durbin" },
      { name: "Johnson" },
      { name: "Patrick Leahy" },
    ]);
    expect(signers.map((signer) => signer.match)).toEqual([
      { value: "jamie-raskin", label: "Jamie Raskin (D-MD)", hint: "House, MD-8" },
      { value: "richard-j-durbin", label: "Richard J. Durbin (D-IL)", hint: "Senate" },
      null,
      null,
    ]);
    expect(signers[0]!.confidence).toBeGreaterThanOrEqual(0.8);
    expect(signers[2]!.alternatives.map((item) => item.label)).toEqual(expect.arrayContaining(["Mike Johnson (R-LA)", "Ron Johnson (R-WI)"]));

    const [noem, wray, lyons] = matchRecipients([
      { name: "The Honorable Kristi Noem, Secretary, U.S. Department of Homeland Security" },
      { name: "Dear Director Wray", title: null, agencyName: "Federal Bureau of Investigation" },
      { name: "Todd Lyons", title: "Acting Director", agencyName: "ICE" },
    ]);
    expect(noem).toMatchObject({
      personName: "Kristi Noem",
      title: "Secretary",
      agency: { label: "U.S. Department of Homeland Security" },
      parent: null,
      official: { label: "Kristi Noem, Secretary of Homeland Security (U.S. Department of Homeland Security)" },
    });
    expect(wray).toMatchObject({ agency: { label: "Federal Bureau of Investigation" }, parent: { label: "U.S. Department of Justice" }, official: { label: expect.stringMatching(/^Christopher Wray, Director/) } });
    expect(lyons).toMatchObject({ agency: { value: "u-s-immigration-and-customs-enforcement" }, parent: { label: "U.S. Department of Homeland Security" }, official: { label: expect.stringMatching(/^Todd Lyons/) } });
  });
});

describe("member and agency pages show the canonical data", () => {
  it("a member's seat and committee roles; a component's department and a department's components", async () => {
    const { getMember } = await import("~/models/members.server");
    const { getAgencyScorecard } = await import("~/models/agencies.server");
    seedDemoDataIfEmpty({ db });
    const raskin = getMember({ slug: "jamie-raskin" })!;
    expect(raskin).toMatchObject({ bioguideId: "R000606", district: 8, chamber: "House" });
    expect(raskin.committees[0]).toEqual({ slug: "house-committee-on-the-judiciary", name: "House Committee on the Judiciary", side: "minority", title: "Ranking Member", subcommittee: false });
    const ice = getAgencyScorecard({ slug: "u-s-immigration-and-customs-enforcement", asOf: "2025-12-01" })!;
    expect(ice.agency.parent).toEqual({ slug: "u-s-department-of-homeland-security", name: "U.S. Department of Homeland Security" });
    const dhs = getAgencyScorecard({ slug: "u-s-department-of-homeland-security", asOf: "2025-12-01" })!;
    expect(dhs.agency.parent).toBeNull();
    expect(dhs.components.map((component) => component.name)).toEqual(expect.arrayContaining(["U.S. Immigration and Customs Enforcement", "U.S. Secret Service"]));
  });

  it("a member the roster lacks shows no roster facts", async () => {
    const { getMember } = await import("~/models/members.server");
    createLetter(db, { senders: [{ name: "Patrick Leahy", party: "D", state: "VT", role: "Senator" }] });
    loadReferenceFiles({ db });
    expect(getMember({ slug: "patrick-leahy" })).toMatchObject({ bioguideId: null, district: null, committees: [] });
  });
});

describe("an ambiguous typed name without JavaScript", () => {
  it("is named next to the field with each match as a link that picks it", async () => {
    const { resolveSelectionPicks } = await import("~/models/pickers.server");
    const { loader } = await import("~/routes/letters._index");
    const { getRequest, run } = await import("../support/requests");
    loadReferenceFiles({ db });
    const { picks } = resolveSelectionPicks(new URLSearchParams("member=Johnson&status=overdue&page=2"));
    expect(picks.member!.error).toMatch(/^Member: "Johnson" matches \d+ members \(/);
    expect(picks.member!.choices).toContainEqual({ label: "Mike Johnson (R-LA)", hint: "House, LA-4", search: "?member=mike-johnson&status=overdue" });
    expect(picks.member!.choices).toContainEqual({ label: "Ron Johnson (R-WI)", hint: "Senate", search: "?member=ron-johnson&status=overdue" });
    // The page itself: no redirect, the choices in its data.
    const page = await run(loader, getRequest("/letters?member=Johnson"));
    expect(page.status).toBe(200);
    expect((page.data as { picks: typeof picks }).picks.member!.choices!.length).toBeGreaterThan(2);
    // One match needs no choice.
    expect(resolveSelectionPicks(new URLSearchParams("member=Raskin")).picks.member).toEqual({ value: "jamie-raskin", text: "Jamie Raskin (D-MD)", error: null });
  });
});

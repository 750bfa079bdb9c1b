/**
 * Matching signers to members and recipients to agencies and officials (app/domain/identity-match.ts),
 * and building the reference snapshot (app/domain/roster.ts), on small hand-made slices.
 */
import { describe, expect, it } from "vitest";
import {
  agencyKey,
  matchRecipient,
  matchSigner,
  memberNameVariants,
  nameKey,
  parseRecipient,
  type AgencyCandidate,
  type MemberCandidate,
  type MemberNameParts,
  type OfficialCandidate,
} from "~/domain/identity-match";
import { buildDirectory, buildRoster, partyCode, subcommitteeName } from "~/domain/roster";
import type { MemberChamber } from "~/domain/vocabulary";

function member(
  value: string,
  parts: MemberNameParts,
  { party, state, chamber, titles = [] }: { party: string; state: string; chamber: MemberChamber; titles?: string[] },
): MemberCandidate {
  const names = memberNameVariants(parts);
  return { value, name: names[0]!, party, state, chamber, lastKey: nameKey(parts.last), keys: names.map(nameKey), titles };
}

const ROSTER: MemberCandidate[] = [
  member("jamie-raskin", { first: "Jamie", last: "Raskin", officialFull: "Jamie Raskin" }, { party: "D", state: "MD", chamber: "House", titles: ["Ranking Member"] }),
  member("richard-j-durbin", { first: "Richard", middle: "J.", last: "Durbin", officialFull: "Richard J. Durbin" }, { party: "D", state: "IL", chamber: "Senate", titles: ["Ranking Member"] }),
  member("james-comer", { first: "James", last: "Comer", officialFull: "James Comer" }, { party: "R", state: "KY", chamber: "House", titles: ["Chairman"] }),
  member("chris-van-hollen", { first: "Chris", last: "Van Hollen", officialFull: "Chris Van Hollen" }, { party: "D", state: "MD", chamber: "Senate" }),
  member("mike-johnson", { first: "Mike", last: "Johnson", officialFull: "Mike Johnson" }, { party: "R", state: "LA", chamber: "House" }),
  member("ron-johnson", { first: "Ron", last: "Johnson", officialFull: "Ron Johnson" }, { party: "R", state: "WI", chamber: "Senate", titles: ["Chairman"] }),
  member("henry-c-hank-johnson-jr", { first: "Henry", middle: "C.", last: "Johnson", suffix: "Jr.", nickname: "Hank", officialFull: 'Henry C. "Hank" Johnson, Jr.' }, { party: "D", state: "GA", chamber: "House" }),
  member("gregory-w-meeks", { first: "Gregory", middle: "W.", last: "Meeks", officialFull: "Gregory W. Meeks" }, { party: "D", state: "NY", chamber: "House", titles: ["Ranking Member"] }),
  member("mariannette-miller-meeks", { first: "Mariannette", last: "Miller-Meeks", officialFull: "Mariannette Miller-Meeks" }, { party: "R", state: "IA", chamber: "House" }),
];

describe("signers", () => {
  it.each([
    // name, title, expected slug (null: no single match), minimum confidence
    ["Jamie Raskin", "Ranking Member", "jamie-raskin", 0.95],
    ["Rep. Raskin", null, "jamie-raskin", 0.8],
    ["RASKIN, Jamie", null, "jamie-raskin", 0.95],
    ["Sen. Durbin", null, "richard-j-durbin", 0.8],
    ["Dick Durbin", "Democratic Whip", "richard-j-durbin", 0.95],
    ["Senator Richard J. Durbin", null, "richard-j-durbin", 0.95],
    ["Chairman Comer", null, "james-comer", 0.8],
    ["Sen. Van Hollen", null, "chris-van-hollen", 0.8],
    ["Gregory Meeks", null, "gregory-w-meeks", 0.95],
    ["Greg Meeks (D-NY)", null, "gregory-w-meeks", 0.95],
    ["Rep. Meeks", null, "gregory-w-meeks", 0.8],
    ["Hank Johnson", null, "henry-c-hank-johnson-jr", 0.95],
    ["Henry C. Johnson, Jr.", null, "henry-c-hank-johnson-jr", 0.95],
    ["Michael Johnson", "Speaker of the House", "mike-johnson", 0.95],
    ["Sen. Johnson", null, "ron-johnson", 0.8],
    ["Johnson", "Chairman, Senate Homeland Security", "ron-johnson", 0.8],
    ["M. Johnson", "Representative", "mike-johnson", 0.7],
  ] as const)("%s (%s) -> %s", (name, title, slug, confidence) => {
    const result = matchSigner({ name, title }, ROSTER);
    expect(result.match?.value ?? null).toBe(slug);
    expect(result.confidence).toBeGreaterThanOrEqual(confidence);
    expect(result.alternatives).toEqual([]);
  });

  it.each([
    // Ambiguous: several candidates, none chosen.
    ["Johnson", null, ["henry-c-hank-johnson-jr", "mike-johnson", "ron-johnson"]],
    ["Rep. Johnson", null, ["henry-c-hank-johnson-jr", "mike-johnson"]],
  ] as const)("%s (%s) is ambiguous", (name, title, slugs) => {
    const result = matchSigner({ name, title }, ROSTER);
    expect(result.match).toBeNull();
    expect(result.confidence).toBe(0);
    expect(result.alternatives.map((candidate) => candidate.value).sort()).toEqual([...slugs].sort());
  });

  it.each([["Patrick Leahy"], ["Senator Leahy"], [""], ["The Honorable"]])("%s matches no one", (name) => {
    expect(matchSigner({ name }, ROSTER)).toEqual({ match: null, confidence: 0, alternatives: [] });
  });
});

const agency = (value: string, name: string, acronym: string | null, parent: string | null, aliases: string[] = []): AgencyCandidate => ({
  value,
  name,
  acronym,
  parent,
  keys: [...new Set([name, ...(acronym ? [acronym] : []), ...aliases].map(agencyKey))],
});
const AGENCIES: AgencyCandidate[] = [
  agency("dhs", "Department of Homeland Security", "DHS", null, ["Homeland Security", "Secretary of Homeland Security"]),
  agency("ice", "U.S. Immigration and Customs Enforcement", "ICE", "dhs", ["Immigration and Customs Enforcement"]),
  agency("doj", "Department of Justice", "DOJ", null, ["Attorney General", "Justice"]),
  agency("fbi", "Federal Bureau of Investigation", "FBI", "doj"),
  agency("treasury", "Department of the Treasury", "TREAS", null, ["Treasury"]),
  agency("state", "Department of State", "DOS", null, ["State"]),
];
const OFFICIALS: OfficialCandidate[] = [
  { value: "1", name: "Kristi Noem", title: "Secretary of Homeland Security", agency: "dhs" },
  { value: "2", name: "Kash Patel", title: "Director", agency: "fbi" },
  { value: "3", name: "Pam Bondi", title: "Attorney General", agency: "doj" },
  { value: "4", name: "Todd Lyons", title: "Acting Director", agency: "ice" },
];

describe("recipients", () => {
  it.each([
    // proposal, agency, parent, official
    [{ name: "The Honorable Kristi Noem, Secretary, U.S. Department of Homeland Security" }, "dhs", null, "1"],
    [{ name: "Kristi Noem", title: "Secretary", agencyName: "U.S. Department of Homeland Security" }, "dhs", null, "1"],
    [{ name: "Dear Director Patel" }, "fbi", "doj", "2"],
    [{ name: "Director Patel", agencyName: "FBI" }, "fbi", "doj", "2"],
    [{ name: "Todd M. Lyons", title: "Acting Director", agencyName: "Immigration and Customs Enforcement" }, "ice", "dhs", "4"],
    [{ name: "The Honorable Pamela Bondi", title: "Attorney General" }, "doj", null, "3"],
    [{ name: "Scott Bessent", title: "Secretary of the Treasury" }, "treasury", null, null],
    [{ name: "Marco Rubio", title: "Secretary of State" }, "state", null, null],
    [{ name: "Jane Doe", title: "Director", agencyName: "Office of Nowhere" }, null, null, null],
  ] as const)("%o", (proposal, agencyValue, parentValue, officialValue) => {
    const result = matchRecipient(proposal, AGENCIES, OFFICIALS);
    expect(result.agency.match?.value ?? null).toBe(agencyValue);
    expect(result.parent?.value ?? null).toBe(parentValue);
    expect(result.official.match?.value ?? null).toBe(officialValue);
  });

  it("reads person, title and agency from one line or from fields", () => {
    expect(parseRecipient({ name: "The Honorable Kristi Noem, Secretary, U.S. Department of Homeland Security" })).toEqual({
      person: "Kristi Noem",
      title: "Secretary",
      agencyName: "U.S. Department of Homeland Security",
    });
    expect(parseRecipient({ name: "Dear Director Patel" })).toEqual({ person: "Patel", title: "Director", agencyName: null });
    expect(parseRecipient({ name: "Mr. Todd M. Lyons", title: "Acting Director", agencyName: "ICE" })).toEqual({ person: "Todd M. Lyons", title: "Acting Director", agencyName: "ICE" });
  });

  it("an agency key ignores case, punctuation, 'the' and a leading U.S.", () => {
    expect(agencyKey("U.S. Department of the Treasury")).toBe(agencyKey("Department of Treasury"));
    expect(agencyKey("United States Secret Service")).toBe(agencyKey("Secret Service"));
    expect(agencyKey("Bureau of Alcohol, Tobacco, Firearms & Explosives")).toBe("bureau of alcohol tobacco firearms and explosives");
  });
});

describe("name variants", () => {
  it.each([
    [{ first: "Richard", middle: "J.", last: "Durbin", officialFull: "Richard J. Durbin" }, ["Richard J. Durbin", "Richard Durbin", "Dick Durbin"]],
    [{ first: "Henry", middle: "C.", last: "Johnson", suffix: "Jr.", nickname: "Hank", officialFull: 'Henry C. "Hank" Johnson, Jr.' }, ["Henry C. Hank Johnson, Jr.", "Hank Johnson", "Henry Johnson Jr."]],
    [{ first: "Mike", last: "Johnson", officialFull: "Mike Johnson" }, ["Mike Johnson", "Michael Johnson"]],
    [{ first: "Julie", middle: "Elizabeth", last: "Johnson" }, ["Julie Johnson", "Julie Elizabeth Johnson", "Julie E. Johnson"]],
  ])("%o", (parts, expected) => {
    const variants = memberNameVariants(parts);
    expect(variants).toEqual(expect.arrayContaining(expected));
    expect(variants[0]).toBe(expected[0]);
    expect(new Set(variants.map(nameKey)).size).toBe(variants.length);
  });
});

describe("building the snapshot", () => {
  it.each([
    ["Democrat", "D"],
    ["Republican", "R"],
    ["Independent", "I"],
    ["Libertarian", "I"],
  ] as const)("party %s -> %s", (party, code) => expect(partyCode(party)).toBe(code));

  it("builds members, committees with subcommittees, and roles from the upstream shapes", () => {
    const roster = buildRoster({
      source: "test",
      legislators: [
        {
          id: { bioguide: "R000606" },
          name: { first: "Jamie", last: "Raskin", official_full: "Jamie Raskin" },
          terms: [
            { type: "rep", start: "2017-01-03", end: "2019-01-03", state: "MD", district: 8, party: "Democrat" },
            { type: "rep", start: "2025-01-03", end: "2027-01-03", state: "MD", district: 8, party: "Democrat" },
          ],
        },
      ],
      committees: [{ type: "house", name: "House Committee on the Judiciary", thomas_id: "HSJU", subcommittees: [{ name: "The Constitution and Limited Government", thomas_id: "10" }] }],
      membership: {
        HSJU: [{ name: "Jamie Raskin", party: "minority", rank: 1, title: "Ranking Member", bioguide: "R000606" }],
        HSJU10: [{ name: "Someone Gone", party: "majority", rank: 1, bioguide: "X000001" }],
      },
    });
    expect(roster.members).toEqual([
      expect.objectContaining({ bioguide: "R000606", name: "Jamie Raskin", party: "D", state: "MD", chamber: "House", district: 8 }),
    ]);
    expect(roster.members[0]!.terms).toHaveLength(2);
    expect(roster.committees).toEqual([
      { thomasId: "HSJU", name: "House Committee on the Judiciary", chamber: "House", parent: null },
      { thomasId: "HSJU10", name: "House Committee on the Judiciary Subcommittee on the Constitution and Limited Government", chamber: "House", parent: "HSJU" },
    ]);
    // A seat of someone not in the roster is left out.
    expect(roster.roles).toEqual([{ committee: "HSJU", bioguide: "R000606", side: "minority", rank: 1, title: "Ranking Member" }]);
    expect(subcommitteeName("Senate Committee on Finance", "Subcommittee on Taxation")).toBe("Senate Committee on Finance Subcommittee on Taxation");
  });

  it("names the file and field of upstream data in the wrong shape", () => {
    expect(() => buildRoster({ source: "t", legislators: [{ id: {}, name: {}, terms: [] }], committees: [], membership: {} })).toThrowError(
      /legislators-current\.yaml is not in the expected shape:\n\[0\]\.id\.bioguide: /,
    );
  });

  it("builds the directory: parents, overrides, supplement, and aliases that name one agency only", () => {
    const directory = buildDirectory({
      source: "test",
      ecfr: {
        agencies: [
          {
            name: "Department of Homeland Security",
            short_name: "DHS",
            slug: "homeland-security-department",
            children: [
              { name: "Secret Service", short_name: "USSS", slug: "secret-service" },
              { name: "Fiscal Office", short_name: "FS", slug: "fiscal-a" },
            ],
          },
          { name: "Department of Treasury", short_name: "TREAS", slug: "treasury-department", children: [{ name: "Fiscal Service", short_name: "FS", slug: "fiscal-service" }] },
        ],
      },
      supplement: {
        overrides: { "treasury-department": { name: "Department of the Treasury", aliases: ["Treasury"] } },
        agencies: [{ slug: "ice", name: "U.S. Immigration and Customs Enforcement", acronym: "ICE", parent: "homeland-security-department", aliases: ["Immigration and Customs Enforcement"] }],
      },
    });
    const bySlug = new Map(directory.agencies.map((entry) => [entry.slug, entry]));
    expect(bySlug.get("secret-service")).toMatchObject({ parent: "homeland-security-department", source: "ecfr", aliases: ["USSS"] });
    expect(bySlug.get("treasury-department")).toMatchObject({ name: "Department of the Treasury", aliases: expect.arrayContaining(["Treasury", "TREAS"]) });
    expect(bySlug.get("homeland-security-department")!.aliases).toEqual(expect.arrayContaining(["DHS", "Homeland Security", "Homeland Security Department"]));
    expect(bySlug.get("ice")).toMatchObject({ parent: "homeland-security-department", source: "supplement" });
    // "FS" names two agencies: neither gets it.
    expect(bySlug.get("fiscal-a")!.aliases).toEqual([]);
    expect(bySlug.get("fiscal-service")!.aliases).toEqual([]);
  });

  it("refuses a supplement whose parent or override names no agency", () => {
    const ecfr = { agencies: [{ name: "Department of Justice", short_name: "DOJ", slug: "justice-department", children: [] }] };
    expect(() =>
      buildDirectory({ source: "t", ecfr, supplement: { overrides: {}, agencies: [{ slug: "fbi", name: "FBI", acronym: null, parent: "doj", aliases: [] }] } }),
    ).toThrowError(/agency fbi: parent "doj" is not in the directory/);
    expect(() => buildDirectory({ source: "t", ecfr, supplement: { overrides: { nope: { aliases: [] } }, agencies: [] } })).toThrowError(/overrides\.nope: no eCFR agency/);
  });
});

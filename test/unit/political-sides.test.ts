import { describe, expect, it } from "vitest";
import raw from "../../db/reference/political-control.json";
import {
  administrationOn,
  caucusParty,
  chamberControlOn,
  classifyLetter,
  comparePeriods,
  congressOn,
  enoughLetters,
  isChairOrRanking,
  OUTSIDE_TABLE,
  parsePoliticalControl,
  parseSidePeriodKind,
  periodsOf,
  type LetterSides,
  type SenderFacts,
} from "~/domain/political-sides";

const control = parsePoliticalControl(raw);

const sender = (facts: Partial<SenderFacts> & Pick<SenderFacts, "party" | "chamber">): SenderFacts => ({
  bioguide: null,
  role: null,
  committeeTitles: [],
  ...facts,
});
const houseD = sender({ party: "D", chamber: "House" });
const houseR = sender({ party: "R", chamber: "House" });
const senateD = sender({ party: "D", chamber: "Senate" });
const senateR = sender({ party: "R", chamber: "Senate" });
const sanders = sender({ party: "I", chamber: "Senate", bioguide: "S000033" });
const kiley = sender({ party: "I", chamber: "House", bioguide: "K000401" });
const unknownParty = sender({ party: null, chamber: "House" });

describe("the shipped table of political control", () => {
  it("covers the 110th to the 119th Congress and every administration from 2007", () => {
    const numbers = control.congresses.map((congress) => congress.number);
    for (let n = 110; n <= 119; n++) expect(numbers).toContain(n);
    expect(administrationOn(control, "2007-01-03")?.president).toBe("George W. Bush");
    expect(administrationOn(control, "2026-06-30")?.president).toBe("Donald J. Trump");
  });

  it.each([
    { day: "2007-06-01", chamber: "House", party: "D" },
    { day: "2011-01-02", chamber: "House", party: "D" },
    { day: "2011-01-03", chamber: "House", party: "R" },
    { day: "2014-12-31", chamber: "Senate", party: "D" },
    { day: "2015-01-03", chamber: "Senate", party: "R" },
    { day: "2019-01-03", chamber: "House", party: "D" },
    // The 117th Senate: Republican until the Democrats' senators were sworn in on 20 January 2021.
    { day: "2021-01-19", chamber: "Senate", party: "R" },
    { day: "2021-01-20", chamber: "Senate", party: "D" },
    { day: "2023-06-01", chamber: "Senate", party: "D" },
    { day: "2023-06-01", chamber: "House", party: "R" },
    { day: "2025-01-03", chamber: "Senate", party: "R" },
    { day: "2006-12-31", chamber: "Senate", party: null },
  ] as const)("$chamber on $day: $party", ({ day, chamber, party }) => {
    expect(chamberControlOn(control, chamber, day)).toBe(party);
  });

  it.each([
    { day: "2009-01-19", congress: 111, president: "George W. Bush" },
    { day: "2009-01-20", congress: 111, president: "Barack Obama" },
    { day: "2017-01-20", congress: 115, president: "Donald J. Trump" },
    { day: "2021-01-20", congress: 117, president: "Joseph R. Biden Jr." },
    { day: "2025-01-02", congress: 118, president: "Joseph R. Biden Jr." },
    { day: "2025-01-03", congress: 119, president: "Joseph R. Biden Jr." },
  ])("$day is in the $congress th Congress under $president", ({ day, congress, president }) => {
    expect(congressOn(control, day)?.number).toBe(congress);
    expect(administrationOn(control, day)?.president).toBe(president);
  });

  it("refuses a table with a gap, naming the entry", () => {
    const broken = structuredClone(raw) as typeof raw;
    broken.congresses[3]!.start = "2013-02-01";
    expect(() => parsePoliticalControl(broken)).toThrow(/congresses\[3\] \(113th\): must start when the 112th ends/);
    const badDate = structuredClone(raw) as typeof raw;
    badDate.administrations[0]!.start = "20 January 2001";
    expect(() => parsePoliticalControl(badDate)).toThrow(/start/);
  });
});

describe("caucusParty", () => {
  it.each([
    { name: "a Democrat", facts: houseD, day: "2025-03-01", party: "D" },
    { name: "Sanders, an independent caucusing with the Democrats", facts: sanders, day: "2025-03-01", party: "D" },
    { name: "King before he was in the Senate", facts: sender({ party: "I", chamber: "Senate", bioguide: "K000383" }), day: "2012-06-01", party: null },
    { name: "an independent whose caucus the table does not give", facts: kiley, day: "2025-03-01", party: null },
    { name: "an independent the roster does not know", facts: sender({ party: "I", chamber: "House" }), day: "2025-03-01", party: null },
    { name: "no party known", facts: unknownParty, day: "2025-03-01", party: null },
  ] as const)("$name: $party", ({ facts, day, party }) => {
    expect(caucusParty(control, facts, day)).toBe(party);
  });
});

describe("isChairOrRanking", () => {
  it.each([
    ["Ranking Member, House Judiciary", true],
    ["Chairman", true],
    ["Chairwoman of the Committee on Oversight", true],
    ["Chair", true],
    ["Vice Chair", false],
    ["Vice Chairman", false],
    ["Member", false],
    ["", false],
    [null, false],
  ] as const)("%s → %s", (title, expected) => {
    expect(isChairOrRanking(title)).toBe(expected);
  });
});

describe("classifyLetter", () => {
  it.each<{ name: string; sentOn: string; senders: SenderFacts[]; sides: LetterSides }>([
    {
      name: "House Democrats in the Republican 119th under Trump",
      sentOn: "2025-04-17",
      senders: [houseD, houseD],
      sides: { chamber: "minority", administration: "opposite", party: "democrats", leadership: "others" },
    },
    {
      name: "a Republican chair in the 119th under Trump",
      sentOn: "2025-04-17",
      senders: [sender({ party: "R", chamber: "House", role: "Chairman, Committee on Oversight" })],
      sides: { chamber: "majority", administration: "same", party: "republicans", leadership: "leader" },
    },
    {
      name: "a ranking member known from the roster's committee titles",
      sentOn: "2025-04-17",
      senders: [sender({ party: "D", chamber: "House", committeeTitles: ["Ranking Member"] }), houseD],
      sides: { chamber: "minority", administration: "opposite", party: "democrats", leadership: "leader" },
    },
    {
      name: "bipartisan: one Democrat, one Republican",
      sentOn: "2025-04-17",
      senders: [houseD, houseR],
      sides: { chamber: "mixed", administration: "mixed", party: "bipartisan", leadership: "others" },
    },
    {
      name: "an independent caucusing with the Democrats and a Republican: bipartisan",
      sentOn: "2025-04-17",
      senders: [sanders, senateR],
      sides: { chamber: "mixed", administration: "mixed", party: "bipartisan", leadership: "others" },
    },
    {
      name: "senators of the 118th (Democratic Senate) under Biden, with Sanders",
      sentOn: "2023-05-01",
      senders: [senateD, sanders],
      sides: { chamber: "majority", administration: "same", party: "democrats", leadership: "others" },
    },
    {
      name: "senders from both chambers: each judged in their own (118th: Republican House, Democratic Senate)",
      sentOn: "2023-05-01",
      senders: [houseD, senateD],
      sides: { chamber: "mixed", administration: "same", party: "democrats", leadership: "others" },
    },
    {
      name: "senders from both chambers, both in their chamber's majority",
      sentOn: "2023-05-01",
      senders: [houseR, senateD],
      sides: { chamber: "majority", administration: "mixed", party: "bipartisan", leadership: "others" },
    },
    {
      name: "a Senate Democrat on the day control changed (2021-01-20): the new majority, the new administration",
      sentOn: "2021-01-20",
      senders: [senateD],
      sides: { chamber: "majority", administration: "same", party: "democrats", leadership: "others" },
    },
    {
      name: "a Senate Democrat the day before control changed",
      sentOn: "2021-01-19",
      senders: [senateD],
      sides: { chamber: "minority", administration: "opposite", party: "democrats", leadership: "others" },
    },
    {
      name: "an independent of unknown caucus alone: unknown, not guessed",
      sentOn: "2025-04-17",
      senders: [kiley],
      sides: { chamber: "unknown", administration: "unknown", party: "unknown", leadership: "others" },
    },
    {
      name: "a Democrat with a sender of unknown party: unknown (the other might be either)",
      sentOn: "2025-04-17",
      senders: [houseD, unknownParty],
      sides: { chamber: "unknown", administration: "unknown", party: "unknown", leadership: "others" },
    },
    {
      name: "a Democrat and a Republican with a sender of unknown party: both sides whatever the third was",
      sentOn: "2025-04-17",
      senders: [houseD, houseR, unknownParty],
      sides: { chamber: "mixed", administration: "mixed", party: "bipartisan", leadership: "others" },
    },
    {
      name: "a sender with no chamber known: the chamber side unknown, the rest known",
      sentOn: "2025-04-17",
      senders: [sender({ party: "D", chamber: null })],
      sides: { chamber: "unknown", administration: "opposite", party: "democrats", leadership: "others" },
    },
    {
      name: "no senders at all",
      sentOn: "2025-04-17",
      senders: [],
      sides: { chamber: "unknown", administration: "unknown", party: "unknown", leadership: "unknown" },
    },
    {
      name: "sent before the table begins",
      sentOn: "1999-05-01",
      senders: [houseD],
      sides: { chamber: "unknown", administration: "unknown", party: "democrats", leadership: "others" },
    },
  ])("$name", ({ sentOn, senders, sides }) => {
    expect(classifyLetter(control, sentOn, senders)).toEqual(sides);
  });
});

describe("periods", () => {
  it.each([
    { day: "2025-04-17", congress: "119th Congress (2025–2027)", administration: "Donald J. Trump (R, 2025–2029)" },
    { day: "2021-01-20", congress: "117th Congress (2021–2023)", administration: "Joseph R. Biden Jr. (D, 2021–2025)" },
    { day: "2011-03-01", congress: "112th Congress (2011–2013)", administration: "Barack Obama (D, 2009–2017)" },
    { day: "1999-05-01", congress: OUTSIDE_TABLE.label, administration: OUTSIDE_TABLE.label },
  ])("$day", ({ day, congress, administration }) => {
    const periods = periodsOf(control, day);
    expect(periods.congress.label).toBe(congress);
    expect(periods.administration.label).toBe(administration);
  });

  it("orders newest first and outside the table last", () => {
    const keys = [periodsOf(control, "1999-01-01"), periodsOf(control, "2011-03-01"), periodsOf(control, "2025-03-01")]
      .map((p) => p.congress)
      .sort(comparePeriods)
      .map((p) => p.key);
    expect(keys).toEqual(["119", "112", "other"]);
  });

  it.each([
    { query: "", by: "congress", problem: null },
    { query: "by=administration", by: "administration", problem: null },
    { query: "by=year", by: "congress", problem: 'by: "year" is not one of congress, administration' },
    { query: "by=congress&by=administration", by: "congress", problem: "by: give it once (it was given 2 times)" },
  ])("by from '$query'", ({ query, by, problem }) => {
    expect(parseSidePeriodKind(new URLSearchParams(query))).toEqual({ by, problem });
  });

  it.each([
    [4, false],
    [5, true],
  ])("%i letters are enough to rate: %s", (n, expected) => {
    expect(enoughLetters(n)).toBe(expected);
  });
});

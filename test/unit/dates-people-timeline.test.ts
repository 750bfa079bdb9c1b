import { describe, expect, it } from "vitest";
import { daysBetween, formatDate, isCalendarDate } from "~/domain/dates";
import { inferCommitteeChamber, inferMemberChamber, isNoCommittee } from "~/domain/people";
import { slugify } from "~/domain/slug";
import { buildTimeline } from "~/domain/timeline";

describe("calendar dates", () => {
  it.each([
    ["2025-04-17", true],
    ["2024-02-29", true],
    ["2025-02-29", false],
    ["2025-13-01", false],
    ["2025-4-17", false],
    ["17/04/2025", false],
    ["", false],
  ])("isCalendarDate(%j) is %s", (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it("counts calendar days, negative backwards", () => {
    expect(daysBetween("2025-04-17", "2025-07-17")).toBe(91);
    expect(daysBetween("2025-07-17", "2025-04-17")).toBe(-91);
    expect(formatDate("2025-04-17")).toBe("17 Apr 2025");
  });
});

describe("people and committees", () => {
  it.each([
    ["Senator; member, Senate Foreign Relations Committee", "Joint", "Senate"],
    ["Ranking Member, House Foreign Affairs Committee", "Joint", "House"],
    ["Democratic Whip", "Senate", "Senate"],
    [null, "House", "House"],
  ] as const)("member with role %j on a %s letter sits in the %s", (role, chamber, expected) => {
    expect(inferMemberChamber(role, chamber)).toBe(expected);
  });

  it.each([
    ["House Foreign Affairs; Senate Foreign Relations (Democrats)", "Joint", "Joint"],
    ["Senate Finance Committee (Democrats)", "Senate", "Senate"],
    ["Select Subcommittee", "House", "House"],
  ] as const)("committee %j is %s", (name, chamber, expected) => {
    expect(inferCommitteeChamber(name, chamber)).toBe(expected);
  });

  it("treats 'None (member-led letter)' as no committee", () => {
    expect(isNoCommittee("None (member-led letter)")).toBe(true);
    expect(isNoCommittee("House Judiciary Committee")).toBe(false);
  });

  it("makes URL slugs", () => {
    expect(slugify("U.S. Department of State")).toBe("u-s-department-of-state");
    expect(slugify("Banking, Housing & Urban Affairs")).toBe("banking-housing-and-urban-affairs");
    expect(slugify("José Serrano")).toBe("jose-serrano");
  });
});

describe("buildTimeline", () => {
  it("orders events by date, the sending first", () => {
    const events = buildTimeline({
      sentOn: "2023-03-20",
      deadline: "2023-03-22",
      closedOn: "2023-08-01",
      closedReason: "Subpoena issued",
      deadlineChanges: [{ id: 1, newDeadline: "2023-04-05", grantedOn: "2023-03-21", reason: "Agency asked" }],
      responses: [{ id: 1, receivedOn: "2023-03-23", from: "State", completeness: "partial" }],
      followUps: [{ slug: "next", title: "Next letter", sentOn: "2023-05-05" }],
    });
    expect(events.map((event) => [event.date, event.kind])).toEqual([
      ["2023-03-20", "sent"],
      ["2023-03-21", "extension"],
      ["2023-03-22", "deadline"],
      ["2023-03-23", "response"],
      ["2023-05-05", "follow-up"],
      ["2023-08-01", "closed"],
    ]);
    expect(events[4]?.href).toBe("/letters/next");
  });
});

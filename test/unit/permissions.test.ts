import { describe, expect, it } from "vitest";
import { ACTIONS, can, redactHistoryEntry, summaryWithoutNoteFields, type Action, type Role } from "~/domain/permissions";

type Who = "anonymous" | Role;
const WHO: Who[] = ["anonymous", "viewer", "editor", "admin"];

/** Who may do what, written out in full: every role against every action. */
const EXPECTED: Record<Action, { publicRead: Who[]; privateRead: Who[] }> = {
  "letters:read": { publicRead: ["anonymous", "viewer", "editor", "admin"], privateRead: ["viewer", "editor", "admin"] },
  "notes:read": { publicRead: ["viewer", "editor", "admin"], privateRead: ["viewer", "editor", "admin"] },
  "history:emails": { publicRead: ["viewer", "editor", "admin"], privateRead: ["viewer", "editor", "admin"] },
  "letter:edit": { publicRead: ["editor", "admin"], privateRead: ["editor", "admin"] },
  "response:log": { publicRead: ["editor", "admin"], privateRead: ["editor", "admin"] },
  import: { publicRead: ["editor", "admin"], privateRead: ["editor", "admin"] },
  "users:manage": { publicRead: ["admin"], privateRead: ["admin"] },
  "mail:admin": { publicRead: ["admin"], privateRead: ["admin"] },
  "account:manage": { publicRead: ["viewer", "editor", "admin"], privateRead: ["viewer", "editor", "admin"] },
  "password:change": { publicRead: ["viewer", "editor", "admin"], privateRead: ["viewer", "editor", "admin"] },
};

const cases = ACTIONS.flatMap((action) =>
  WHO.flatMap((who) =>
    (["publicRead", "privateRead"] as const).map((mode) => ({ action, who, mode, allowed: EXPECTED[action][mode].includes(who) })),
  ),
);

describe("can", () => {
  it("has an expectation for every action", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  it.each(cases)("$who $action ($mode): $allowed", ({ action, who, mode, allowed }) => {
    const user = who === "anonymous" ? null : { role: who };
    expect(can(user, action, { publicRead: mode === "publicRead" })).toBe(allowed);
  });

  it.each(ACTIONS.flatMap((action) => (["viewer", "editor", "admin"] as const).map((role) => ({ action, role }))))(
    "a $role with a one-time password may $action only if it is changing the password",
    ({ action, role }) => {
      expect(can({ role, mustChangePassword: true }, action, { publicRead: true })).toBe(action === "password:change");
    },
  );
});

describe("history redaction", () => {
  const entry = {
    actorEmail: "author@example.org",
    summary: "Edited title, internalNotes",
    before: { title: "A", internalNotes: "secret a" },
    after: { title: "B", internalNotes: "secret b" },
  };

  it("drops internal-note fields, their values and the authors' emails for anonymous readers", () => {
    expect(redactHistoryEntry(null, entry, { publicRead: true })).toEqual({
      actorEmail: null,
      summary: "Edited title",
      before: { title: "A" },
      after: { title: "B" },
    });
  });

  it("hides an entry that changed internal notes only", () => {
    expect(redactHistoryEntry(null, { ...entry, summary: "Edited internalNotes", before: { internalNotes: null }, after: { internalNotes: "x" } }, { publicRead: true })).toBeNull();
  });

  it("leaves it whole for staff", () => {
    expect(redactHistoryEntry({ role: "viewer" }, entry, { publicRead: true })).toBe(entry);
  });

  it.each([
    ["Edited title, internalNotes", "Edited title"],
    ["Edited internalNotes, title", "Edited title"],
    ["Edited a, internalNotes, b", "Edited a, b"],
    ["Edited internalNotes", "Edited the letter"],
    ["Edited the response of 2025-01-01: notes, internalNotes", "Edited the response of 2025-01-01: notes"],
    ["Logged the letter", "Logged the letter"],
    // Field names in words, as the writer's summaries give them.
    ["Edited: title, internal notes", "Edited: title"],
    ["Edited: internal notes", "Edited the letter"],
  ])("%j reads %j", (summary, expected) => {
    expect(summaryWithoutNoteFields(summary)).toBe(expected);
  });
});

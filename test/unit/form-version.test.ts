/**
 * The version and base an edit page renders under a form it gives back (app/utils/form-version.ts).
 * Review finding: a form given back that lacked its version (or its base) got the loader's fresh
 * one under the values typed into the older version, so the next save passed the stale check (or
 * merged against the wrong base) and overwrote a colleague's change unchecked.
 */
import { describe, expect, it } from "vitest";
import { keptVersion, versionFieldsFor } from "~/utils/form-version";

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) data.append(name, value);
  return data;
};
const fresh = { version: 9, base: { title: "Saved by a colleague since" } };

describe("versionFieldsFor", () => {
  it("a fresh form (no reply) gets the loader's version and values", () => {
    expect(versionFieldsFor({ conflict: null, kept: null, fresh })).toEqual(fresh);
  });

  it("a form given back keeps the version and base it was opened at", () => {
    const kept = keptVersion(form({ version: "3", base: JSON.stringify({ title: "As opened" }) }));
    expect(versionFieldsFor({ conflict: null, kept, fresh })).toEqual({ version: 3, base: { title: "As opened" } });
  });

  it("a form given back without its version gets none, so its next save is refused again", () => {
    const kept = keptVersion(form({ base: JSON.stringify({ title: "As opened" }) }));
    expect(versionFieldsFor({ conflict: null, kept, fresh }).version).toBeNull();
  });

  it.each([
    ["missing", {}],
    ["not JSON", { base: "{not json" }],
  ])("a form given back with its base %s gets no base, never the fresh values", (_name, extra) => {
    const kept = keptVersion(form({ version: "3", ...extra }));
    const fields = versionFieldsFor({ conflict: null, kept, fresh });
    expect(fields.version).toBe(3);
    expect(fields.base).toBeUndefined();
  });

  it("a conflict reply's version and base win", () => {
    const kept = keptVersion(form({ version: "3" }));
    expect(versionFieldsFor({ conflict: { version: 9, base: { title: "Stored" } }, kept, fresh })).toEqual({ version: 9, base: { title: "Stored" } });
  });
});

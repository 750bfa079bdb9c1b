/**
 * Every read thread and export thread loads its bundle at start. Libraries only one rare task
 * needs (satori and resvg for a letter's card, exceljs for a workbook: about 30 MB each a thread)
 * load with that task: statically imported, they cost every thread, at 100,000 letters the
 * difference between 395 and 319 MB of server memory at rest (issue 11).
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";

const staticImports = (file: string) =>
  [...fs.readFileSync(file, "utf8").matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gms)].map((match) => match[1]);

describe("worker bundles load rare libraries on first use", () => {
  it.each([
    ["build/read-worker.js", ["satori", "@resvg/resvg-js", "exceljs"]],
    ["build/export-worker.js", ["exceljs", "satori", "@resvg/resvg-js"]],
  ])("%s imports none of %j at start, and loads them when a task needs them", (file, rare) => {
    if (!fs.existsSync(file)) throw new Error("Run `npm run build` first: this checks the built worker bundles.");
    const imported = staticImports(file);
    expect(imported.length).toBeGreaterThan(3);
    for (const name of rare) expect(imported).not.toContain(name);
  });
});

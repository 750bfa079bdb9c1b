/**
 * A file with many bad rows makes a capped report: the first MAX_REPORTED_PROBLEMS problems and a
 * count of the rest, in the report, on the import page and in `npm run import`'s output.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { formatImportReport } from "~/domain/import-report";
import { MAX_REPORTED_PROBLEMS, RESPONSES_REQUIRED } from "~/domain/letter-csv";
import { COMMAND_LINE_ACTOR, importLetterFile } from "~/models/letter-file-import.server";
import * as importPage from "~/routes/import";
import { freshDatabase, tableCounts } from "../support/database";
import { run, signedInAs } from "../support/requests";

const BAD_ROWS = 10_000;
/** A responses sheet whose every row has one cell where the header has seven: one problem a row. */
const BAD_FILE = [RESPONSES_REQUIRED.join(","), ...Array.from({ length: BAD_ROWS }, (_, index) => `bad-${index}`)].join("\n") + "\n";
const MORE = BAD_ROWS - MAX_REPORTED_PROBLEMS;

let db: ReturnType<typeof freshDatabase>;
beforeAll(() => {
  db = freshDatabase();
});

describe("capped problem reports", () => {
  it("keeps the first problems and counts the rest", async () => {
    const report = await importLetterFile({ content: new TextEncoder().encode(BAD_FILE), fileName: "bad.csv", dryRun: true, actor: COMMAND_LINE_ACTOR });
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(report.moreProblems).toBe(MORE);
    expect(report.problems[0]).toMatchObject({ row: 2, letterId: "bad-0", column: "(row)" });
    const text = formatImportReport(report);
    expect(text).toContain(`bad.csv: ${BAD_ROWS.toLocaleString("en-US")} problems; nothing was imported.`);
    expect(text).toContain(`and ${MORE.toLocaleString("en-US")} more problems`);
    expect(text.split("\n")).toHaveLength(1 + MAX_REPORTED_PROBLEMS + 1);
  });

  it("the import page shows the count of the rest", async () => {
    const { cookie } = await signedInAs("editor");
    const body = new FormData();
    body.append("intent", "dry-run");
    body.append("file", new File([BAD_FILE], "bad.csv", { type: "text/csv" }));
    const before = tableCounts(db);
    const outcome = await run(importPage.action as never, new Request("http://localhost/import", { method: "POST", body, headers: { Cookie: cookie } }));
    expect(outcome.status).toBe(400);
    const report = (outcome.data as { report: { problems: unknown[]; moreProblems: number } }).report;
    expect(report.problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(report.moreProblems).toBe(MORE);
    expect(tableCounts(db)).toEqual(before);
  });

  it("npm run import prints the count of the rest", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-import-cap-"));
    const file = path.join(dir, "bad.csv");
    fs.writeFileSync(file, BAD_FILE);
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/import.ts", file, "--dry-run"], {
      env: { ...process.env, DATABASE_PATH: path.join(dir, "tracker.db"), NODE_ENV: "production" },
      encoding: "utf8",
    });
    const out = result.stdout + result.stderr;
    expect(result.status).toBe(1);
    expect(out).toContain(`and ${MORE.toLocaleString("en-US")} more problems`);
    expect(out.split("\n").filter((line) => line.startsWith("  row ")).length).toBe(MAX_REPORTED_PROBLEMS);
  });
});

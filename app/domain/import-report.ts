/** What an import did (or, in a dry run, would do), and how to say it in plain text. */
import type { ImportProblem } from "./letter-csv";

export type { ImportProblem };

export interface ImportReport {
  /** True when the file had no problems (and, unless a dry run, was written). */
  ok: boolean;
  dryRun: boolean;
  fileName: string;
  format: "json" | "csv-letters" | "csv-responses" | null;
  /** Letter ids (slugs) created, updated (with the fields that changed) and left as they were. */
  created: string[];
  updated: Array<{ letterId: string; fields: string[] }>;
  unchanged: string[];
  problems: ImportProblem[];
}

function where(problem: ImportProblem): string {
  const parts = [
    problem.row !== null ? `row ${problem.row}` : null,
    problem.letterId ? `letter ${problem.letterId}` : null,
    problem.column,
  ].filter(Boolean);
  return parts.join(", ");
}

export function formatImportReport(report: ImportReport): string {
  const lines: string[] = [];
  const verb = report.dryRun ? "would be" : "were";
  if (!report.ok) {
    lines.push(`${report.fileName}: ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}; nothing was imported.`);
    for (const problem of report.problems) lines.push(`  ${where(problem)}: ${problem.reason}`);
    return lines.join("\n");
  }
  lines.push(
    `${report.fileName}${report.dryRun ? " (dry run, nothing written)" : ""}: ` +
      `${report.created.length} letters ${verb} created, ${report.updated.length} ${verb} updated, ` +
      `${report.unchanged.length} unchanged.`,
  );
  for (const id of report.created) lines.push(`  create ${id}`);
  for (const { letterId, fields } of report.updated) lines.push(`  update ${letterId}: ${fields.join(", ")}`);
  return lines.join("\n");
}

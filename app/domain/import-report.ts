/** What an import did (or, in a dry run, would do), and how to say it in plain text. */
import { MAX_REPORTED_PROBLEMS, type ImportProblem } from "./letter-csv";

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
  /** The problems listed (at most MAX_REPORTED_PROBLEMS, app/domain/letter-csv.ts)... */
  problems: ImportProblem[];
  /** ...and how many more there were, counted but not listed. */
  moreProblems: number;
}

/** Every problem the file had, listed or not. */
export function problemCount(report: Pick<ImportReport, "problems" | "moreProblems">): number {
  return report.problems.length + report.moreProblems;
}

/** "and 999,800 more problems", or null when every problem is listed. */
export function moreProblemsLine(report: Pick<ImportReport, "moreProblems">): string | null {
  if (report.moreProblems <= 0) return null;
  return `and ${report.moreProblems.toLocaleString("en-US")} more problem${report.moreProblems === 1 ? "" : "s"} (only the first ${MAX_REPORTED_PROBLEMS} are listed)`;
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
    const count = problemCount(report);
    lines.push(`${report.fileName}: ${count.toLocaleString("en-US")} problem${count === 1 ? "" : "s"}; nothing was imported.`);
    for (const problem of report.problems) lines.push(`  ${where(problem)}: ${problem.reason}`);
    const more = moreProblemsLine(report);
    if (more) lines.push(`  ${more}`);
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

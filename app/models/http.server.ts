/** Responses shared by the resource routes (exports, API, calendar, feed). */
import { attachmentHeader, exportFileName } from "~/domain/csv-cells";
import type { CalendarDate } from "~/domain/dates";

/** A JSON error: `{ "error": { "status", "message", "parameter"? } }`. */
export function jsonError(status: number, message: string, parameter?: string): Response {
  return Response.json({ error: { status, message, ...(parameter ? { parameter } : {}) } }, { status });
}

/** The parameter a filter problem message names (messages start with `name:`). */
export function problemParameter(problem: string): string {
  return problem.slice(0, Math.max(0, problem.indexOf(":"))) || "query";
}

/** 400 naming the first bad parameter; null when there is none. */
export function badParameters(problems: string[]): Response | null {
  if (problems.length === 0) return null;
  return jsonError(400, problems.join("; "), problemParameter(problems[0]!));
}

export function csvResponse({ kind, date, body }: { kind: string; date: CalendarDate; body: ReadableStream<Uint8Array> }): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachmentHeader(exportFileName(kind, date)),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** An export's bad filter values: the page would ignore them, a download says so instead. */
export function badExportParameters(problems: string[]): Response | null {
  if (problems.length === 0) return null;
  return new Response(`This export's address has bad values, so nothing was exported:\n${problems.join("\n")}\n`, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/** `per_page` for the API: 1 to 500, default 50. */
export function perPage(params: URLSearchParams): { value: number; problem: string | null } {
  const raw = params.get("per_page")?.trim();
  if (!raw) return { value: 50, problem: null };
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 500) {
    return { value: 50, problem: `per_page: "${raw}" must be a whole number from 1 to 500` };
  }
  return { value, problem: null };
}

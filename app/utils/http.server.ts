/** Responses shared by the resource routes (exports, API, calendar, feed). */
import { attachmentHeader, exportFileName } from "~/domain/csv-cells";
import type { AppLoadContext } from "@remix-run/node";
import { isCalendarDate, today, type CalendarDate } from "~/domain/dates";
import { futureAsOfProblem } from "~/domain/filters";
import { env } from "~/env.server";
import { EXPORT_TITLES, exportFileOf, type ExportOutput, type ExportSpec } from "~/models/export.server";
import { exportToStream } from "~/models/export-stream.server";
import { XLSX_MEDIA_TYPE, xlsxChunks, xlsxToStream } from "~/models/export-xlsx.server";
import { exportInWorker, exportWorkersInstalled } from "./export-workers.server";

/** A JSON error: `{ "error": { "status", "message", "parameter"? } }`. */
export function jsonError(status: number, message: string, parameter?: string): Response {
  return Response.json({ error: { status, message, ...(parameter ? { parameter } : {}) } }, { status });
}

/** The parameter a filter problem message names (messages start with `name:`). */
function problemParameter(problem: string): string {
  return problem.slice(0, Math.max(0, problem.indexOf(":"))) || "query";
}

/** 400 naming the first bad parameter; null when there is none. */
export function badParameters(problems: string[]): Response | null {
  if (problems.length === 0) return null;
  return jsonError(400, problems.join("; "), problemParameter(problems[0]!));
}

/** An export's bad filter values: the page would ignore them, a download says so instead. */
export function badExportParameters(problems: string[]): Response | null {
  if (problems.length === 0) return null;
  return new Response(`This export's address has bad values, so nothing was exported:\n${problems.join("\n")}\n`, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/**
 * An export's response, CSV or `.xlsx` (decision 0015): 400 naming bad filter values, else the
 * file streamed as it is read, and stopped when the client goes away (the request's signal) or
 * stops reading. Written by a worker thread of its own when the server installed them
 * (export-workers.server.ts); 503 with Retry-After when too many exports run. Always an attachment:
 * a download, never a page the browser shows (or prints) as text. A CSV carries a byte-order mark
 * only when asked (`excel=1`). A HEAD is answered with the same status and headers, and the
 * export is not started.
 */
export function exportDownload({
  spec,
  problems,
  request,
  context,
  format = "csv",
}: {
  spec: ExportSpec;
  problems: string[];
  request: Request;
  context: AppLoadContext;
  format?: "csv" | "xlsx";
}): Response {
  const excel = new URL(request.url).searchParams.getAll("excel");
  const excelProblem =
    format === "csv" && (excel.length > 1 || (excel.length === 1 && excel[0] !== "1"))
      ? [`excel: "${excel.join(", ")}" must be 1 (a byte-order mark for Excel) or left out`]
      : [];
  const problem = badExportParameters([...problems, ...excelProblem]);
  if (problem) return problem;
  const headers = {
    "Content-Type": format === "xlsx" ? XLSX_MEDIA_TYPE : "text/csv; charset=utf-8",
    "Content-Disposition": attachmentHeader(exportFileName(spec.kind, spec.asOf, format)),
    // nosniff: the server's security headers, on every response (set here too, it was sent twice).
  };
  // A HEAD gets the download's headers and nothing else: no thread, no snapshot, no export slot
  // (Remix throws a HEAD's body away, so an export started for it ran for nothing and, never read
  // to its end, held its slot for good: two HEADs and every export was refused).
  if (request.method === "HEAD") return new Response(null, { headers });
  const output: ExportOutput = format === "xlsx" ? { format: "xlsx", publicUrl: env.PUBLIC_URL } : { format: "csv", bom: excel[0] === "1" };
  const readerLeft = context.readerLeft ?? request.signal;
  const body = exportWorkersInstalled()
    ? exportInWorker(spec, {
        client: context.clientAddress ?? "unknown",
        signal: readerLeft,
        waitForWritable: context.waitForWritable,
        output,
      })
    : output.format === "xlsx"
      ? xlsxToStream(() => xlsxChunks(exportFileOf(spec), { publicUrl: output.publicUrl, title: EXPORT_TITLES[spec.kind] }), { signal: readerLeft })
      : exportToStream(() => exportFileOf(spec), { waitForWritable: context.waitForWritable, signal: readerLeft, bom: output.bom });
  if ("refused" in body) {
    context.doNotCache?.();
    return new Response(`${body.message}\n`, {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": String(body.retryAfterSeconds) },
    });
  }
  return new Response(body, { headers });
}

/** A CSV export's response: see exportDownload. */
export function csvDownload(options: { spec: ExportSpec; problems: string[]; request: Request; context: AppLoadContext }): Response {
  return exportDownload({ ...options, format: "csv" });
}

/** The API's parameters that may be given more than once (lists of values). */
export const REPEATABLE_API_PARAMETERS: readonly string[] = ["status", "kind"];

/**
 * What the API refuses before any filter is read: a single-valued parameter given more than once
 * (which one was meant cannot be known: `per_page=5&per_page=50`), and an `asOf` after today (the
 * state of play is not known yet). Messages start with the parameter's name, as every 400's does.
 */
export function apiParameterProblems(params: URLSearchParams, now: Date = new Date(), parsed: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    if (values.length > 1 && !REPEATABLE_API_PARAMETERS.includes(name)) {
      problems.push(`${name}: given ${values.length} times (${values.map((value) => JSON.stringify(value)).join(", ")}); give it once`);
    }
  }
  const asOf = params.get("asOf")?.trim();
  const todayIs = today(now);
  const future = asOf && isCalendarDate(asOf) && asOf > todayIs;
  if (future) problems.push(`asOf: "${asOf}" is in the future (today is ${todayIs}): the state of play is known up to today`);
  // The filters' own problems (parse*Filters), less theirs for a future asOf: pages show today's
  // state with it, the API refuses the request, and said so above.
  const pagesFuture = future ? futureAsOfProblem(asOf, now) : null;
  return [...problems, ...parsed.filter((problem) => problem !== pagesFuture)];
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

/**
 * One page of an API list with its `meta`: 400 for a page past the end, and ready-made `next` and
 * `prev` addresses built from the list's own filters (`searchFor(page)`, as the pages' links are).
 */
export function pagedJson<T>({
  path,
  asOf,
  requestedPage,
  perPage: size,
  result,
  searchFor,
}: {
  path: string;
  asOf: CalendarDate;
  requestedPage: number;
  perPage: number;
  result: { items: T[]; total: number; page: number; pageSize: number; pageCount: number };
  searchFor: (page: number) => string;
}): Response {
  if (requestedPage > result.pageCount) {
    return jsonError(400, `page: ${requestedPage} is past the last page (${result.pageCount})`, "page");
  }
  const link = (page: number) => {
    const search = new URLSearchParams(searchFor(page).slice(1));
    if (size !== 50) search.set("per_page", String(size));
    if (page === 1) search.set("page", "1");
    return `${path}?${search.toString()}`;
  };
  return Response.json({
    data: result.items,
    meta: {
      total: result.total,
      page: result.page,
      per_page: result.pageSize,
      page_count: result.pageCount,
      as_of: asOf,
      next: result.page < result.pageCount ? link(result.page + 1) : null,
      prev: result.page > 1 ? link(result.page - 1) : null,
    },
  });
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    /**
     * Resolves when the HTTP response can take more data (set by scripts/serve.ts). Remix writes a
     * streamed body without waiting for the socket, so a long export waits on this between chunks
     * to keep memory flat for a slow client.
     */
    waitForWritable?: () => Promise<void>;
    /**
     * Aborts when the reader leaves before the response is sent (set by scripts/serve.ts). A loader's
     * `request.signal` may never abort once garbage has been collected (a derived request's, held
     * weakly by undici): a body streamed after the loader returned listens to this one.
     */
    readerLeft?: AbortSignal;
  }
}

/**
 * Tracks an outgoing response's backpressure: whether its last write asked the writer to wait.
 * One 'drain' and one 'close' listener for the response's life, added at the first wait: the
 * compression middleware hands a response's 'drain' listeners to its gzip stream and never takes
 * them off (`res.off` is not wrapped), so a listener a wait would have to remove stayed on the
 * stream: thousands in a long download, each run at every drain.
 */
export function writableWaiter(res: {
  write: (...args: never[]) => boolean;
  on: (event: "drain" | "close", listener: () => void) => unknown;
  writableEnded?: boolean;
  destroyed?: boolean;
}): () => Promise<void> {
  let full = false;
  let listening = false;
  let waiters: Array<() => void> = [];
  const wake = () => {
    full = false;
    const woken = waiters;
    waiters = [];
    for (const resolve of woken) resolve();
  };
  const write = res.write.bind(res) as (...args: never[]) => boolean;
  res.write = (...args: never[]) => {
    const accepted = write(...args);
    if (!accepted) full = true;
    return accepted;
  };
  return () => {
    if (!full || res.destroyed || res.writableEnded) return Promise.resolve();
    if (!listening) {
      listening = true;
      res.on("drain", wake);
      res.on("close", wake);
    }
    return new Promise<void>((resolve) => waiters.push(resolve));
  };
}

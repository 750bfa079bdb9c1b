import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, parseLetterFilters } from "~/domain/filters";
import { exportToStream, sheetExport } from "~/models/export.server";
import { badExportParameters, csvResponse } from "~/models/http.server";
import { requireReader } from "~/models/auth.server";

/** The letters /letters shows, one row per question with the letter's columns: the import sheet. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireReader(request);
  const { filters, problems } = parseLetterFilters(new URL(request.url).searchParams);
  const asOf = effectiveAsOf(filters);
  const problem = badExportParameters(problems);
  if (problem) return problem;
  // Read when the download starts; stopped when the client goes away (the request's signal).
  const body = exportToStream(() => sheetExport({ filters, asOf }), {
    waitForWritable: context.waitForWritable,
    signal: request.signal,
  });
  return csvResponse({ kind: "letters-questions", date: asOf, body });
}

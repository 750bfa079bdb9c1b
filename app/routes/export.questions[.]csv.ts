import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, parseQuestionFilters } from "~/domain/filters";
import { exportToStream, questionsExport } from "~/models/export.server";
import { badExportParameters, csvResponse } from "~/models/http.server";
import { requireReader } from "~/models/auth.server";

/** Every question /questions shows for the same filters and sort (all pages), as CSV. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireReader(request);
  const { filters, problems } = parseQuestionFilters(new URL(request.url).searchParams);
  const asOf = effectiveAsOf(filters);
  const problem = badExportParameters(problems);
  if (problem) return problem;
  // Read when the download starts; stopped when the client goes away (the request's signal).
  const body = exportToStream(() => questionsExport({ filters, asOf }), {
    waitForWritable: context.waitForWritable,
    signal: request.signal,
  });
  return csvResponse({ kind: "questions", date: asOf, body });
}

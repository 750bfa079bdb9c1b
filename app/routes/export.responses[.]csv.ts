import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, parseLetterFilters } from "~/domain/filters";
import { exportToStream, responsesExport } from "~/models/export.server";
import { badExportParameters, csvResponse } from "~/models/http.server";

/** The responses (received by asOf) to the letters /letters shows for the same filters, as CSV. */
export function loader({ request, context }: LoaderFunctionArgs) {
  const { filters, problems } = parseLetterFilters(new URL(request.url).searchParams);
  const asOf = effectiveAsOf(filters);
  return (
    badExportParameters(problems) ??
    csvResponse({ kind: "responses", date: asOf, body: exportToStream(() => responsesExport({ filters, asOf }), context) })
  );
}

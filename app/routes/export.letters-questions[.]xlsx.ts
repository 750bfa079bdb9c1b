import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, parseLetterFilters } from "~/domain/filters";
import { exportDownload } from "~/utils/http.server";
import { requireUser } from "~/utils/permissions.server";

/** The letters /letters shows, one row per question with the letter's columns, as an .xlsx workbook (decision 0015). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const { filters, problems } = parseLetterFilters(new URL(request.url).searchParams);
  const asOf = effectiveAsOf(filters);
  return exportDownload({ spec: { kind: "letters-questions", filters, asOf }, problems, request, context, format: "xlsx" });
}

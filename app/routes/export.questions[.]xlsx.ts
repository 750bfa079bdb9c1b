import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, parseQuestionFilters } from "~/domain/filters";
import { exportDownload } from "~/utils/http.server";
import { requireUser } from "~/utils/permissions.server";

/** Every question /questions shows for the same filters and sort (all pages), as an .xlsx workbook (decision 0015). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const { filters, problems } = parseQuestionFilters(new URL(request.url).searchParams);
  const asOf = effectiveAsOf(filters);
  return exportDownload({ spec: { kind: "questions", filters, asOf }, problems, request, context, format: "xlsx" });
}

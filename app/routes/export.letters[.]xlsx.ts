import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, parseLetterFilters } from "~/domain/filters";
import { exportDownload } from "~/utils/http.server";
import { requireUser } from "~/utils/permissions.server";

/** Every letter /letters shows for the same filters and sort (all pages), as an .xlsx workbook (decision 0015). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const { filters, problems } = parseLetterFilters(new URL(request.url).searchParams);
  const asOf = effectiveAsOf(filters);
  return exportDownload({ spec: { kind: "letters", filters, asOf }, problems, request, context, format: "xlsx" });
}

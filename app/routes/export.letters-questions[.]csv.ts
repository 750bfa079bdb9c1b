import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, parseLetterFilters } from "~/domain/filters";
import { csvDownload } from "~/utils/http.server";
import { requireUser } from "~/utils/permissions.server";

/** The letters /letters shows, one row per question with the letter's columns: the import sheet. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const { filters, problems } = parseLetterFilters(new URL(request.url).searchParams);
  const asOf = effectiveAsOf(filters);
  return csvDownload({ spec: { kind: "letters-questions", filters, asOf }, problems, request, context });
}

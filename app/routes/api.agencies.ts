import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, parseLetterFilters } from "~/domain/filters";
import { agencyCounts } from "~/models/api.server";
import { badParameters } from "~/utils/http.server";
import { requireUser } from "~/utils/permissions.server";

/** Every agency with counts of the letters (same filters as /letters) sent to it. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read", { api: true });
  const { filters, problems } = parseLetterFilters(new URL(request.url).searchParams);
  const bad = badParameters(problems);
  if (bad) return bad;
  const asOf = effectiveAsOf(filters);
  const data = agencyCounts({ filters, asOf });
  return Response.json({ data, meta: { total: data.length, as_of: asOf } });
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, letterFiltersToSearch, parseLetterFilters } from "~/domain/filters";
import { letterSummaryJson } from "~/models/api.server";
import { apiParameterProblems, badParameters, pagedJson, perPage } from "~/utils/http.server";
import { readInPool } from "~/utils/read-pool.server";
import { requireUser } from "~/utils/permissions.server";
import { listTotal } from "~/models/list-totals.server";

/** Letters as JSON: the filters and sort of /letters, `page` and `per_page` (see README "Read API"). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read", { api: true });
  const params = new URL(request.url).searchParams;
  const { filters, problems } = parseLetterFilters(params);
  const size = perPage(params);
  const bad = badParameters([...apiParameterProblems(params, new Date(), problems), ...(size.problem ? [size.problem] : [])]);
  if (bad) return bad;
  const asOf = effectiveAsOf(filters);
  const result = await readInPool("listLetters", { filters, asOf, pageSize: size.value, total: await listTotal("letters", filters, asOf, { context, request }) }, { context, request });
  return pagedJson({
    path: "/api/letters",
    asOf,
    requestedPage: filters.page,
    perPage: size.value,
    result: { ...result, items: result.letters.map(letterSummaryJson) },
    searchFor: (page) => letterFiltersToSearch(filters, { page }),
  });
}

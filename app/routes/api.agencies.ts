import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, letterFiltersToSearch, parseLetterFilters } from "~/domain/filters";
import { apiParameterProblems, badParameters, pagedJson, perPage } from "~/utils/http.server";
import { requireUser } from "~/utils/permissions.server";
import { readInPool } from "~/utils/read-pool.server";

/**
 * Every agency with counts of the letters (same filters as /letters) sent to it and its figures
 * (answered, on time, median days, each with its n), paged like the other lists.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read", { api: true });
  const params = new URL(request.url).searchParams;
  const { filters, problems } = parseLetterFilters(params);
  const size = perPage(params);
  const bad = badParameters([...apiParameterProblems(params, new Date(), problems), ...(size.problem ? [size.problem] : [])]);
  if (bad) return bad;
  const asOf = effectiveAsOf(filters);
  const { page: _page, sort: _sort, dir: _dir, asOf: _asOf, ...selection } = filters;
  // A few hundred agencies: all are read (their figures come from one pass over the letters), one page is sent.
  const all = await readInPool("apiAgencies", { filters: selection, asOf }, { context, request });
  const pageCount = Math.max(1, Math.ceil(all.length / size.value));
  const page = Math.min(filters.page, pageCount);
  return pagedJson({
    path: "/api/agencies",
    asOf,
    requestedPage: filters.page,
    perPage: size.value,
    result: { items: all.slice((page - 1) * size.value, page * size.value), total: all.length, page, pageSize: size.value, pageCount },
    searchFor: (target) => letterFiltersToSearch(filters, { page: target }),
  });
}

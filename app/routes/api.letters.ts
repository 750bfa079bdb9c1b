import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, letterFiltersToSearch, parseLetterFilters } from "~/domain/filters";
import { letterSummaryJson } from "~/models/api.server";
import { badParameters, jsonError, perPage } from "~/models/http.server";
import { listLetters } from "~/models/letters.server";
import { requireReader } from "~/models/auth.server";

/** Letters as JSON: the filters and sort of /letters, `page` and `per_page` (see README "Read API"). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request, { api: true });
  const params = new URL(request.url).searchParams;
  const { filters, problems } = parseLetterFilters(params);
  const size = perPage(params);
  const bad = badParameters([...problems, ...(size.problem ? [size.problem] : [])]);
  if (bad) return bad;
  const asOf = effectiveAsOf(filters);
  const result = listLetters({ filters, asOf, pageSize: size.value });
  if (filters.page > result.pageCount) {
    return jsonError(400, `page: ${filters.page} is past the last page (${result.pageCount})`, "page");
  }
  const link = (page: number) => {
    const search = new URLSearchParams(letterFiltersToSearch(filters, { page }).slice(1));
    if (size.value !== 50) search.set("per_page", String(size.value));
    if (page === 1) search.set("page", "1");
    return `/api/letters?${search.toString()}`;
  };
  return Response.json({
    data: result.letters.map(letterSummaryJson),
    meta: {
      total: result.total,
      page: result.page,
      per_page: result.pageSize,
      page_count: result.pageCount,
      as_of: asOf,
      next: result.page < result.pageCount ? link(result.page + 1) : null,
      prev: result.page > 1 ? link(result.page - 1) : null,
    },
  });
}

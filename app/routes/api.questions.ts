import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, parseQuestionFilters, questionFiltersToSearch } from "~/domain/filters";
import { questionJson } from "~/models/api.server";
import { badParameters, jsonError, perPage } from "~/models/http.server";
import { listQuestions } from "~/models/questions.server";
import { requireReader } from "~/models/auth.server";

/** Questions as JSON: the filters and sort of /questions (open ones by default), paged. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request, { api: true });
  const params = new URL(request.url).searchParams;
  const { filters, problems } = parseQuestionFilters(params);
  const size = perPage(params);
  const bad = badParameters([...problems, ...(size.problem ? [size.problem] : [])]);
  if (bad) return bad;
  const asOf = effectiveAsOf(filters);
  const result = listQuestions({ filters, asOf, pageSize: size.value });
  if (filters.page > result.pageCount) {
    return jsonError(400, `page: ${filters.page} is past the last page (${result.pageCount})`, "page");
  }
  const link = (page: number) => {
    const search = new URLSearchParams(questionFiltersToSearch(filters, { page }).slice(1));
    if (size.value !== 50) search.set("per_page", String(size.value));
    if (page === 1) search.set("page", "1");
    return `/api/questions?${search.toString()}`;
  };
  return Response.json({
    data: result.questions.map(questionJson),
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

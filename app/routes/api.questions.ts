import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, parseQuestionFilters, questionFiltersToSearch } from "~/domain/filters";
import { questionJson } from "~/models/api.server";
import { apiParameterProblems, badParameters, pagedJson, perPage } from "~/utils/http.server";
import { readInPool } from "~/utils/read-pool.server";
import { requireUser } from "~/utils/permissions.server";
import { listTotal } from "~/models/list-totals.server";

/** Questions as JSON: the filters and sort of /questions (open ones by default), paged. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read", { api: true });
  const params = new URL(request.url).searchParams;
  const { filters, problems } = parseQuestionFilters(params);
  const size = perPage(params);
  const bad = badParameters([...apiParameterProblems(params, new Date(), problems), ...(size.problem ? [size.problem] : [])]);
  if (bad) return bad;
  const asOf = effectiveAsOf(filters);
  const result = await readInPool("listQuestions", { filters, asOf, pageSize: size.value, total: await listTotal("questions", filters, asOf, { context, request }) }, { context, request });
  return pagedJson({
    path: "/api/questions",
    asOf,
    requestedPage: filters.page,
    perPage: size.value,
    result: { ...result, items: result.questions.map(questionJson) },
    searchFor: (page) => questionFiltersToSearch(filters, { page }),
  });
}

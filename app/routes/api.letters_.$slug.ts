import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, parseAsOf } from "~/domain/filters";
import { letterDetailJson } from "~/models/api.server";
import { apiParameterProblems, badParameters, jsonError } from "~/utils/http.server";
import { getLetterDetail } from "~/models/letters.server";
import { requireUser } from "~/utils/permissions.server";

/** One letter with its people, questions, responses and extensions, as of `asOf`. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read", { api: true });
  const search = new URL(request.url).searchParams;
  const { asOf: asOfParam, problem } = parseAsOf(search);
  const bad = badParameters([...apiParameterProblems(search), ...(problem ? [problem] : [])]);
  if (bad) return bad;
  const asOf = effectiveAsOf({ asOf: asOfParam });
  const letter = getLetterDetail({ slug: params.slug ?? "", asOf });
  if (!letter) return jsonError(404, `There is no letter "${params.slug}".`, "slug");
  // As the lists: a letter sent after asOf did not exist yet on that day.
  if (letter.sentOn > asOf) {
    return jsonError(404, `There was no letter "${letter.slug}" on ${asOf} (asOf): it was sent on ${letter.sentOn}.`, "asOf");
  }
  return Response.json({ data: letterDetailJson(letter) });
}

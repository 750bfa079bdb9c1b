import type { LoaderFunctionArgs } from "@remix-run/node";
import { effectiveAsOf, parseAsOf } from "~/domain/filters";
import { letterDetailJson } from "~/models/api.server";
import { badParameters, jsonError } from "~/utils/http.server";
import { getLetterDetail } from "~/models/letters.server";
import { requireUser } from "~/utils/permissions.server";

/** One letter with its people, questions, responses and extensions, as of `asOf`. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read", { api: true });
  const { asOf: asOfParam, problem } = parseAsOf(new URL(request.url).searchParams);
  const bad = badParameters(problem ? [problem] : []);
  if (bad) return bad;
  const letter = getLetterDetail({ slug: params.slug ?? "", asOf: effectiveAsOf({ asOf: asOfParam }) });
  if (!letter) return jsonError(404, `There is no letter "${params.slug}".`);
  return Response.json({ data: letterDetailJson(letter) });
}

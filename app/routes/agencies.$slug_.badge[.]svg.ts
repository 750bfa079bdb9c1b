import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { today } from "~/domain/dates";
import { agencyBadge } from "~/domain/share";
import { badgeResponse } from "~/utils/badge-response.server";
import { requireUser } from "~/utils/permissions.server";
import { readInPool } from "~/utils/read-pool.server";

/** An embeddable badge of how an agency answers: "DOS answers | 36% of 11 · median 45 d". */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const facts = await readInPool("agencyBadge", { slug: params.slug ?? "", asOf: today() }, { context, request });
  if (!facts) throw data(`There is no agency "${params.slug}".`, { status: 404 });
  return badgeResponse(agencyBadge(facts));
}

import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { today } from "~/domain/dates";
import { agencyBadge } from "~/domain/share";
import { hasAgencyBadge } from "~/models/share.server";
import { badgeHeadResponse, badgeResponse } from "~/utils/badge-response.server";
import { requireUser } from "~/utils/permissions.server";
import { readInPool } from "~/utils/read-pool.server";

/**
 * An embeddable badge of how an agency answers: "DOS answers | 36% of 11 · median 45 d". A HEAD
 * gets the GET's status and headers without the agency's figures (a read in the pool, computed
 * when not kept, for a body Remix throws away): one read of the agency by its slug.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const slug = params.slug ?? "";
  if (request.method === "HEAD") {
    if (hasAgencyBadge({ slug })) return badgeHeadResponse();
  } else {
    const facts = await readInPool("agencyBadge", { slug, asOf: today() }, { context, request });
    if (facts) return badgeResponse(agencyBadge(facts));
  }
  throw data(`There is no agency "${params.slug}".`, { status: 404 });
}

import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { today } from "~/domain/dates";
import { letterBadge } from "~/domain/share";
import { letterShareFacts } from "~/models/share.server";
import { badgeResponse } from "~/utils/badge-response.server";
import { requireUser } from "~/utils/permissions.server";

/** An embeddable badge of the letter's state: "oversight letter | overdue · day 228". */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  // One letter by its key: a few indexed reads, as its page makes.
  const facts = letterShareFacts({ slug: params.slug ?? "", asOf: today() });
  if (!facts) throw data(`There is no letter "${params.slug}".`, { status: 404 });
  return badgeResponse(letterBadge(facts));
}

import { data, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { today } from "~/domain/dates";
import { letterBadge } from "~/domain/share";
import { hasLetterShare, letterShareFacts } from "~/models/share.server";
import { badgeHeadResponse, badgeResponse } from "~/utils/badge-response.server";
import { movedLetterSlug } from "~/models/letter-slugs.server";
import { requireUser } from "~/utils/permissions.server";

/**
 * An embeddable badge of the letter's state: "oversight letter | overdue · day 228". A HEAD gets
 * the GET's status and headers without reading the letter's state: one indexed read of the letter.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const slug = params.slug ?? "";
  const asOf = today();
  if (request.method === "HEAD") {
    if (hasLetterShare({ slug, asOf })) return badgeHeadResponse();
  } else {
    // One letter by its key: a few indexed reads, as its page makes.
    const facts = letterShareFacts({ slug, asOf });
    if (facts) return badgeResponse(letterBadge(facts));
  }
  // A renamed letter: badges and cards embedded elsewhere keep working at the old address.
  const moved = movedLetterSlug(slug);
  if (moved) throw redirect(`/letters/${moved}/badge.svg`, 301);
  throw data(`There is no letter "${slug}".`, { status: 404 });
}

import { data, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { today } from "~/domain/dates";
import { env } from "~/env.server";
import { movedLetterSlug } from "~/models/letter-slugs.server";
import { hasLetterShare } from "~/models/share.server";
import { requireUser } from "~/utils/permissions.server";
import { readInPool } from "~/utils/read-pool.server";

/**
 * The letter's card image for link previews ("Day 228 without an answer"), drawn in the read pool.
 * A HEAD gets the GET's status and headers without the drawing (seconds of CPU cold, for a body
 * Remix throws away): the image's length is not known without it, so it has none (RFC 9110 9.3.2),
 * unless the page cache already keeps the image.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const slug = params.slug ?? "";
  const asOf = today();
  if (request.method === "HEAD") {
    if (hasLetterShare({ slug, asOf })) return new Response(null, { headers: { "Content-Type": "image/png" } });
  } else {
    const png = await readInPool("letterCard", { slug, asOf, site: env.PUBLIC_URL }, { context, request });
    if (png) {
      return new Response(new Blob([png as Uint8Array<ArrayBuffer>]), {
        headers: { "Content-Type": "image/png", "Content-Length": String(png.byteLength) },
      });
    }
  }
  // A renamed letter: badges and cards embedded elsewhere keep working at the old address.
  const moved = movedLetterSlug(slug);
  if (moved) throw redirect(`/letters/${moved}/card.png`, 301);
  throw data(`There is no letter "${slug}".`, { status: 404 });
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { atomFeedXml } from "~/models/feeds.server";
import { env } from "~/env.server";
import { requireUser } from "~/utils/permissions.server";

/**
 * Atom (RFC 4287) feed of newly logged letters and responses, newest first. Ids and links are built
 * from PUBLIC_URL, never from the request's Host header (any caller can set that one).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  return new Response(atomFeedXml({ publicUrl: env.PUBLIC_URL }), {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8" },
  });
}

import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { today } from "~/domain/dates";
import { env } from "~/env.server";
import { requireUser } from "~/utils/permissions.server";
import { readInPool } from "~/utils/read-pool.server";

/** The letter's card image for link previews ("Day 228 without an answer"), drawn in the read pool. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const png = await readInPool("letterCard", { slug: params.slug ?? "", asOf: today(), site: env.PUBLIC_URL }, { context, request });
  if (!png) throw data(`There is no letter "${params.slug}".`, { status: 404 });
  return new Response(new Blob([png as Uint8Array<ArrayBuffer>]), {
    headers: { "Content-Type": "image/png", "Content-Length": String(png.byteLength) },
  });
}

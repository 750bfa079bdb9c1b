import type { LoaderFunctionArgs } from "@remix-run/node";
import { Feed } from "feed";
import { formatFactDate } from "~/domain/approximate-date";
import { formatDate } from "~/domain/dates";
import { COMPLETENESS_TERMS } from "~/domain/vocabulary";
import { recentActivity } from "~/models/feeds.server";
import { requireUser } from "~/utils/permissions.server";

/** Atom feed of newly logged letters and responses, newest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const origin = new URL(request.url).origin;
  const entries = recentActivity({ limit: 50 });
  const feed = new Feed({
    id: `${origin}/`,
    link: `${origin}/`,
    title: "Oversight Letter Tracker: new letters and responses",
    copyright: "Public record",
    updated: new Date(entries[0]?.createdAt ?? 0),
    feedLinks: { atom: `${origin}/feed.xml` },
  });
  for (const entry of entries) {
    const link = `${origin}/letters/${entry.letterSlug}`;
    feed.addItem(
      entry.kind === "letter"
        ? {
            id: `${origin}/letters/${entry.letterSlug}#letter`,
            title: `New letter: ${entry.letterTitle}`,
            link,
            date: new Date(entry.createdAt),
            description: `Sent ${formatDate(entry.on)}.${entry.summary ? ` ${entry.summary}` : ""}`,
          }
        : {
            id: `${origin}/letters/${entry.letterSlug}#response-${entry.key}`,
            title: `Response (${COMPLETENESS_TERMS.labelOf(entry.completeness ?? "").toLowerCase()}) to: ${entry.letterTitle}`,
            link,
            date: new Date(entry.createdAt),
            description: `Received ${formatFactDate(entry.on, entry.precision)} from ${entry.from}.${entry.summary ? ` ${entry.summary}` : ""}`,
          },
    );
  }
  return new Response(feed.atom1(), {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8" },
  });
}

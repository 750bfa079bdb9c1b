import { badgeSvg, type Badge } from "~/domain/share";

/**
 * An SVG badge as a response: an image that others embed, so it must not run anything in our
 * origin if opened directly (no script in it, and a policy that forbids any).
 */
export function badgeResponse(badge: Badge): Response {
  return new Response(badgeSvg(badge), {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    },
  });
}

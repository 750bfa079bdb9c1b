import { badgeSvg, type Badge } from "~/domain/share";

/**
 * An SVG badge's headers: an image that others embed, so it must not run anything in our origin if
 * opened directly (no script in it, and a policy that forbids any).
 */
const BADGE_HEADERS = {
  "Content-Type": "image/svg+xml; charset=utf-8",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
} as const;

/** An SVG badge as a response. */
export function badgeResponse(badge: Badge): Response {
  return new Response(badgeSvg(badge), { headers: BADGE_HEADERS });
}

/**
 * A HEAD of a badge that exists: its GET's headers, without computing the badge (RFC 9110 9.3.2).
 * The GET is streamed without a length, so this has none either.
 */
export function badgeHeadResponse(): Response {
  return new Response(null, { headers: BADGE_HEADERS });
}

/**
 * The answer to a page the server is too busy to render now (a refusal of the read pool's render or
 * heavy lane, app/utils/page-render.server.ts): 503 with Retry-After, never kept by any cache.
 *
 * A browser gets a small page of its own, readable on a phone and by a screen reader, with a link
 * to try the same address again and one to the overview; it is built here, not by Remix, since
 * rendering is what the server has no room for. Other clients (feeds, scripts) get the sentence
 * as plain text.
 */
import type { Request, Response } from "express";
import { escapeHtml } from "~/domain/html-escape";

export interface BusyRefusal {
  message: string;
  retryAfterSeconds: number;
}

export function busyPageHtml({ message, retryAfterSeconds }: BusyRefusal, pageUrl: string): string {
  const seconds = `${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}`;
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex">` +
    `<title>Busy: try again in a moment · Oversight Letter Tracker</title>` +
    `<style>body{font-family:system-ui,sans-serif;line-height:1.5;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}a{color:#0b4f8a}</style>` +
    `</head><body><main><h1>This page is busy</h1>` +
    `<p>${escapeHtml(message)}</p>` +
    `<p><a href="${escapeHtml(pageUrl)}">Try this page again</a> in ${seconds}, or go to <a href="/">the overview</a>.</p>` +
    `</main></body></html>`
  );
}

export function sendBusy(req: Request, res: Response, refusal: BusyRefusal): void {
  res.locals.doNotCache = true;
  res.status(503).set({ "Retry-After": String(refusal.retryAfterSeconds), "Cache-Control": "no-store" });
  // Added to what the response varies on already (Cookie: pages differ by sign-in), not in its place.
  res.vary("Accept");
  // The same address, as a path of this site ("//host/..." would be another site's).
  const again = `/${req.originalUrl.replace(/^[/\\]+/, "")}`;
  if (req.accepts(["text/plain", "text/html"]) === "text/html") res.type("html").send(busyPageHtml(refusal, again));
  else res.type("text/plain").send(refusal.message);
}

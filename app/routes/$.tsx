/** Catch-all: any address no other route claims is a 404 with the shared error page. */
import { data } from "@remix-run/node";
import type { MetaFunction } from "@remix-run/node";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Page not found · Oversight Letter Tracker" }];

export function loader() {
  throw data("There is no page at this address. It may have moved, or the link may be mistyped.", {
    status: 404,
  });
}

export default function NotFound() {
  return null;
}

export const ErrorBoundary = GeneralErrorBoundary;

import { printedAddress } from "~/domain/printed-address";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { env } from "~/env.server";
import { getCurrentUser } from "~/models/auth.server";
import { can } from "~/utils/permissions.server";
import { useNonce } from "~/components/nonce";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "alternate", type: "application/atom+xml", href: "/feed.xml", title: "New letters and responses" },
];

export const meta: MetaFunction = () => [
  { title: "Oversight Letter Tracker" },
  {
    name: "description",
    content: "Who in Congress asked the executive branch what, by when, and what came back.",
  },
];

/**
 * Who is signed in, for the header (each route checks its own permissions), the site's public
 * address (PUBLIC_URL, never the request's Host) for the printed page's live link, and the response window.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const publicUrl = env.PUBLIC_URL;
  const user = await getCurrentUser(request);
  // DEFAULT_RESPONSE_DAYS, for the label of an implied deadline (components/deadline-text.tsx).
  const defaultResponseDays = env.DEFAULT_RESPONSE_DAYS;
  if (!user) return { user: null, publicUrl, defaultResponseDays };
  const may = { edit: can(user, "letter:edit"), import: can(user, "import"), manageUsers: can(user, "users:manage") };
  return { user: { name: user.name, may }, publicUrl, defaultResponseDays };
}

/**
 * Paper has no address bar: a printed page starts with the live page's absolute address. Shown only in
 * print (the screen has the address bar); the briefing prints its own, with a QR code.
 */
function PrintedAddress() {
  const publicUrl = useRouteLoaderData<typeof loader>("root")?.publicUrl;
  const location = useLocation();
  if (!publicUrl) return null;
  // Never a signed link's token on paper (app/domain/printed-address.ts).
  const address = printedAddress(publicUrl, location.pathname, location.search);
  return (
    <p className="print-address" data-testid="print-address">
      Live page: <span className="wrap-anywhere">{address}</span>
    </p>
  );
}

function UserMenu() {
  const user = useRouteLoaderData<typeof loader>("root")?.user;
  if (!user) {
    return (
      <div className="user-menu">
        <NavLink to="/login">Sign in</NavLink>
      </div>
    );
  }
  return (
    <div className="user-menu">
      {user.may.edit ? <NavLink to="/letters/new">Log a letter</NavLink> : null}
      {user.may.import ? <NavLink to="/import">Import</NavLink> : null}
      {user.may.manageUsers ? <NavLink to="/admin/users">Users</NavLink> : null}
      <NavLink to="/account/follows">Alerts</NavLink>
      <NavLink to="/account/password" title="Change your password">
        {user.name}
      </NavLink>
      <Form method="post" action="/logout">
        <button type="submit" className="link-button">
          Sign out
        </button>
      </Form>
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <NavLink to="/" className="brand" end>
            Oversight Letter Tracker
          </NavLink>
          <nav aria-label="Main">
            <NavLink to="/" end>
              Overview
            </NavLink>
            <NavLink to="/letters">Letters</NavLink>
            <NavLink to="/questions">Questions</NavLink>
            <NavLink to="/agencies">Agencies</NavLink>
            <NavLink to="/answered">Who gets answered</NavLink>
            <NavLink to="/search">Search</NavLink>
          </nav>
          <UserMenu />
        </header>
        <PrintedAddress />
        <main id="main">{children}</main>
        <footer className="site-footer">
          Letters from members of Congress to the executive branch, their questions and the answers
          that came back. <a href="/data">Bulk data</a>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  // Marks the page once React has taken over (links navigate client-side from then on): what the
  // browser tests wait for before they click, instead of guessing with delays.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return <Outlet />;
}

export const ErrorBoundary = GeneralErrorBoundary;

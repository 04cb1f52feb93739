import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { type ReactNode, useEffect, useState } from "react";
import { hasRole } from "~/auth/permissions.server";
import { FocusOnNewPage } from "~/components/focus-on-new-page";
import { UnreadBadge, UnreadLink, useUnreadCount } from "~/components/unread";
import stylesUrl from "~/styles/app.css";
import { readFlash } from "~/utils/flash.server";
import "./load-context";
import { useNonce } from "~/utils/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Convene" },
  { name: "description", content: "Webinars, communities of practice and shared research on poverty and inequality in the UK." },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { flash, setCookie } = await readFlash(request);
  const viewer = context.auth.user;
  return data(
    {
      // What the header shows, no more: every page carries this, and members with the same
      // header share one rendering of a page (app/utils/render-cache.server.ts).
      viewer: viewer ? { isAdmin: hasRole(viewer, "admin"), unread: viewer.unread ?? 0 } : null,
      flash,
      devMailbox: context.devMailAllowed,
    },
    { headers: setCookie ? { "Set-Cookie": setCookie } : undefined },
  );
}

type RootData = Awaited<ReturnType<typeof loader>>["data"];

const NAV = [
  { to: "/events", label: "Events" },
  { to: "/communities", label: "Communities" },
  { to: "/hubs", label: "Moment hubs" },
  { to: "/directory", label: "Directory" },
  { to: "/data", label: "Data" },
];

function Header({ viewer }: { viewer: RootData["viewer"] | null }) {
  // On a phone the menu is behind a "Menu" button (once the page is interactive; without
  // JavaScript it is always shown). It closes when a link is followed.
  const [open, setOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setOpen(false), [location.pathname]);
  const unread = useUnreadCount(viewer?.unread ?? 0, !!viewer);
  return (
    <header className="site-header">
      <div className="inner">
        <Link to="/" className="brand">
          Convene
        </Link>
        <button type="button" className="menu-toggle" aria-expanded={open} aria-controls="site-nav" onClick={() => setOpen((o) => !o)}>
          Menu
          {open ? null : <UnreadBadge count={unread.count} />}
        </button>
        {/* Outside the menu, so it is heard when the menu is folded away on a phone. */}
        <span className="visually-hidden" aria-live="polite">
          {unread.said}
        </span>
        <nav className="site-nav" id="site-nav" aria-label="Main" data-open={open ? "true" : "false"}>
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <NavLink to={n.to}>{n.label}</NavLink>
              </li>
            ))}
          </ul>
          <div className="account">
            {viewer ? (
              <>
                {viewer.isAdmin ? <NavLink to="/admin">Admin</NavLink> : null}
                <UnreadLink count={unread.count} />
                <NavLink to="/me">My account</NavLink>
                <Form method="post" action="/logout" className="inline-form">
                  <button type="submit" className="linklike">
                    Log out
                  </button>
                </Form>
              </>
            ) : (
              <>
                <NavLink to="/login">Log in</NavLink>
                <NavLink to="/signup">Sign up</NavLink>
              </>
            )}
          </div>
        </nav>
      </div>
    </header>
  );
}

function Footer({ devMailbox }: { devMailbox: boolean }) {
  return (
    <footer className="site-footer">
      <div className="inner">
        <p>Convene: organisations working on poverty and inequality in the UK, convening.</p>
        <ul className="actions" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          <li>
            <Link to="/events">Events</Link>
          </li>
          <li>
            <Link to="/directory">Organisations</Link>
          </li>
          <li>
            <Link to="/principles">Shared principles</Link>
          </li>
          <li>
            <Link to="/accessibility">Accessibility</Link>
          </li>
          {devMailbox ? (
            <li>
              <Link to="/dev/mail">Dev mailbox</Link>
            </li>
          ) : null}
        </ul>
      </div>
    </footer>
  );
}

function Document({ children, root }: { children: ReactNode; root: RootData | undefined }) {
  const nonce = useNonce();
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          Skip to main content
        </a>
        <Header viewer={root?.viewer ?? null} />
        <main id="main" tabIndex={-1}>
          {root?.flash ? (
            <div className={`flash flash-${root.flash.kind}`} role="status">
              {root.flash.message}
            </div>
          ) : null}
          {children}
        </main>
        <Footer devMailbox={root?.devMailbox ?? false} />
        <FocusOnNewPage />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const root = useLoaderData<typeof loader>();
  // Lets tests (and curious people) know the page is interactive.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <Document root={root}>
      <Outlet />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const root = useRouteLoaderData<typeof loader>("root");
  let title = "Something went wrong";
  let message = "Something went wrong on our side. Please try again in a moment.";
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = "Page not found";
      message = "We could not find that page. It may have moved, or the address may be mistyped.";
    } else if (error.status === 403) {
      title = "Not allowed";
      message = typeof error.data === "string" && error.data ? error.data : "You do not have permission to see this.";
    } else if (error.status === 400) {
      title = "That did not work";
      message = typeof error.data === "string" && error.data ? error.data : "The request was not valid.";
    }
  }
  return (
    <Document root={root}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </Document>
  );
}

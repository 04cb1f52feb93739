import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { Time } from "~/components/time";
import { NotificationsForm } from "~/forms/notifications.server";
import { NEWS_KIND_INFO } from "~/models/notification-kinds";
import { markRead, notificationsOf } from "~/models/notifications.server";
import type { ActionForms } from "~/utils/forms.server";
import { oneMessage, parseForm } from "~/utils/forms.server";
import { done } from "~/utils/outcome";
import { respond } from "~/utils/results.server";

export const actionForms: ActionForms = [NotificationsForm];

export const meta: MetaFunction = () => [{ title: "Notifications · Convene" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const url = new URL(request.url);
  const beforeParam = url.searchParams.get("before");
  const before = beforeParam && !Number.isNaN(Date.parse(beforeParam)) ? new Date(beforeParam) : null;
  const unreadOnly = url.searchParams.get("show") === "unread";
  const { items, more } = await notificationsOf(viewer.id, { before, unreadOnly });
  return { items, more, unreadOnly, older: !!before };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const form = await parseForm(request, NotificationsForm);
  if (!form.ok) return respond(request, oneMessage(form), "/notifications");
  if (form.data.intent === "read-all") {
    const n = await markRead(viewer.id, null);
    return respond(request, done(n ? "Everything is marked as read." : "There was nothing unread."), "/notifications");
  }
  const n = await markRead(viewer.id, form.data.id);
  return respond(request, done(n ? "Marked as read." : "It was already read."), "/notifications");
}

/** Following a notification's link marks it read (without JavaScript, its button does). */
function markReadInBackground(id: string) {
  const body = new FormData();
  body.set("intent", "read");
  body.set("id", id);
  navigator.sendBeacon?.("/notifications?index", body);
}

export default function Notifications() {
  const { items, more, unreadOnly, older } = useLoaderData<typeof loader>();
  const unread = items.filter((i) => !i.read).length;
  return (
    <div className="narrow">
      <h1>Notifications</h1>
      <p className="lede">
        News of what you follow and things that need you. <Link to="/notifications/settings">Choose what you follow and what we email you</Link>.
      </p>
      <div className="actions">
        {unreadOnly ? <Link to="/notifications">Show all</Link> : <Link to="/notifications?show=unread">Show only unread</Link>}
        {unread > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="read-all" />
            <button type="submit" className="button secondary">
              Mark all as read
            </button>
          </Form>
        ) : null}
      </div>
      {items.length === 0 ? (
        <p>
          {unreadOnly ? "Nothing unread." : "Nothing yet."} Follow a community, a moment hub, an organisation or a series of events, and what happens there will
          be listed here.
        </p>
      ) : (
        <ul className="notification-list">
          {items.map((n) => (
            <li key={n.id} className={n.read ? "read" : "unread"}>
              <p className="notification-text">
                {n.read ? null : <span className="badge">New</span>}{" "}
                <Link to={n.path} onClick={n.read ? undefined : () => markReadInBackground(n.id)}>
                  {n.text}
                </Link>
                {n.changes > 1 ? ` (${n.changes} changes)` : null}
              </p>
              <p className="muted small">
                {n.spaceTitle} · {NEWS_KIND_INFO[n.kind].label} · <Time value={n.at} />
              </p>
              {n.read ? null : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="read" />
                  <input type="hidden" name="id" value={n.id} />
                  <button type="submit" className="link-button">
                    Mark as read<span className="visually-hidden">: {n.text}</span>
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
      {more || older ? (
        <p className="actions">
          {older ? <Link to={unreadOnly ? "/notifications?show=unread" : "/notifications"}>Back to the latest</Link> : null}
          {more ? (
            <Link to={`/notifications?${new URLSearchParams({ ...(unreadOnly ? { show: "unread" } : {}), before: more }).toString()}`}>
              Older notifications
            </Link>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}

import { NavLink } from "@remix-run/react";
import { useEffect, useState } from "react";
import { getSocket } from "~/realtime/client";

export const shownCount = (n: number) => (n > 99 ? "99+" : String(n));

/**
 * The signed-in person's unread notifications: the page's count, then live over the
 * socket. `said` is the polite announcement of a rise (never a focus move).
 */
export function useUnreadCount(initial: number, signedIn: boolean) {
  const [count, setCount] = useState(initial);
  const [said, setSaid] = useState("");
  // A new page's count (after reading, say) is the truth as of its loader.
  useEffect(() => setCount(initial), [initial]);
  useEffect(() => {
    const s = signedIn ? getSocket() : null;
    if (!s) return;
    const onUnread = ({ count: n }: { count: number }) => {
      setCount((before) => {
        if (n > before) setSaid(`${shownCount(n)} unread notification${n === 1 ? "" : "s"}.`);
        return n;
      });
    };
    s.on("notifications:unread", onUnread);
    return () => {
      s.off("notifications:unread", onUnread);
    };
  }, [signedIn]);
  return { count, said };
}

/** The count as a badge, with words for screen readers. */
export function UnreadBadge({ count, testId }: { count: number; testId?: string }) {
  if (count <= 0) return null;
  return (
    <>
      {" "}
      <span className="count-badge" data-testid={testId}>
        {shownCount(count)}
      </span>
      <span className="visually-hidden"> unread</span>
    </>
  );
}

/** "Notifications" in the header, with the unread count. */
export function UnreadLink({ count }: { count: number }) {
  return (
    <NavLink to="/notifications" className="unread-link">
      Notifications
      <UnreadBadge count={count} testId="unread-count" />
    </NavLink>
  );
}

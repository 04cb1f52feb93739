import { NavLink } from "@remix-run/react";
import { useEffect, useState } from "react";
import { getSocket } from "~/realtime/client";

const shown = (n: number) => (n > 99 ? "99+" : String(n));

/**
 * "Notifications" in the header, with the unread count. The count moves live over the
 * socket; the change is announced politely and never moves focus.
 */
export function UnreadLink({ initial }: { initial: number }) {
  const [count, setCount] = useState(initial);
  const [said, setSaid] = useState("");
  // A new page's count (after reading, say) is the truth as of its loader.
  useEffect(() => setCount(initial), [initial]);
  useEffect(() => {
    const s = getSocket();
    if (!s) return;
    const onUnread = ({ count: n }: { count: number }) => {
      setCount((before) => {
        if (n > before) setSaid(`${shown(n)} unread notification${n === 1 ? "" : "s"}.`);
        return n;
      });
    };
    s.on("notifications:unread", onUnread);
    return () => {
      s.off("notifications:unread", onUnread);
    };
  }, []);
  return (
    <>
      <NavLink to="/notifications" className="unread-link">
        Notifications
        {count > 0 ? (
          <>
            {" "}
            <span className="count-badge" data-testid="unread-count">
              {shown(count)}
            </span>
            <span className="visually-hidden"> unread</span>
          </>
        ) : null}
      </NavLink>
      <span className="visually-hidden" role="status" aria-live="polite">
        {said}
      </span>
    </>
  );
}

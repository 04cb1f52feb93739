import { Form, useLocation } from "@remix-run/react";
import type { FollowKind } from "../../db/schema";

/**
 * "Follow" or "Following · stop" for a community, hub, organisation or series: a form to
 * /follows that comes back to this page. Signed-out visitors are not shown it.
 */
export function FollowButton({ kind, id, following, name }: { kind: FollowKind; id: string; following: boolean; name: string }) {
  const location = useLocation();
  return (
    <Form method="post" action="/follows" className="inline-form follow-form">
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="returnTo" value={location.pathname + location.search} />
      {following ? (
        <>
          <span className="badge">You follow this</span>{" "}
          <button type="submit" name="intent" value="unfollow" className="link-button">
            Stop following <span className="visually-hidden">{name}</span>
          </button>
        </>
      ) : (
        <button type="submit" name="intent" value="follow" className="button secondary">
          Follow <span className="visually-hidden">{name}</span>
        </button>
      )}
    </Form>
  );
}

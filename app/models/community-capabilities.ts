import type { Community } from "../../db/schema";

// Who may do what with a community, decided once: the community page shows what this
// returns, and the model's guards (communities.server.ts) refuse what it does not allow.
// Pure: unit-tested on its own (tests/unit/capabilities.test.ts). Lists, counts, feeds and
// threads use the same rule as SQL (`communityReadableBy` in visibility.server.ts).

/** Where a person stands towards one community. */
export type CommunityStanding = {
  signedIn: boolean;
  status: "none" | "pending" | "active";
  role: "member" | "facilitator" | null;
  isAdmin: boolean;
};

export const NO_STANDING: CommunityStanding = { signedIn: false, status: "none", role: null, isAdmin: false };

export type CommunityCapabilities = ReturnType<typeof communityCapabilities>;

export function communityCapabilities(community: Pick<Community, "visibility" | "joinPolicy">, who: CommunityStanding) {
  const isPublic = community.visibility === "public";
  /**
   * A private community exists only for its members, people with a pending request (they
   * already know of it) and admins; everyone else gets the same 404 as for a missing one.
   */
  const see = isPublic || who.isAdmin || who.status !== "none";
  /** Its about text, events, feed and discussion (a pending requester sees only its name and their request). */
  const read = isPublic || who.isAdmin || who.status === "active";
  const facilitate = who.isAdmin || who.role === "facilitator";
  return {
    see,
    read,
    /** Members' names are public only in open, public communities. */
    seeMembers: (isPublic && community.joinPolicy === "open") || who.isAdmin || who.status === "active",
    /** "join" at once, "ask" the facilitators, or null (signed out, already in, or not visible). */
    join: see && who.signedIn && who.status === "none" ? (community.joinPolicy === "open" ? ("join" as const) : ("ask" as const)) : null,
    leave: who.status === "active",
    withdraw: who.status === "pending",
    /** Answer join requests, invite by email, appoint and stand down facilitators. */
    facilitate,
    /** Take part in its discussion (members; admins moderate without joining). */
    post: who.status === "active",
  };
}

// Who may do what on a moment hub, decided once: the hub page shows what this returns, and
// the models' guards (proposing in tasks.server.ts, curating through task-capabilities.ts,
// moderating its discussion in threads.server.ts) refuse what it does not allow. Pure:
// unit-tested on its own (tests/unit/capabilities.test.ts). Editing a hub and appointing
// its stewards are Convene's admins' (hubs.server.ts, ADMINS_ONLY).

/** Where a person stands towards one hub. */
export type HubStanding = {
  signedIn: boolean;
  verified: boolean;
  /** A steward of this hub, or one of Convene's admins. */
  isSteward: boolean;
};

export const NO_HUB_STANDING: HubStanding = { signedIn: false, verified: false, isSteward: false };

export type HubCapabilities = ReturnType<typeof hubCapabilities>;

export function hubCapabilities(who: HubStanding) {
  return {
    /** Propose research tasks (and, with an organisation, claim them): verified people. */
    propose: who.verified,
    /** Signed in but unverified: the page says to confirm the address first. */
    confirmFirst: who.signedIn && !who.verified,
    /** Merge and reassign tasks, release or drop any, moderate the discussion. */
    curate: who.isSteward,
  };
}

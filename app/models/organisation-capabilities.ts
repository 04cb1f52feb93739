// Who may do what with an organisation's profile, decided once: the profile page shows
// what this returns, and the model's guards (orgs.server.ts) refuse what it does not
// allow. Pure: unit-tested on its own (tests/unit/capabilities.test.ts).

/** Where a person stands towards one organisation. */
export type OrganisationStanding = {
  signedIn: boolean;
  verified: boolean;
  status: "none" | "pending" | "active";
  role: "member" | "admin" | null;
  /** One of Convene's admins. */
  isSiteAdmin: boolean;
};

export const NO_ORGANISATION_STANDING: OrganisationStanding = { signedIn: false, verified: false, status: "none", role: null, isSiteAdmin: false };

export type OrganisationCapabilities = ReturnType<typeof organisationCapabilities>;

export function organisationCapabilities(who: OrganisationStanding) {
  /** Its admins, and Convene's admins. */
  const manage = who.isSiteAdmin || (who.status === "active" && who.role === "admin");
  return {
    /** Edit the profile, answer requests to join, make and unmake admins. */
    manage,
    /** Ask to join ("I work here"): verified people not yet in it. */
    requestToJoin: who.verified && who.status === "none",
    /** Signed in but unverified: the page says to confirm the address first. */
    confirmFirst: who.signedIn && !who.verified && who.status === "none",
    leave: who.status === "active",
    withdraw: who.status === "pending",
    /** Mark it as an anchor partner (Convene's admins only). */
    markAnchor: who.isSiteAdmin,
  };
}

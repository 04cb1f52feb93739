import { describe, expect, it } from "vitest";
import { type CommunityStanding, communityCapabilities, NO_STANDING } from "../../app/models/community-capabilities";
import { hubCapabilities, NO_HUB_STANDING } from "../../app/models/hub-capabilities";
import { NO_ORGANISATION_STANDING, type OrganisationStanding, organisationCapabilities } from "../../app/models/organisation-capabilities";

// Each page shows what its subject's capabilities return and the model's guards refuse
// what they do not allow: the rules are checked here over every kind of community and
// every kind of person, beside the integration tests that drive the guards themselves.

const KINDS_OF_COMMUNITY = [
  { visibility: "public", joinPolicy: "open" },
  { visibility: "public", joinPolicy: "approval" },
  { visibility: "private", joinPolicy: "approval" },
  { visibility: "private", joinPolicy: "open" },
] as const;

const inCommunity = (over: Partial<CommunityStanding>): CommunityStanding => ({ signedIn: true, status: "none", role: null, isAdmin: false, ...over });
const COMMUNITY_PEOPLE: Record<string, CommunityStanding> = {
  "signed out": NO_STANDING,
  outsider: inCommunity({}),
  requester: inCommunity({ status: "pending" }),
  member: inCommunity({ status: "active", role: "member" }),
  facilitator: inCommunity({ status: "active", role: "facilitator" }),
  admin: inCommunity({ isAdmin: true }),
};

describe("community capabilities", () => {
  for (const c of KINDS_OF_COMMUNITY) {
    for (const [kind, who] of Object.entries(COMMUNITY_PEOPLE)) {
      it(`${c.visibility} ${c.joinPolicy} community, ${kind}`, () => {
        const can = communityCapabilities(c, who);
        const inside = who.status === "active";
        // A private community does not exist for outsiders; a requester knows only its name.
        expect(can.see).toBe(c.visibility === "public" || who.isAdmin || who.status !== "none");
        expect(can.read).toBe(c.visibility === "public" || who.isAdmin || inside);
        expect(can.seeMembers).toBe((c.visibility === "public" && c.joinPolicy === "open") || who.isAdmin || inside);
        // Exactly one of join / leave / withdraw for someone signed in who can see it (admins may join too).
        const offers = [can.join, can.leave || null, can.withdraw || null].filter(Boolean);
        expect(offers.length).toBe(who.signedIn && can.see ? 1 : 0);
        if (can.join) expect(can.join).toBe(c.joinPolicy === "open" ? "join" : "ask");
        expect(can.facilitate).toBe(who.isAdmin || who.role === "facilitator");
        expect(can.post).toBe(inside);
        // What is hidden is never offered.
        if (!can.see) expect(can.read || can.seeMembers || can.post).toBe(false);
      });
    }
  }
});

const inOrganisation = (over: Partial<OrganisationStanding>): OrganisationStanding => ({
  signedIn: true,
  verified: true,
  status: "none",
  role: null,
  isSiteAdmin: false,
  ...over,
});
const ORGANISATION_PEOPLE: Record<string, OrganisationStanding> = {
  "signed out": NO_ORGANISATION_STANDING,
  unverified: inOrganisation({ verified: false }),
  outsider: inOrganisation({}),
  requester: inOrganisation({ status: "pending" }),
  member: inOrganisation({ status: "active", role: "member" }),
  "its admin": inOrganisation({ status: "active", role: "admin" }),
  "an admin whose membership is pending": inOrganisation({ status: "pending", role: null }),
  "Convene's admin": inOrganisation({ isSiteAdmin: true }),
};

describe("organisation capabilities", () => {
  for (const [kind, who] of Object.entries(ORGANISATION_PEOPLE)) {
    it(kind, () => {
      const can = organisationCapabilities(who);
      expect(can.manage).toBe(who.isSiteAdmin || (who.status === "active" && who.role === "admin"));
      expect(can.markAnchor).toBe(who.isSiteAdmin);
      // At most one way in or out is offered, and only to someone signed in.
      const offers = [can.requestToJoin, can.confirmFirst, can.leave, can.withdraw].filter(Boolean);
      expect(offers.length).toBe(who.signedIn ? 1 : 0);
      if (can.requestToJoin) expect(who.verified).toBe(true);
    });
  }
});

describe("hub capabilities", () => {
  it("proposing needs a confirmed address; curating needs a steward (or admin)", () => {
    expect(hubCapabilities(NO_HUB_STANDING)).toEqual({ propose: false, confirmFirst: false, curate: false });
    expect(hubCapabilities({ signedIn: true, verified: false, isSteward: false })).toEqual({ propose: false, confirmFirst: true, curate: false });
    expect(hubCapabilities({ signedIn: true, verified: true, isSteward: false })).toEqual({ propose: true, confirmFirst: false, curate: false });
    expect(hubCapabilities({ signedIn: true, verified: true, isSteward: true })).toEqual({ propose: true, confirmFirst: false, curate: true });
  });
});

import { describe, expect, it } from "vitest";
import { NEXT_STATUS, type TaskStanding, taskCapabilities } from "../../app/models/task-capabilities";
import { TASK_STATUSES } from "../../db/schema";

// The task page shows what taskCapabilities returns and the model's guards refuse what it
// does not allow: so the rule is checked here, over every status and kind of person.

const nobody = null;
const person = (over: Partial<TaskStanding> = {}): TaskStanding => ({
  verified: true,
  isLead: false,
  isCollaborator: false,
  isSteward: false,
  organisationCount: 1,
  ...over,
});
const kinds: Record<string, TaskStanding | null> = {
  "signed out": nobody,
  unverified: person({ verified: false }),
  "without an organisation": person({ organisationCount: 0 }),
  member: person(),
  lead: person({ isLead: true }),
  collaborator: person({ isCollaborator: true }),
  steward: person({ isSteward: true }),
};

describe("task capabilities", () => {
  for (const status of TASK_STATUSES) {
    for (const [kind, who] of Object.entries(kinds)) {
      it(`${status} task, ${kind}`, () => {
        const leadUserId = status === "open" ? null : "someone";
        const can = taskCapabilities({ status, leadUserId, mergedIntoId: null }, who);
        const finished = status === "dropped" || status === "published";
        // Signed out: nothing at all.
        if (!who) expect(Object.entries(can).filter(([k, v]) => k !== "claimable" && v)).toEqual([]);
        // Claiming: an open task, a verified person acting for an organisation.
        expect(can.claim).toBe(status === "open" && !!who?.verified && who.organisationCount > 0);
        // Moving on: only the lead or a collaborator, one step along the one path.
        expect(can.advance).toBe(who && (who.isLead || who.isCollaborator) ? (NEXT_STATUS[status] ?? null) : null);
        // Releasing: the lead or a steward, while the work has not reached review.
        expect(can.release).toBe(!!who && (who.isLead || who.isSteward) && (status === "claimed" || status === "in_progress"));
        expect(can.drop).toBe(!!who && (who.isLead || who.isSteward) && status !== "dropped");
        expect(can.reopen).toBe(!!who && (who.isLead || who.isSteward) && status === "dropped");
        expect(can.reassign).toBe(!!who?.isSteward && !finished);
        // Nobody joins finished work, or work they already lead or help with.
        if (finished || who?.isLead || who?.isCollaborator) expect(can.join).toBe(false);
        expect(can.leave).toBe(!!who?.isCollaborator);
      });
    }
  }

  it("a merged task cannot be claimed or merged again", () => {
    const can = taskCapabilities({ status: "open", leadUserId: null, mergedIntoId: "other" }, person({ isSteward: true }));
    expect([can.claimable, can.claim, can.merge]).toEqual([false, false, false]);
  });
});

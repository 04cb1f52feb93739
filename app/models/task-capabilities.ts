import type { Task, TaskStatus } from "../../db/schema";

// Who may do what with a task, decided once: the task page shows the buttons this returns,
// and the model's guards (tasks.server.ts) refuse what it does not allow. Pure: no database,
// so it is unit-tested on its own (tests/unit/task-capabilities.test.ts).

/** The one forward path of a task's work. */
export const NEXT_STATUS: Partial<Record<TaskStatus, TaskStatus>> = { claimed: "in_progress", in_progress: "in_review", in_review: "published" };

/** Where a person stands towards one task. */
export type TaskStanding = {
  verified: boolean;
  isLead: boolean;
  isCollaborator: boolean;
  isSteward: boolean;
  /** How many organisations they actively belong to (leading needs one). */
  organisationCount: number;
};

export type TaskCapabilities = ReturnType<typeof taskCapabilities>;

export function taskCapabilities(task: Pick<Task, "status" | "leadUserId" | "mergedIntoId">, who: TaskStanding | null) {
  const finished = task.status === "dropped" || task.status === "published";
  const working = !!who && (who.isLead || who.isCollaborator);
  const leadOrSteward = !!who && (who.isLead || who.isSteward);
  const claimable = task.status === "open" && !task.leadUserId && !task.mergedIntoId;
  return {
    /** Open and without a lead: someone may take it. */
    claimable,
    /** This person may take the lead (verified, and acting for an organisation). */
    claim: claimable && !!who?.verified && who.organisationCount > 0,
    /** Help with it (the page offers this once someone leads it; an open one it offers to claim). */
    join: !!who?.verified && !who.isLead && !who.isCollaborator && !finished,
    leave: !!who?.isCollaborator,
    /** The status this person may move the task on to, if any. */
    advance: working ? (NEXT_STATUS[task.status] ?? null) : null,
    release: leadOrSteward && (task.status === "claimed" || task.status === "in_progress"),
    drop: leadOrSteward && task.status !== "dropped",
    reopen: leadOrSteward && task.status === "dropped",
    reassign: !!who?.isSteward && !finished,
    merge: !!who?.isSteward && !task.mergedIntoId,
    /** Link catalogue sources to it, and unlink them: the people doing the work and the hub's stewards. */
    linkSources: !!who?.verified && (working || who.isSteward) && !task.mergedIntoId,
    /** Say which research skills it needs ("help wanted"). */
    askSkills: !!who?.verified && leadOrSteward && !finished && !task.mergedIntoId,
    /** Offer to help: to a lead, by someone not already working on it. */
    offerHelp: !!who?.verified && !!task.leadUserId && !who.isLead && !who.isCollaborator && !finished && !task.mergedIntoId,
    /** Accept or decline offers of help. */
    decideOffers: leadOrSteward,
  };
}

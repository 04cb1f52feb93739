import type { TaskStatus } from "../../db/schema";
import { STATUS_LABELS } from "./task-status";

// The sentences of a task's history, in one place: the model writes them as things happen,
// and the demo seed writes the same ones for the history it makes up.

const status = (s: TaskStatus) => STATUS_LABELS[s].toLowerCase();

export const historySentence = {
  proposed: (who: string) => `${who} proposed the task`,
  claimed: (who: string, organisation: string) => `${who} claimed the task for ${organisation}`,
  joined: (who: string, organisation: string | null) => `${who}${organisation ? ` of ${organisation}` : ""} joined as a collaborator`,
  left: (who: string) => `${who} stopped collaborating`,
  moved: (who: string, from: TaskStatus, to: TaskStatus) => `${who} moved it from ${status(from)} to ${status(to)}`,
  released: (previousLead: string) => `${previousLead} released the task`,
  unassigned: (steward: string, previousLead: string) => `${steward} (steward) unassigned ${previousLead}`,
  dropped: (who: string, reason: string) => `${who} dropped the task: ${reason}`,
  reopened: (who: string, reason: string) => `${who} reopened the task: ${reason}`,
  reassigned: (steward: string, lead: string, organisation: string, previousLead: string | null) =>
    `${steward} (steward) made ${lead} of ${organisation} the lead${previousLead ? ` instead of ${previousLead}` : ""}`,
  mergedAway: (steward: string, intoTitle: string) => `${steward} (steward) merged this task into “${intoTitle}”`,
  mergedIn: (steward: string, fromTitle: string) => `${steward} (steward) merged “${fromTitle}” into this task`,
  leadLeftConvene: () => "The task was released because its lead left Convene",
  linkedSources: (who: string, names: string[]) => `${who} linked ${names.join(", ")} from the data catalogue`,
  unlinkedSource: (who: string, name: string) => `${who} unlinked ${name}`,
  askedForSkills: (who: string, skills: string) => (skills ? `${who} asked for help with ${skills}` : `${who} stopped asking for help`),
  offerAccepted: (who: string, organisation: string | null, decider: string) =>
    `${who}${organisation ? ` of ${organisation}` : ""} joined as a collaborator (${decider} accepted their offer to help)`,
};

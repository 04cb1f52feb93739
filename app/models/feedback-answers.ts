// The answers to "was it accessible?": shared by the feedback form, the organisers' page
// and the model (client-safe: no server code here).
import { ACCESSIBLE_ANSWERS } from "../../db/schema";

export { ACCESSIBLE_ANSWERS };
export type AccessibleAnswer = (typeof ACCESSIBLE_ANSWERS)[number];

export const ACCESSIBLE_LABELS: Record<AccessibleAnswer, string> = {
  yes: "Yes, what I needed worked",
  partly: "Partly",
  no: "No",
  not_needed: "I did not need any",
};

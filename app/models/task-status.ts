import type { TaskStatus } from "../../db/schema";

// Labels for task statuses: shared by the server rules and the pages (no server code here).
export const STATUS_LABELS: Record<TaskStatus, string> = {
  open: "Open",
  claimed: "Claimed",
  in_progress: "In progress",
  in_review: "In review",
  published: "Published",
  dropped: "Dropped",
};

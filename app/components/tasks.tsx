import { Link } from "@remix-run/react";
import { STATUS_LABELS } from "~/models/task-status";

const STATUS_TEXT: Record<string, string> = STATUS_LABELS;

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{STATUS_TEXT[status] ?? status}</span>;
}

type CardTask = {
  id: string;
  title: string;
  status: string;
  dueDate: string | null;
  tags: string[];
  leadName: string | null;
  leadOrgName: string | null;
  collaborators: { name: string; org: string | null }[];
};

// Made once: building a DateTimeFormat costs far more than formatting with one.
const LONG_DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "Europe/London" });
const SHORT_DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "Europe/London" });
const fmtDate = (d: string) => LONG_DATE.format(new Date(`${d}T12:00:00Z`));
/** A due date on a board, where the year is the moment's: "24 Dec". */
const fmtShortDate = (d: string) => SHORT_DATE.format(new Date(`${d}T12:00:00Z`));

/** A task on a board or in a list; `compact` (the hub's board) leaves the tags to the task's page. */
export function TaskCard({ task, hubSlug, headingLevel = 3, compact = false }: { task: CardTask; hubSlug: string; headingLevel?: 3 | 4; compact?: boolean }) {
  const H = headingLevel === 3 ? "h3" : "h4";
  return (
    <article className="task-card" data-task-id={task.id}>
      <H>
        <Link to={`/hubs/${hubSlug}/tasks/${task.id}`}>{task.title}</Link>
      </H>
      <p className="muted small">
        {task.leadName ? (
          <>
            Led by {task.leadName}
            {task.leadOrgName && !compact ? ` of ${task.leadOrgName}` : ""}
          </>
        ) : (
          "Unclaimed"
        )}
        {task.collaborators.length ? ` · ${task.collaborators.length} helping` : ""}
        {task.dueDate ? ` · due ${compact ? fmtShortDate(task.dueDate) : fmtDate(task.dueDate)}` : ""}
      </p>
      {task.tags.length && !compact ? (
        <p className="tags">
          {task.tags.map((t) => (
            <span key={t} className="tag">
              {t}
            </span>
          ))}
        </p>
      ) : null}
    </article>
  );
}

export { fmtDate };

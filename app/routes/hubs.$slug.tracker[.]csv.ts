import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { findHub } from "~/models/hubs.server";
import { boardTasks } from "~/models/task-reads.server";
import { STATUS_LABELS } from "~/models/tasks.server";

// The research tracker as CSV, for spreadsheets and funders' reports.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const hub = await findHub(params.slug ?? "");
  if (!hub) throw new Response("Not found", { status: 404 });
  const tasks = await boardTasks(hub.id);
  const rows = tasks.map((t) => [
    t.title,
    t.question,
    STATUS_LABELS[t.status],
    t.leadName ?? "",
    t.leadOrgName ?? "",
    t.collaborators.map((c) => (c.org ? `${c.name} (${c.org})` : c.name)).join("; "),
    t.tags.join("; "),
    t.dueDate ?? "",
    t.dataSources,
    t.outputUrl ?? "",
    `${context.appUrl}/hubs/${hub.slug}/tasks/${t.id}`,
  ]);
  // A leading quote stops spreadsheet apps treating a cell starting with = + - @ as a formula.
  const safe = rows.map((r) => r.map((v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)));
  const csv = stringify([
    ["Title", "Question", "Status", "Lead", "Lead organisation", "Collaborators", "Tags", "Due", "Data sources", "Output", "Link"],
    ...safe,
  ]);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${hub.slug}-tracker.csv"`,
    },
  });
}

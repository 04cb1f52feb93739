import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { GapSearchParams } from "~/forms/data.server";
import { gapsForExport } from "~/models/data-gaps.server";
import { GAP_GROUP_LABELS, GAP_KIND_LABELS, GAP_STATUS_LABELS, PLACE_LEVEL_LABELS } from "~/models/data-source-facets";

// The data-gap register as CSV, for advocacy: the gaps this person may see, as filtered.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const f = GapSearchParams.parse(Object.fromEntries(new URL(request.url).searchParams));
  const gaps = await gapsForExport(f, context.auth.user);
  const rows = gaps.map((g) => [
    g.question,
    GAP_KIND_LABELS[g.kind],
    GAP_STATUS_LABELS[g.status],
    g.places,
    g.placeLevels.map((l) => PLACE_LEVEL_LABELS[l]).join("; "),
    g.groups.map((x) => GAP_GROUP_LABELS[x]).join("; "),
    g.sources.join("; "),
    g.shortfall,
    String(g.endorsements),
    g.endorsedBy.join("; "),
    g.raisedFor ?? "",
    g.hub ?? "",
    g.createdAt.toISOString().slice(0, 10),
    `${context.appUrl}/data/gaps/${g.id}`,
  ]);
  // A leading quote stops spreadsheet apps treating a cell starting with = + - @ as a formula.
  const safe = rows.map((r) => r.map((v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)));
  const csv = stringify([
    [
      "Question",
      "Kind",
      "Status",
      "Places",
      "Missing figures for",
      "Groups affected",
      "Sources that fall short",
      "How they fall short",
      "Endorsements",
      "Endorsed by",
      "Raised for",
      "Hub",
      "Raised on",
      "Link",
    ],
    ...safe,
  ]);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="convene-data-gaps.csv"',
      // A member's export can hold their private community's gaps.
      "Cache-Control": context.auth.user ? "private, no-store" : "public, max-age=60",
    },
  });
}

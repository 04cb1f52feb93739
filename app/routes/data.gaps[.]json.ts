import type { LoaderFunctionArgs } from "@remix-run/node";
import { GapSearchParams } from "~/forms/data.server";
import { gapsForExport } from "~/models/data-gaps.server";

// The data-gap register as JSON, for advocacy and other tools: the gaps this person may see.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const f = GapSearchParams.parse(Object.fromEntries(new URL(request.url).searchParams));
  const gaps = await gapsForExport(f, context.auth.user);
  const body = {
    name: "Convene data-gap register",
    url: `${context.appUrl}/data/gaps`,
    generatedAt: new Date().toISOString(),
    gaps: gaps.map((g) => ({
      url: `${context.appUrl}/data/gaps/${g.id}`,
      question: g.question,
      kind: g.kind,
      status: g.status,
      places: g.places,
      missingFiguresFor: g.placeLevels,
      groupsAffected: g.groups,
      sourcesThatFallShort: g.sources,
      howTheyFallShort: g.shortfall,
      endorsements: g.endorsements,
      endorsedBy: g.endorsedBy,
      raisedFor: g.raisedFor,
      hub: g.hub,
      raisedOn: g.createdAt.toISOString(),
      updatedOn: g.updatedAt.toISOString(),
    })),
  };
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": 'inline; filename="convene-data-gaps.json"',
      "Cache-Control": context.auth.user ? "private, no-store" : "public, max-age=60",
    },
  });
}

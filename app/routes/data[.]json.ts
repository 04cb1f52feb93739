import type { LoaderFunctionArgs } from "@remix-run/node";
import { catalogueJsonLd } from "~/models/data-sources.server";

// The published catalogue as JSON-LD (a schema.org DataCatalog of Datasets), for export.
export async function loader({ context }: LoaderFunctionArgs) {
  return new Response(JSON.stringify(await catalogueJsonLd(context.appUrl), null, 2), {
    headers: { "Content-Type": "application/ld+json; charset=utf-8", "Content-Disposition": 'inline; filename="convene-data-catalogue.json"' },
  });
}

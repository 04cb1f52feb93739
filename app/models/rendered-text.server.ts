import { eq, isNull, or } from "drizzle-orm";
import { type DbOrTx, db, schema } from "../utils/db.server";
import { renderMarkdown, renderStored } from "../utils/markdown.server";

// Markdown written by people is rendered once, when it is saved, and stored beside its
// source: pages show the stored HTML, feeds and emails the stored text. Rendering a
// hostile text once at save time (where it is also refused if too deep) instead of on
// every view means no list, page or feed depends on rendering anything.
//
// Rows saved before the columns existed (and rows the seed inserts directly) have null
// there: `renderPendingMarkdown` fills them at start, and until then the readers below
// render on the fly, which never throws.

export const eventTexts = (description: string) => {
  const r = renderStored(description);
  return { descriptionHtml: r.html, descriptionText: r.text };
};
export const hubTexts = eventTexts;
export const taskTexts = (description: string) => ({ descriptionHtml: renderMarkdown(description) });
export const communityTexts = (about: string) => ({ aboutHtml: renderMarkdown(about) });
export const materialsTexts = (materials: string) => ({ materialsHtml: materials ? renderMarkdown(materials) : "" });

/** The stored HTML, or a fresh (safe) rendering of a row saved before it was stored. */
export const storedHtml = (html: string | null | undefined, source: string | null | undefined) => html ?? renderMarkdown(source);
export const storedText = (text: string | null | undefined, source: string | null | undefined) => text ?? renderStored(source).text;

/** Fills every rendered column still null. Returns how many rows it rendered. */
export async function renderPendingMarkdown(tx: DbOrTx = db): Promise<number> {
  let n = 0;
  const events = await tx
    .select({ id: schema.events.id, description: schema.events.description, materials: schema.events.materials })
    .from(schema.events)
    .where(or(isNull(schema.events.descriptionHtml), isNull(schema.events.descriptionText), isNull(schema.events.materialsHtml)));
  for (const e of events) {
    await tx
      .update(schema.events)
      .set({ ...eventTexts(e.description), ...materialsTexts(e.materials) })
      .where(eq(schema.events.id, e.id));
    n++;
  }
  const hubs = await tx
    .select({ id: schema.hubs.id, description: schema.hubs.description })
    .from(schema.hubs)
    .where(or(isNull(schema.hubs.descriptionHtml), isNull(schema.hubs.descriptionText)));
  for (const h of hubs) {
    await tx.update(schema.hubs).set(hubTexts(h.description)).where(eq(schema.hubs.id, h.id));
    n++;
  }
  const tasks = await tx.select({ id: schema.tasks.id, description: schema.tasks.description }).from(schema.tasks).where(isNull(schema.tasks.descriptionHtml));
  for (const t of tasks) {
    await tx.update(schema.tasks).set(taskTexts(t.description)).where(eq(schema.tasks.id, t.id));
    n++;
  }
  const communities = await tx
    .select({ id: schema.communities.id, about: schema.communities.about })
    .from(schema.communities)
    .where(isNull(schema.communities.aboutHtml));
  for (const c of communities) {
    await tx.update(schema.communities).set(communityTexts(c.about)).where(eq(schema.communities.id, c.id));
    n++;
  }
  return n;
}

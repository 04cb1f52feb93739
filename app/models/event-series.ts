// A weekly series shown once: each date is still its own event (its own places and page),
// but a list shows the series at its first date there, listing the others. Client-safe.

type Dated = { seriesId: string | null; slug: string; startsAt: string; endsAt: string; timeZone: string; state: string };
export type OtherDate = Pick<Dated, "slug" | "startsAt" | "endsAt" | "timeZone" | "state">;

/** The events in their order, each series once (at its first date in the list) with its other dates. */
export function groupSeries<E extends Dated>(events: E[]): (E & { otherDates: OtherDate[] })[] {
  const cards: (E & { otherDates: OtherDate[] })[] = [];
  const bySeries = new Map<string, (typeof cards)[number]>();
  for (const e of events) {
    const first = e.seriesId ? bySeries.get(e.seriesId) : undefined;
    if (first) {
      first.otherDates.push({ slug: e.slug, startsAt: e.startsAt, endsAt: e.endsAt, timeZone: e.timeZone, state: e.state });
      continue;
    }
    const card = { ...e, otherDates: [] };
    cards.push(card);
    if (e.seriesId) bySeries.set(e.seriesId, card);
  }
  return cards;
}

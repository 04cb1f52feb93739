// Disclosure control for published figures about people (the payments transparency page).
// A cell counting fewer than MIN_PEOPLE people is not shown (primary suppression); where a
// row's total is shown and only one of its cells is hidden, the hidden cell could be had by
// subtracting the others from the total, so the smallest other cell with people in it is
// hidden too (complementary suppression). A total under MIN_PEOPLE hides the whole row.

export const MIN_PEOPLE = 5;

export type Figure = { people: number; pence: number; medianDays: number | null };
export type Shown = { state: "shown"; figure: Figure } | { state: "hidden" } | { state: "none" };

/** One row (a quarter): its cells (one per group, absent = nobody) and its total, after suppression. */
export function suppressRow<K extends string>(
  groups: readonly K[],
  cells: Partial<Record<K, Figure>>,
  total: Figure,
): { cells: Record<K, Shown>; total: Shown } {
  const out = {} as Record<K, Shown>;
  const withPeople = groups.filter((g) => (cells[g]?.people ?? 0) > 0);
  for (const g of groups) out[g] = { state: "none" };
  if (total.people < MIN_PEOPLE) {
    for (const g of withPeople) out[g] = { state: "hidden" };
    return { cells: out, total: { state: "hidden" } };
  }
  const hidden = new Set(withPeople.filter((g) => (cells[g]?.people ?? 0) < MIN_PEOPLE));
  if (hidden.size === 1) {
    const others = withPeople
      .filter((g) => !hidden.has(g))
      .sort((a, b) => (cells[a]?.people ?? 0) - (cells[b]?.people ?? 0) || (cells[a]?.pence ?? 0) - (cells[b]?.pence ?? 0));
    if (others.length) hidden.add(others[0]);
  }
  for (const g of withPeople) out[g] = hidden.has(g) ? { state: "hidden" } : { state: "shown", figure: cells[g]! };
  return { cells: out, total: { state: "shown", figure: total } };
}

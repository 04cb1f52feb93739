const fmt = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "Europe/London",
});

/** A point in time, shown in UK time with a machine-readable datetime. */
export function Time({ value }: { value: string | Date | null | undefined }) {
  if (!value) return null;
  const d = typeof value === "string" ? new Date(value) : value;
  return <time dateTime={d.toISOString()}>{fmt.format(d)}</time>;
}

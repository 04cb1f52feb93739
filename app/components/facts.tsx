import { Fragment, type ReactNode } from "react";

/** Facts as a definition list, leaving out those not known (null or empty); `children` adds rows of its own. */
export function Facts({ facts, children }: { facts: [string, string | null][]; children?: ReactNode }) {
  return (
    <dl className="facts">
      {facts
        .filter((f): f is [string, string] => !!f[1])
        .map(([term, value]) => (
          <Fragment key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      {children}
    </dl>
  );
}

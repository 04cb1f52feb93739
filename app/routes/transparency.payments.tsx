import type { HeadersFunction, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { KIND_LABELS } from "~/components/events";
import type { Shown } from "~/models/disclosure";
import { MIN_PEOPLE } from "~/models/disclosure";
import { paymentTransparency } from "~/models/payment-claims.server";
import { pounds } from "~/models/payment-words";

// What Convene has paid people for taking part, per quarter: public, with any group of fewer
// than five people hidden, and one more where the hidden one could be worked out.

export const meta: MetaFunction = () => [
  { title: "Payments to participants · Convene" },
  { name: "description", content: "What Convene's events paid people for taking part, per quarter, with small groups hidden." },
];

export const headers: HeadersFunction = () => ({ "Cache-Control": "public, max-age=300" });

export async function loader() {
  return paymentTransparency();
}

function Cell({ shown, what }: { shown: Shown; what: "pence" | "people" | "medianDays" }) {
  if (shown.state === "none") return <td>None</td>;
  if (shown.state === "hidden")
    return (
      <td>
        <span aria-hidden="true">*</span>
        <span className="visually-hidden">Not shown</span>
      </td>
    );
  const f = shown.figure;
  return <td>{what === "pence" ? pounds(f.pence) : what === "people" ? f.people : f.medianDays === null ? "—" : `${f.medianDays} days`}</td>;
}

export default function PaymentsTransparency() {
  const { kinds, quarters } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Payments to people for taking part</h1>
      <p className="lede">
        What Convene's events paid people for their time and costs, each quarter, and how quickly. Groups of fewer than {MIN_PEOPLE} people are not shown (*),
        and where a hidden figure could be worked out from the total, another is hidden too.
      </p>
      {quarters.length === 0 ? <p>Nothing has been paid yet.</p> : null}
      {quarters.map((q) => (
        <section key={q.key} aria-labelledby={`q-${q.key}`}>
          <h2 id={`q-${q.key}`}>{q.label}</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Events</th>
                  <th scope="col">Paid in total</th>
                  <th scope="col">People paid</th>
                  <th scope="col">Median time from the event to payment</th>
                </tr>
              </thead>
              <tbody>
                {kinds.map((k) => (
                  <tr key={k}>
                    <th scope="row">{KIND_LABELS[k]}s</th>
                    <Cell shown={q.cells[k]} what="pence" />
                    <Cell shown={q.cells[k]} what="people" />
                    <Cell shown={q.cells[k]} what="medianDays" />
                  </tr>
                ))}
                <tr>
                  <th scope="row">All events</th>
                  <Cell shown={q.total} what="pence" />
                  <Cell shown={q.total} what="people" />
                  <Cell shown={q.total} what="medianDays" />
                </tr>
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}

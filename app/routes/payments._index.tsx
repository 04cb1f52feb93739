import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { ClaimStatus } from "~/components/payments";
import { approverQueue, approvesAnything } from "~/models/payment-claims.server";
import { CLAIM_STATUS_WORDS, pounds, ROUTE_LABELS } from "~/models/payment-words";

// The approvers' queue: claims waiting longest first, then approved claims waiting to be paid.
// The payments team sees every event's; an event's organisers see their events'. Nobody sees
// their own claim here.

export const meta: MetaFunction = () => [{ title: "Claims to approve · Convene" }];

const DAY = 86_400_000;

export async function loader({ context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  if (!(await approvesAnything(viewer.id)))
    throw new Response("Only payment approvers (an event's organisers, and the payments team) can see this page.", { status: 403 });
  const q = await approverQueue(viewer);
  const now = Date.now();
  return {
    team: q.team,
    claims: q.claims.map((c) => ({
      id: c.id,
      event: c.event_title,
      payee: c.payee_name,
      route: ROUTE_LABELS[c.route],
      status: c.status,
      statusWords: CLAIM_STATUS_WORDS[c.status],
      total: pounds(c.total),
      waitingDays: Math.max(0, Math.floor((now - c.waiting_since.getTime()) / DAY)),
      approvals: c.needed === 2 && c.status === "submitted" ? `${c.approvals} of 2 approvals${c.approved_by_me ? " (one yours)" : ""}` : null,
      overBudget: c.over_budget,
    })),
    toPay: q.claims.filter((c) => c.status === "approved").length,
  };
}

export default function PaymentsQueue() {
  const { team, claims, toPay } = useLoaderData<typeof loader>();
  const waiting = claims.filter((c) => c.status !== "approved");
  const approved = claims.filter((c) => c.status === "approved");
  return (
    <div>
      <h1>Claims to approve</h1>
      <p className="lede">
        {team ? "Every event's claims" : "Claims for the events you organise"}, the longest waiting first. People are told at each step. You cannot approve your
        own claim, and claims over the threshold need two different approvers.
      </p>
      <h2>Waiting for a decision ({waiting.length})</h2>
      <ClaimTable claims={waiting} empty="Nothing is waiting for a decision." />
      <h2>Approved, to be paid ({approved.length})</h2>
      <ClaimTable claims={approved} empty="No approved claims are waiting to be paid." />
      <p>
        <Link to="/payments/run" className={toPay ? "button" : "button secondary"}>
          Export a payment run (CSV with bank details)
        </Link>
      </p>
      <p>
        <Link to="/transparency/payments">What Convene has paid, by quarter</Link>
      </p>
    </div>
  );
}

type Row = {
  id: string;
  event: string;
  payee: string;
  route: string;
  status: string;
  statusWords: string;
  total: string;
  waitingDays: number;
  approvals: string | null;
  overBudget: boolean;
};

function ClaimTable({ claims, empty }: { claims: Row[]; empty: string }) {
  if (!claims.length) return <p>{empty}</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Claim</th>
            <th scope="col">Event</th>
            <th scope="col">Amount</th>
            <th scope="col">Waiting</th>
            <th scope="col">Where it stands</th>
          </tr>
        </thead>
        <tbody>
          {claims.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={`/claims/${c.id}`}>{c.payee}</Link>
                <span className="muted small"> · {c.route}</span>
              </td>
              <td>{c.event}</td>
              <td>
                {c.total}
                {c.overBudget ? <span className="badge warn badge-after">Over budget</span> : null}
              </td>
              <td>{c.waitingDays === 0 ? "Today" : `${c.waitingDays} day${c.waitingDays === 1 ? "" : "s"}`}</td>
              <td>
                <ClaimStatus status={c.status} words={c.statusWords} />
                {c.approvals ? <span className="muted small"> {c.approvals}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { listDevMail } from "~/email/outbox.server";

export const meta: MetaFunction = () => [{ title: "Dev mailbox · Convene" }, { name: "robots", content: "noindex" }];

// Development only: every email the app would have sent. Absent (404) in production or
// when RESEND_API_KEY is set.
export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.devMailAllowed) throw new Response("Not found", { status: 404 });
  const mail = await listDevMail();
  return { mail: mail.map((m) => ({ id: m.id, to: m.toAddress, subject: m.subject, createdAt: m.createdAt, status: m.status })) };
}

export default function DevMail() {
  const { mail } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Dev mailbox</h1>
      <p className="lede">Without RESEND_API_KEY, Convene writes mail here and to its log instead of sending it. Newest first.</p>
      {mail.length === 0 ? (
        <p>No mail yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Written</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {mail.map((m) => (
                <tr key={m.id}>
                  <td>{m.to}</td>
                  <td>
                    <Link to={`/dev/mail/${m.id}`}>{m.subject}</Link>
                  </td>
                  <td>
                    <Time value={m.createdAt} />
                  </td>
                  <td>{m.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

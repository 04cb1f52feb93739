import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { getDevMail } from "~/email/outbox.server";

export const meta: MetaFunction = () => [{ title: "Mail · Dev mailbox · Convene" }, { name: "robots", content: "noindex" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.devMailAllowed) throw new Response("Not found", { status: 404 });
  const mail = await getDevMail(params.id ?? "");
  if (!mail) throw new Response("Not found", { status: 404 });
  return {
    mail: { to: mail.toAddress, subject: mail.subject, text: mail.text, createdAt: mail.createdAt, attachments: mail.attachments.map((a) => a.filename) },
  };
}

// Links in the text become links here, so a developer can follow a reset link.
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s]+)/g);
  return (
    <>
      {parts.map((p, i) =>
        /^https?:\/\//.test(p) ? (
          <a key={i} href={p}>
            {p}
          </a>
        ) : (
          p
        ),
      )}
    </>
  );
}

export default function DevMailItem() {
  const { mail } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/dev/mail">Back to the dev mailbox</Link>
      </p>
      <h1>{mail.subject}</h1>
      <p>
        To {mail.to}, written <Time value={mail.createdAt} />
        {mail.attachments.length ? `, attachments: ${mail.attachments.join(", ")}` : ""}
      </p>
      <div className="mail-body">
        <Linkified text={mail.text} />
      </div>
    </>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { peekUnsubscribe } from "~/models/email-preferences.server";

// The page an unsubscribe link opens. Opening it changes nothing (mail scanners follow
// links): its button POSTs to the same address, which server.ts answers (RFC 8058).

export const meta: MetaFunction = () => [{ title: "Stop these emails · Convene" }, { name: "robots", content: "noindex" }];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const found = await peekUnsubscribe(params.token);
  const done = new URL(request.url).searchParams.get("done") === "1";
  if (!found) return { known: false as const, done };
  return { known: true as const, done, label: found.label, stopped: found.stopped };
}

export default function Unsubscribe() {
  const page = useLoaderData<typeof loader>();
  if (!page.known) {
    return (
      <div className="narrow">
        <h1>This link does not work</h1>
        <p>
          It is not one of ours, or it was copied only in part. Nothing has been changed. If you have a Convene account, you can choose what we email you on
          your <Link to="/notifications/settings">settings page</Link> once you have logged in.
        </p>
      </div>
    );
  }
  if (page.stopped) {
    return (
      <div className="narrow">
        <h1>{page.done ? "You are unsubscribed" : "You already get none of these"}</h1>
        <p role="status">
          We will not email you about {page.label} any more. What it would have told you is still listed on your notifications page when you visit Convene.
          Emails about your own places at events and your account still come.
        </p>
        <p>
          Changed your mind? <Link to="/notifications/settings">Choose what we email you</Link> (you will be asked to log in).
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Stop these emails?</h1>
      <p>You get emails about {page.label}. Press the button to stop them: you do not need to log in.</p>
      {/* A plain form: a document POST to the address server.ts answers. */}
      <form method="post">
        <button type="submit" className="button">
          Stop emails about {page.label}
        </button>
      </form>
      <p>
        Or <Link to="/notifications/settings">choose how often</Link> instead (you will be asked to log in).
      </p>
    </div>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser, safeRedirect } from "~/auth/permissions.server";
import { Thread } from "~/components/thread";
import { ThreadActionForm } from "~/forms/threads.server";
import { deleteMessage, dismissReports, editMessage, postMessage, removeMessage, reportMessage, threadForPage } from "~/models/threads.server";
import { redirectWithFlash } from "~/utils/flash.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.test.ts) finds them here.
export const actionForms: ActionForms = [ThreadActionForm];

// A thread as a page of its own: what the forms in every embedded thread post to, and a
// readable page without JavaScript. Errors come back here, next to the field.

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d ? `Discussion: ${d.thread.title} · Convene` : "Discussion · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const thread = await threadForPage(params.kind ?? "", params.key ?? "", context.auth.user);
  if (!thread) throw new Response("Not found", { status: 404 });
  return { thread };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const form = await parseForm(request, ThreadActionForm);
  const target = { kind: params.kind ?? "", key: params.key ?? "" };
  if (!form.ok) return data({ error: Object.values(form.errors)[0] ?? "Please check the form.", body: form.values.body ?? "" }, { status: 400 });
  const f = form.data;
  const intent = f.intent;
  const back = safeRedirect(f.returnTo, `/threads/${target.kind}/${encodeURIComponent(target.key)}`);
  const result =
    f.intent === "post"
      ? await postMessage(viewer, target, f.body)
      : f.intent === "edit"
        ? await editMessage(viewer, f.messageId, f.body)
        : f.intent === "delete"
          ? await deleteMessage(viewer, f.messageId)
          : f.intent === "report"
            ? await reportMessage(viewer, f.messageId, f.reason)
            : f.intent === "remove"
              ? await removeMessage(viewer, f.messageId)
              : await dismissReports(viewer, f.messageId);
  if (!result.ok) {
    const headers = result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : undefined;
    return data({ error: result.message, body: "body" in f ? f.body : "" }, { status: result.status, headers });
  }
  const done =
    typeof result.message === "string"
      ? result.message
      : intent === "post"
        ? "Posted."
        : intent === "edit"
          ? "Your message is updated."
          : intent === "delete"
            ? "Your message is deleted."
            : "The message is removed.";
  const anchor = typeof result.message === "object" ? `#m-${result.message.seq}` : "";
  return redirectWithFlash(request, `${back}${anchor}`, done);
}

export default function ThreadPage() {
  const { thread } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to={thread.url}>Back to {thread.title}</Link>
      </p>
      <h1>Discussion: {thread.title}</h1>
      <Thread thread={thread} fieldError={actionData?.error} draft={actionData?.body} />
    </>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser, safeRedirect } from "~/auth/permissions.server";
import { deleteMessage, dismissReports, editMessage, postMessage, removeMessage, reportMessage, threadForPage, type ThreadFailure } from "~/models/threads.server";
import { readForm } from "~/utils/forms.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { Thread } from "~/components/thread";

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
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const messageId = String(form.get("messageId") ?? "");
  const target = { kind: params.kind ?? "", key: params.key ?? "" };
  const back = safeRedirect(form.get("returnTo"), `/threads/${target.kind}/${encodeURIComponent(target.key)}`);
  const result =
    intent === "post"
      ? await postMessage(viewer, target, String(form.get("body") ?? ""))
      : intent === "edit"
        ? await editMessage(viewer, messageId, String(form.get("body") ?? ""))
        : intent === "delete"
          ? await deleteMessage(viewer, messageId)
          : intent === "report"
            ? await reportMessage(viewer, messageId, String(form.get("reason") ?? ""))
            : intent === "remove"
              ? await removeMessage(viewer, messageId)
              : intent === "dismiss"
                ? await dismissReports(viewer, messageId)
                : ({ ok: false, status: 400, message: "That action is not known here." } satisfies ThreadFailure as ThreadFailure);
  if (!result.ok) {
    const headers = result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : undefined;
    return data({ error: result.message, body: String(form.get("body") ?? "") }, { status: result.status, headers });
  }
  const done = typeof result.message === "string" ? result.message : intent === "post" ? "Posted." : intent === "edit" ? "Your message is updated." : intent === "delete" ? "Your message is deleted." : "The message is removed.";
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

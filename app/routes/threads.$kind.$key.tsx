import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser, safeRedirect } from "~/auth/permissions.server";
import { Thread } from "~/components/thread";
import { ThreadActionForm } from "~/forms/threads.server";
import {
  deleteMessage,
  dismissReports,
  editMessage,
  type Posted,
  postMessage,
  removeMessage,
  reportMessage,
  type ThreadFailure,
  threadForPage,
} from "~/models/threads.server";
import type { ActionForms } from "~/utils/forms.server";
import { oneMessage, parseForm } from "~/utils/forms.server";
import type { Done } from "~/utils/outcome";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [ThreadActionForm];

// A thread as a page of its own: what the forms in every embedded thread post to, and a
// readable page without JavaScript. Errors come back here, next to the field.

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d ? `Discussion: ${d.thread.title} · Convene` : "Discussion · Convene" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // ?before=N: the page of messages numbered just below N ("Show earlier messages").
  const before = new URL(request.url).searchParams.get("before") ?? "";
  const n = /^[1-9][0-9]{0,8}$/.test(before) ? Number(before) : null;
  const thread = await threadForPage(params.kind ?? "", params.key ?? "", context.auth.user, n);
  if (!thread) throw new Response("Not found", { status: 404 });
  return { thread };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const form = await parseForm(request, ThreadActionForm);
  const target = { kind: params.kind ?? "", key: params.key ?? "" };
  const here = `/threads/${target.kind}/${encodeURIComponent(target.key)}`;
  const values = { body: form.values.body ?? "" };
  if (!form.ok) return respond(request, oneMessage(form), here, { values });
  const f = form.data;
  const back = safeRedirect(f.returnTo, here);
  const result: Posted | Done | ThreadFailure =
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
  // Back to the message written or changed.
  const seq = result.ok && "view" in result ? (result as Posted).view.seq : null;
  return respond(request, result, seq ? `${back}#m-${seq}` : back, { values });
}

export default function ThreadPage() {
  const { thread } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to={thread.url}>Back to {thread.title}</Link>
      </p>
      <h1>{thread.before === null ? `Discussion: ${thread.title}` : `Earlier messages: ${thread.title}`}</h1>
      <Thread thread={thread} fieldError={actionData?.formError} draft={actionData?.values.body} />
    </>
  );
}

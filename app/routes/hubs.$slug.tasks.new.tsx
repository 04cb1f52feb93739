import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { requireVerifiedUser } from "~/auth/permissions.server";
import { Field, FORMATTING_HINT, FormError, TextArea } from "~/components/forms";
import { StatusBadge } from "~/components/tasks";
import { TaskForm } from "~/forms/hubs.server";
import { findHub } from "~/models/hubs.server";
import { proposeTask } from "~/models/tasks.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [TaskForm];

export const meta: MetaFunction = () => [{ title: "Propose a research task · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  requireVerifiedUser(context);
  const hub = await findHub(params.slug ?? "");
  if (!hub) throw new Response("Not found", { status: 404 });
  return { hub: { slug: hub.slug, title: hub.title } };
}

type Similar = { id: string; title: string; status: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireVerifiedUser(context);
  const form = await parseForm(request, TaskForm);
  const ending = {
    values: form.values,
    extra: (refused: object) => ({ similar: ("similar" in refused ? refused.similar : []) as Similar[] }),
  };
  if (!form.ok) return respond(request, form, "", ending);
  const { confirmNew, ...input } = form.data;
  const result = await proposeTask(viewer, params.slug ?? "", input, { confirmNew: confirmNew === "1" });
  return respond(request, result, (made) => `/hubs/${params.slug}/tasks/${made.taskId}`, ending);
}

export default function ProposeTask() {
  const { hub } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> = actionData?.errors ?? {};
  const values: Partial<Record<string, string>> = actionData?.values ?? {};
  const suggestions = useFetcher<{ similar: Similar[] }>();
  const [title, setTitle] = useState(values.title ?? "");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    clearTimeout(timer.current);
    if (title.trim().length < 3) return;
    timer.current = setTimeout(() => suggestions.load(`/hubs/${hub.slug}/tasks/similar?title=${encodeURIComponent(title)}`), 300);
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [title, hub.slug]);
  const live = title.trim().length >= 3 ? (suggestions.data?.similar ?? []) : [];
  const mustConfirm = (actionData?.similar?.length ?? 0) > 0;
  return (
    <div className="narrow">
      <p>
        <Link to={`/hubs/${hub.slug}`}>{hub.title}</Link>
      </p>
      <h1>Propose a research task</h1>
      <p>Before you add a task, check that nobody is already on it: similar tasks appear as you type the title.</p>
      <Form method="post" className="stack" noValidate>
        {mustConfirm ? (
          <div className="suggestions" role="alert">
            <h2 style={{ marginTop: 0 }}>Is it one of these?</h2>
            <p>Similar tasks already exist in this hub. Join one of them, or create yours if it really is different.</p>
            <ul>
              {actionData!.similar.map((s) => (
                <li key={s.id}>
                  <Link to={`/hubs/${hub.slug}/tasks/${s.id}`}>{s.title}</Link> <StatusBadge status={s.status} />
                </li>
              ))}
            </ul>
            <button type="submit" name="confirmNew" value="1" className="button secondary">
              No, mine is different: create it
            </button>
          </div>
        ) : (
          <FormError message={actionData?.formError} errors={errors} />
        )}
        <Field
          name="title"
          label="Title"
          required
          defaultValue={values.title}
          error={errors.title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          hint="For example: Distributional impact of changes to the two-child limit"
          autoComplete="off"
        />
        <div aria-live="polite" className="live-suggestions">
          {live.length && !mustConfirm ? (
            <div className="suggestions">
              <p style={{ margin: "0 0 0.25rem" }}>
                <strong>Similar tasks already in this hub:</strong>
              </p>
              <ul>
                {live.map((s) => (
                  <li key={s.id}>
                    <Link to={`/hubs/${hub.slug}/tasks/${s.id}`}>{s.title}</Link> <StatusBadge status={s.status} />
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        <TextArea name="question" label="Research question" rows={2} defaultValue={values.question} error={errors.question} />
        <TextArea
          name="description"
          label="Description"
          rows={4}
          defaultValue={values.description}
          error={errors.description}
          hint={`What would a useful answer look like, and for whom? ${FORMATTING_HINT}`}
        />
        <TextArea
          name="dataSources"
          label="Data sources"
          rows={2}
          defaultValue={values.dataSources}
          error={errors.dataSources}
          hint="For example: Households Below Average Income (DWP), Family Resources Survey"
        />
        <Field name="tags" label="Tags" hint="Separated by commas, for example: social security, children" defaultValue={values.tags} error={errors.tags} />
        <Field name="dueDate" label="Due date" type="date" defaultValue={values.dueDate} error={errors.dueDate} />
        {mustConfirm ? null : (
          <button type="submit" className="button">
            Add the task
          </button>
        )}
      </Form>
    </div>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { requireUser } from "~/auth/permissions.server";
import { fmtDate, StatusBadge } from "~/components/tasks";
import { Thread } from "~/components/thread";
import { Time } from "~/components/time";
import { TaskActionForm } from "~/forms/hubs.server";
import { storedHtml } from "~/models/rendered-text.server";
import { getTaskPage } from "~/models/task-reads.server";
import { decideHelpOffer, linkTaskSources, offerHelp, offersFor, setTaskSkillAsks, taskResearchPanel, unlinkTaskSource } from "~/models/task-research.server";
import {
  advanceTask,
  claimTask,
  dropTask,
  joinAsCollaborator,
  leaveCollaboration,
  mergeTasks,
  reassignLead,
  releaseTask,
  reopenTask,
  type TaskFailure,
  type TaskResult,
} from "~/models/tasks.server";
import { getUserByEmail, noOneWithThatEmail } from "~/models/users.server";
import type { ActionForms } from "~/utils/forms.server";
import { oneMessage, parseForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";
import { OrgChoice } from "./org-choice";
import { ResearchPanel } from "./research-panel";
import { WorkPanel } from "./work-panel";
// The forms this route's action reads: the fuzz sweep (tests/http/sweep.ts) finds them here.
export const actionForms: ActionForms = [TaskActionForm];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.task.title} · ${data.hub.title} · Convene` : "Research task · Convene" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = context.auth.user;
  // The task's research side goes out beside the page's own reads (one statement).
  const [page, research] = await Promise.all([getTaskPage(params.slug ?? "", params.id ?? "", viewer), taskResearchPanel(params.id ?? "", viewer)]);
  if (!page) throw new Response("Not found", { status: 404 });
  if ("redirectTo" in page) throw redirect(`/hubs/${page.hub.slug}/tasks/${page.redirectTo}`, 301);
  const t = page.task;
  return {
    research: {
      linked: research.linked,
      suggested: research.suggested,
      skills: research.skills,
      helpers: research.helpers,
      offers: offersFor(research.offers, page.can.decideOffers).map(({ userId: _u, ...o }) => o),
      gaps: research.gaps,
      offersSkills: research.pledged,
    },
    hub: { slug: page.hub.slug, title: page.hub.title },
    task: {
      id: t.id,
      title: t.title,
      question: t.question,
      descriptionHtml: storedHtml(t.descriptionHtml, t.description),
      dataSources: t.dataSources,
      tags: t.tags,
      dueDate: t.dueDate,
      status: t.status,
      outputUrl: t.outputUrl,
    },
    lead: page.lead,
    collaborators: page.collaborators.map((c) => ({ name: c.name, org: c.org, orgSlug: c.orgSlug })),
    history: page.history.map((h) => ({ id: h.id, summary: h.summary, createdAt: h.createdAt, fromMerged: h.taskId !== t.id })),
    viewer: page.viewer,
    can: page.can,
    thread: page.thread!,
    mergeCandidates: page.mergeCandidates,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const taskId = params.id ?? "";
  const here = `/hubs/${params.slug}/tasks/${taskId}`;
  const form = await parseForm(request, TaskActionForm);
  const heldBy = { extra: (refused: TaskFailure) => ({ heldBy: refused.heldBy ?? null }) };
  if (!form.ok) return respond(request, oneMessage(form), here, heldBy);
  const f = form.data;
  let result: TaskResult;
  switch (f.intent) {
    case "claim":
      result = await claimTask(viewer, taskId, f.orgId);
      break;
    case "join":
      result = await joinAsCollaborator(viewer, taskId, f.orgId);
      break;
    case "leave":
      result = await leaveCollaboration(viewer, taskId);
      break;
    case "advance":
      result = await advanceTask(viewer, taskId, f.to, f.outputUrl);
      break;
    case "release":
      result = await releaseTask(viewer, taskId);
      break;
    case "drop":
      result = await dropTask(viewer, taskId, f.reason);
      break;
    case "reopen":
      result = await reopenTask(viewer, taskId, f.reason);
      break;
    case "reassign": {
      const person = await getUserByEmail(f.email);
      if (!person) return respond(request, noOneWithThatEmail(), here, heldBy);
      result = await reassignLead(viewer, taskId, person.id, f.orgId);
      break;
    }
    case "link-sources":
      result = await linkTaskSources(viewer, taskId, f.sources);
      break;
    case "unlink-source":
      result = await unlinkTaskSource(viewer, taskId, f.slug);
      break;
    case "ask-skills":
      result = await setTaskSkillAsks(viewer, taskId, f.skills);
      break;
    case "offer-help":
      result = await offerHelp(viewer, taskId, f.message, f.orgId);
      break;
    case "answer-offer":
      result = await decideHelpOffer(viewer, taskId, f.offerId, f.decision === "accept", f.reply);
      break;
    case "merge": {
      return respond(request, await mergeTasks(viewer, taskId, f.intoId), `/hubs/${params.slug}/tasks/${f.intoId}`, heldBy);
    }
  }
  return respond(request, result, here, heldBy);
}

export default function TaskPage() {
  const { hub, task, lead, collaborators, history, viewer, can, mergeCandidates, thread, research } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const orgs = viewer?.organisations ?? [];
  return (
    <>
      <p>
        <Link to={`/hubs/${hub.slug}`}>{hub.title}</Link>
      </p>
      <h1>{task.title}</h1>
      <p>
        <StatusBadge status={task.status} />
        {task.tags.map((t) => (
          <span key={t} className="tag">
            {t}
          </span>
        ))}
      </p>
      <div role="alert" aria-live="assertive">
        {actionData?.formError ? (
          <div className="form-error">
            <p style={{ margin: 0 }}>{actionData.formError}</p>
            {actionData.heldBy && viewer && !viewer.isCollaborator ? (
              <Form method="post" style={{ marginTop: "0.75rem" }}>
                <input type="hidden" name="intent" value="join" />
                <OrgChoice orgs={orgs} id="join-org-after-loss" />
                <button type="submit" className="button">
                  Join {actionData.heldBy.name} as a collaborator
                </button>
              </Form>
            ) : null}
          </div>
        ) : null}
      </div>

      <dl className="facts">
        <dt>Research question</dt>
        <dd>{task.question || "Not written yet"}</dd>
        <dt>Lead</dt>
        <dd>
          {lead ? (
            <>
              {lead.name}
              {lead.org ? (
                <>
                  {" "}
                  of <Link to={`/directory/${lead.orgSlug}`}>{lead.org}</Link>
                </>
              ) : null}
            </>
          ) : (
            "Nobody yet"
          )}
        </dd>
        <dt>Collaborators</dt>
        <dd>
          {collaborators.length
            ? collaborators.map((c, i) => (
                <span key={i}>
                  {i ? ", " : ""}
                  {c.name}
                  {c.org ? ` (${c.org})` : ""}
                </span>
              ))
            : "None yet"}
        </dd>
        <dt>Due</dt>
        <dd>{task.dueDate ? fmtDate(task.dueDate) : "No date set"}</dd>
        {task.outputUrl ? (
          <>
            <dt>Published output</dt>
            <dd>
              <a href={task.outputUrl} rel="noopener noreferrer">
                {task.outputUrl}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
      {task.descriptionHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: task.descriptionHtml }} /> : null}

      <WorkPanel viewer={viewer} can={can} errors={errors} loginTo={location.pathname} />

      <ResearchPanel
        taskId={task.id}
        freeText={task.dataSources}
        research={research}
        can={can}
        signedIn={!!viewer}
        verified={!!viewer?.verified}
        orgs={orgs}
        errors={errors}
      />

      {viewer?.isSteward ? (
        <section className="panel" aria-labelledby="steward-heading">
          <h2 id="steward-heading" style={{ marginTop: 0 }}>
            For stewards
          </h2>
          {can.reassign ? (
            <Form method="post" className="stack narrow" noValidate>
              <input type="hidden" name="intent" value="reassign" />
              <div className="field">
                <label htmlFor="reassign-email">Make someone else the lead (their email)</label>
                <input
                  id="reassign-email"
                  name="email"
                  type="email"
                  aria-invalid={errors.email ? true : undefined}
                  aria-describedby={errors.email ? "reassign-email-error" : undefined}
                />
                {errors.email ? (
                  <span className="field-error" id="reassign-email-error">
                    {errors.email}
                  </span>
                ) : null}
              </div>
              <button type="submit" className="button secondary">
                Reassign the lead
              </button>
            </Form>
          ) : null}
          {mergeCandidates.length ? (
            <Form method="post" className="stack narrow" style={{ marginTop: "1rem" }}>
              <input type="hidden" name="intent" value="merge" />
              <div className="field">
                <label htmlFor="merge-into">This task duplicates…</label>
                {errors.intoId ? (
                  <span className="field-error" id="merge-into-error">
                    {errors.intoId}
                  </span>
                ) : null}
                <select
                  id="merge-into"
                  name="intoId"
                  defaultValue=""
                  aria-invalid={errors.intoId ? true : undefined}
                  aria-describedby={errors.intoId ? "merge-into-error" : undefined}
                >
                  <option value="" disabled>
                    Choose a task
                  </option>
                  {mergeCandidates.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.title}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="button secondary">
                Merge into that task
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <ul className="history">
          {history.map((h) => (
            <li key={h.id}>
              <Time value={h.createdAt} />: {h.summary}
              {h.fromMerged ? <span className="muted"> (on a merged task)</span> : null}
            </li>
          ))}
        </ul>
      </section>

      <Thread thread={thread} />
    </>
  );
}

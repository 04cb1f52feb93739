import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireVerifiedUser } from "~/auth/permissions.server";
import { Choices } from "~/components/data-source-fields";
import { FormError, TextArea } from "~/components/forms";
import { ResearcherForm } from "~/forms/data.server";
import { HELP_TERMS, RESEARCH_SKILLS, SKILL_LABELS, TERMS_LABELS } from "~/models/data-source-facets";
import { researcherProfileOf, saveResearcherProfile } from "~/models/task-research.server";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm, readForm } from "~/utils/forms.server";
import { respond } from "~/utils/results.server";

export const actionForms: ActionForms = [ResearcherForm];

export const meta: MetaFunction = () => [{ title: "Research skills you offer · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const viewer = requireVerifiedUser(context);
  const p = await researcherProfileOf(viewer.id);
  return { profile: p ? { skills: p.skills, available: p.available, terms: p.terms, note: p.note, pledged: !!p.pledgedAt } : null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireVerifiedUser(context);
  const fd = await readForm(request);
  const form = await parseForm(fd, ResearcherForm);
  const values = { ...form.values, skills: fd.getAll("skills").map(String), terms: fd.getAll("terms").map(String) };
  if (!form.ok) return respond(request, form, "/me/research", { values });
  return respond(request, await saveResearcherProfile(viewer, form.data), "/me", { values });
}

export default function ResearchSkills() {
  const { profile } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const errors = refused && "errors" in refused ? refused.errors : {};
  const sent = refused && "values" in refused ? (refused.values as Record<string, string | string[]>) : null;
  const skills = (sent ? sent.skills : profile?.skills) as string[] | undefined;
  const terms = (sent ? sent.terms : profile?.terms) as string[] | undefined;
  return (
    <div className="narrow">
      <p>
        <Link to="/me">Your page</Link>
      </p>
      <h1>Research skills you offer</h1>
      <p className="lede">
        Task leads on moment hubs ask for help with particular skills. Say what you can offer, and whether you have time now: leads who ask for your skills will
        see your name, and you can offer to help on their tasks.
      </p>
      <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
      <Form method="post" className="stack" noValidate>
        <Choices
          name="skills"
          legend="Skills you offer"
          options={RESEARCH_SKILLS.map((s) => [s, SKILL_LABELS[s]] as const)}
          chosen={skills ?? []}
          error={errors.skills}
        />
        <div className="field">
          <label>
            <input type="checkbox" name="available" value="1" defaultChecked={sent ? sent.available === "1" : !!profile?.available} /> I have time to help now
          </label>
        </div>
        <Choices name="terms" legend="On what terms" options={HELP_TERMS.map((t) => [t, TERMS_LABELS[t]] as const)} chosen={terms ?? []} error={errors.terms} />
        <TextArea
          name="note"
          label="Anything else (optional)"
          rows={2}
          maxLength={500}
          defaultValue={(sent?.note as string | undefined) ?? profile?.note}
          error={errors.note}
          hint="e.g. Evenings only; I work mostly with Scottish data."
        />
        <fieldset className={errors.pledge ? "field field-invalid" : "field"} aria-describedby={errors.pledge ? "field-pledge-error" : undefined}>
          <legend>The no-selling pledge</legend>
          <p>
            Convene's organisations trust the people who offer help. I will not use Convene, or what I learn through it, to sell services, products or training
            to the people and organisations I help.
          </p>
          {errors.pledge ? (
            <span className="field-error" id="field-pledge-error">
              {errors.pledge}
            </span>
          ) : null}
          <label>
            <input type="checkbox" name="pledge" value="1" id="field-pledge" defaultChecked={sent ? sent.pledge === "1" : !!profile?.pledged} /> I take the
            pledge
          </label>
        </fieldset>
        <p className="hint">To stop offering help, untick every skill and save.</p>
        <div className="actions">
          <button type="submit" className="button">
            Save
          </button>
        </div>
      </Form>
    </div>
  );
}

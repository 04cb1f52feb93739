import { Form, Link } from "@remix-run/react";
import { Time } from "~/components/time";
import { GAP_STATUS_LABELS, RESEARCH_SKILLS, SKILL_LABELS, TERMS_LABELS } from "~/models/data-source-facets";
import type { TaskCapabilities } from "~/models/task-capabilities";
import { OrgChoice } from "./org-choice";

type Skill = (typeof RESEARCH_SKILLS)[number];
export type ResearchData = {
  linked: { slug: string; name: string }[];
  suggested: { slug: string; name: string }[];
  skills: Skill[];
  helpers: { name: string; skills: Skill[]; terms: (keyof typeof TERMS_LABELS)[] }[];
  offers: { id: string; name: string; org: string | null; message: string; at: string; mine: boolean }[];
  gaps: { id: string; question: string; status: keyof typeof GAP_STATUS_LABELS; endorsements: number }[];
  offersSkills: boolean;
};

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <span className="field-error" id={id}>
      {error}
    </span>
  ) : null;
}

/** A task's sources, the gaps hit there, and help wanted: what the research side of a task page shows. */
export function ResearchPanel({
  taskId,
  freeText,
  research: r,
  can,
  signedIn,
  verified,
  orgs,
  errors,
}: {
  taskId: string;
  freeText: string;
  research: ResearchData;
  can: TaskCapabilities;
  signedIn: boolean;
  verified: boolean;
  orgs: { id: string; name: string }[];
  errors: Partial<Record<string, string>>;
}) {
  const myOffer = r.offers.find((o) => o.mine);
  return (
    <>
      <section aria-labelledby="sources-heading">
        <h2 id="sources-heading">Data sources</h2>
        {r.linked.length ? (
          <ul className="plain-list">
            {r.linked.map((s) => (
              <li key={s.slug}>
                <Link to={`/data/${s.slug}`}>{s.name}</Link>
                {can.linkSources ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="slug" value={s.slug} />
                    <button type="submit" name="intent" value="unlink-source" className="link-button">
                      Unlink<span className="visually-hidden"> {s.name}</span>
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        {freeText ? (
          <p>
            {r.linked.length ? "Also named: " : ""}
            {freeText}
          </p>
        ) : null}
        {!r.linked.length && !freeText ? <p>Not listed yet.</p> : null}
        {can.linkSources && r.suggested.length ? (
          <div className="panel">
            <p>These look like entries in the data catalogue. Link them so others can see this task used them:</p>
            <ul className="plain-list">
              {r.suggested.map((s) => (
                <li key={s.slug}>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="sources" value={s.slug} />
                    <button type="submit" name="intent" value="link-sources" className="button secondary">
                      Link {s.name}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {can.linkSources ? (
          <Form method="post" className="stack narrow" noValidate>
            <div className={errors.sources ? "field field-invalid" : "field"}>
              <label htmlFor="link-sources">Link a source from the catalogue</label>
              <span className="hint" id="link-sources-hint">
                Its name as the <Link to="/data">catalogue</Link> writes it, e.g. Family Resources Survey. Several: one per line.
              </span>
              <FieldError id="link-sources-error" error={errors.sources} />
              <textarea
                id="link-sources"
                name="sources"
                rows={2}
                maxLength={2000}
                aria-invalid={errors.sources ? true : undefined}
                aria-describedby={errors.sources ? "link-sources-hint link-sources-error" : "link-sources-hint"}
              />
            </div>
            <button type="submit" name="intent" value="link-sources" className="button secondary">
              Link it
            </button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="task-gaps-heading">
        <h2 id="task-gaps-heading">Data gaps hit here</h2>
        {r.gaps.length === 0 ? <p>None raised yet.</p> : null}
        <ul className="plain-list">
          {r.gaps.map((g) => (
            <li key={g.id}>
              <Link to={`/data/gaps/${g.id}`}>{g.question}</Link> ({GAP_STATUS_LABELS[g.status].toLowerCase()}, {g.endorsements} endorsement
              {g.endorsements === 1 ? "" : "s"})
            </li>
          ))}
        </ul>
        {verified ? (
          <p>
            <Link to={`/data/gaps/new?task=${encodeURIComponent(taskId)}`}>Raise a data gap from this task</Link>
          </p>
        ) : null}
      </section>

      {r.skills.length || can.askSkills || r.offers.length ? (
        <section aria-labelledby="help-heading" id="offers">
          <h2 id="help-heading">Help wanted</h2>
          {r.skills.length ? (
            <p>
              This task asks for help with:{" "}
              {r.skills.map((s) => (
                <span key={s} className="tag">
                  {SKILL_LABELS[s]}
                </span>
              ))}
            </p>
          ) : (
            <p>This task does not ask for particular skills.</p>
          )}
          {signedIn && r.helpers.length ? (
            <>
              <h3>People who offer these skills and have time now</h3>
              <ul className="plain-list">
                {r.helpers.map((h) => (
                  <li key={h.name}>
                    {h.name}: {h.skills.map((s) => SKILL_LABELS[s]).join(", ")}
                    {h.terms.length ? ` (${h.terms.map((t) => TERMS_LABELS[t].toLowerCase()).join(", ")})` : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {can.offerHelp && !myOffer ? (
            r.offersSkills ? (
              <Form method="post" className="panel stack narrow" noValidate>
                <h3>Offer to help</h3>
                <p>The lead decides: if they accept, you join as a collaborator. You have taken the no-selling pledge: you are here to help, not to sell.</p>
                <div className={errors.message ? "field field-invalid" : "field"}>
                  <label htmlFor="offer-message">A message to the lead (optional)</label>
                  <FieldError id="offer-message-error" error={errors.message} />
                  <textarea
                    id="offer-message"
                    name="message"
                    rows={3}
                    maxLength={1000}
                    aria-invalid={errors.message ? true : undefined}
                    aria-describedby={errors.message ? "offer-message-error" : undefined}
                  />
                </div>
                <OrgChoice orgs={orgs} id="offer-org" />
                <button type="submit" name="intent" value="offer-help" className="button">
                  Offer to help
                </button>
              </Form>
            ) : (
              <p>
                To offer help, first <Link to="/me/research">say which research skills you offer</Link>.
              </p>
            )
          ) : null}
          {myOffer ? <p className="badge">Your offer to help is waiting for the lead's answer.</p> : null}
          {can.decideOffers && r.offers.length ? (
            <>
              <h3>Offers of help waiting for you</h3>
              <ul className="plain-list">
                {r.offers.map((o) => (
                  <li key={o.id} className="panel">
                    <p>
                      <strong>{o.name}</strong>
                      {o.org ? ` of ${o.org}` : ""}, <Time value={o.at} />
                    </p>
                    {o.message ? <p className="pre-line">{o.message}</p> : null}
                    <Form method="post" className="stack">
                      <input type="hidden" name="offerId" value={o.id} />
                      <div className={errors.reply ? "field field-invalid" : "field"}>
                        <label htmlFor={`reply-${o.id}`}>Your answer (optional)</label>
                        <FieldError id={`reply-${o.id}-error`} error={errors.reply} />
                        <textarea
                          id={`reply-${o.id}`}
                          name="reply"
                          rows={2}
                          maxLength={1000}
                          aria-invalid={errors.reply ? true : undefined}
                          aria-describedby={errors.reply ? `reply-${o.id}-error` : undefined}
                        />
                      </div>
                      <div className="actions">
                        <button type="submit" name="decision" value="accept" className="button">
                          Accept<span className="visually-hidden"> {o.name}</span>
                        </button>
                        <button type="submit" name="decision" value="decline" className="button secondary">
                          Decline<span className="visually-hidden"> {o.name}</span>
                        </button>
                      </div>
                      <input type="hidden" name="intent" value="answer-offer" />
                    </Form>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {can.askSkills ? (
            <Form method="post" className="stack narrow">
              <fieldset className={errors.skills ? "field field-invalid" : "field"}>
                <legend>Ask for help with</legend>
                <FieldError id="skills-error" error={errors.skills} />
                <div className="checkbox-grid">
                  {RESEARCH_SKILLS.map((s) => (
                    <label key={s}>
                      <input type="checkbox" name="skills" value={s} defaultChecked={r.skills.includes(s)} /> {SKILL_LABELS[s]}
                    </label>
                  ))}
                </div>
              </fieldset>
              <button type="submit" name="intent" value="ask-skills" className="button secondary">
                Save the help wanted
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

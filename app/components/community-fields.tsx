import { Field, FORMATTING_HINT, TextArea } from "./forms";

type Values = Partial<Record<"name" | "slug" | "summary" | "about" | "joinPolicy" | "visibility", string>>;

/** The fields of a community, shared by the create and edit forms. */
export function CommunityFields({ values, errors, withSlug }: { values: Values; errors: Partial<Record<string, string>>; withSlug: boolean }) {
  return (
    <>
      <Field name="name" label="Name" required defaultValue={values.name} error={errors.name} />
      {withSlug ? (
        <Field
          name="slug"
          label="Web address"
          hint="Lower-case words joined by hyphens: convene…/communities/local-food-data"
          required
          defaultValue={values.slug}
          error={errors.slug}
        />
      ) : null}
      <Field name="summary" label="Summary" hint="One sentence, shown in the list of communities." defaultValue={values.summary} error={errors.summary} />
      <TextArea name="about" label="About" hint={FORMATTING_HINT} rows={6} defaultValue={values.about} error={errors.about} />
      <fieldset className="field">
        <legend>How do people join?</legend>
        <label>
          <input type="radio" name="joinPolicy" value="open" defaultChecked={(values.joinPolicy ?? "open") === "open"} /> Open: anyone can join at once
        </label>
        <label>
          <input type="radio" name="joinPolicy" value="approval" defaultChecked={values.joinPolicy === "approval"} /> By approval of a facilitator
        </label>
        {errors.joinPolicy ? <span className="field-error">{errors.joinPolicy}</span> : null}
      </fieldset>
      <fieldset className="field">
        <legend>Who can see it?</legend>
        <label>
          <input type="radio" name="visibility" value="public" defaultChecked={(values.visibility ?? "public") === "public"} /> Public: listed for everyone
        </label>
        <label>
          <input type="radio" name="visibility" value="private" defaultChecked={values.visibility === "private"} /> Private: invisible to everyone but its
          members
        </label>
        {errors.visibility ? <span className="field-error">{errors.visibility}</span> : null}
      </fieldset>
    </>
  );
}

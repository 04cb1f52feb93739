import { Field, FORMATTING_HINT, TextArea } from "./forms";

type Values = Partial<Record<"title" | "slug" | "momentName" | "momentDate" | "momentTime" | "summary" | "description", string>>;

export function HubFields({ values, errors, withSlug }: { values: Values; errors: Partial<Record<string, string>>; withSlug: boolean }) {
  return (
    <>
      <Field
        name="title"
        label="Title"
        hint="For example: Autumn Budget 2026: what it means for poverty"
        required
        defaultValue={values.title}
        error={errors.title}
      />
      {withSlug ? (
        <Field
          name="slug"
          label="Web address"
          hint="Lower-case words joined by hyphens, e.g. autumn-budget-2026"
          required
          defaultValue={values.slug}
          error={errors.slug}
        />
      ) : null}
      <Field name="momentName" label="The moment" hint="For example: Autumn Budget 2026" required defaultValue={values.momentName} error={errors.momentName} />
      <Field name="momentDate" label="Date of the moment" type="date" required defaultValue={values.momentDate} error={errors.momentDate} />
      <Field name="momentTime" label="Time (UK)" type="time" hint="Leave empty for 12:30" defaultValue={values.momentTime} error={errors.momentTime} />
      <Field name="summary" label="Summary" defaultValue={values.summary} error={errors.summary} />
      <TextArea name="description" label="Description" hint={FORMATTING_HINT} rows={6} defaultValue={values.description} error={errors.description} />
    </>
  );
}

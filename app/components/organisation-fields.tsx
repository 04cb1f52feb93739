import { Field, TextArea } from "./forms";

type Values = { name?: string; type?: string; about?: string; regions?: string[]; focusAreas?: string; website?: string };

/** The fields of an organisation's profile, shared by the add and edit forms. */
export function OrganisationFields({
  values,
  errors,
  types,
  regions,
}: {
  values: Values;
  errors: Partial<Record<string, string>>;
  types: [string, string][];
  regions: readonly string[];
}) {
  return (
    <>
      <Field name="name" label="Name" required defaultValue={values.name} error={errors.name} />
      <div className="field">
        <label htmlFor="field-type">Kind of organisation</label>
        <select
          id="field-type"
          name="type"
          defaultValue={values.type ?? ""}
          aria-invalid={errors.type ? true : undefined}
          aria-describedby={errors.type ? "field-type-error" : undefined}
        >
          <option value="">Choose…</option>
          {types.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
        {errors.type ? (
          <span className="field-error" id="field-type-error">
            {errors.type}
          </span>
        ) : null}
      </div>
      <TextArea name="about" label="About" rows={5} defaultValue={values.about} error={errors.about} />
      <fieldset className="field" aria-describedby={errors.regions ? "field-regions-error" : undefined}>
        <legend>Regions you work in</legend>
        <div className="checkbox-grid">
          {regions.map((r) => (
            <label key={r}>
              <input type="checkbox" name="regions" value={r} defaultChecked={values.regions?.includes(r)} /> {r}
            </label>
          ))}
        </div>
        {errors.regions ? (
          <span className="field-error" id="field-regions-error">
            {errors.regions}
          </span>
        ) : null}
      </fieldset>
      <Field
        name="focusAreas"
        label="Focus areas"
        hint="Separated by commas, for example: child poverty, housing, social security"
        defaultValue={values.focusAreas}
        error={errors.focusAreas}
      />
      <Field name="website" label="Website" type="url" hint="Starting with https://" defaultValue={values.website} error={errors.website} />
    </>
  );
}

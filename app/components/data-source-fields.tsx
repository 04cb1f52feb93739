import {
  ACCESS_LABELS,
  ACCESS_ROUTES,
  BREAKDOWN_LABELS,
  BREAKDOWNS,
  FREQUENCIES,
  FREQUENCY_LABELS,
  PLACE_LEVEL_LABELS,
  PLACE_LEVELS,
} from "~/models/data-source-facets";
import { Field, SelectField, TextArea } from "./forms";

export type SourceValues = {
  [field in
    | "name"
    | "publisher"
    | "url"
    | "measures"
    | "topics"
    | "coverage"
    | "firstYear"
    | "latestRelease"
    | "frequency"
    | "licence"
    | "access"
    | "methods"
    | "qualityIssues"
    | "contact"]?: string;
} & { placeLevels?: string[]; breakdowns?: string[] };

export function Choices({
  name,
  legend,
  hint,
  options,
  chosen,
  error,
}: {
  name: string;
  legend: string;
  hint?: string;
  options: readonly (readonly [string, string])[];
  chosen: string[];
  error?: string;
}) {
  return (
    <fieldset className={error ? "field field-invalid" : "field"} aria-describedby={error ? `field-${name}-error` : undefined}>
      <legend>{legend}</legend>
      {hint ? <span className="hint">{hint}</span> : null}
      {error ? (
        <span className="field-error" id={`field-${name}-error`}>
          {error}
        </span>
      ) : null}
      <div className="checkbox-grid">
        {options.map(([value, label], i) => (
          <label key={value}>
            <input type="checkbox" name={name} value={value} id={i === 0 ? `field-${name}` : undefined} defaultChecked={chosen.includes(value)} /> {label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The fields of a catalogue entry, for proposing one and for improving it. */
export function DataSourceFields({ values, errors }: { values: SourceValues; errors: Partial<Record<string, string>> }) {
  return (
    <>
      <Field name="name" label="Name" required defaultValue={values.name} error={errors.name} hint="As its publisher calls it, e.g. Family Resources Survey." />
      <Field name="publisher" label="Publisher" required defaultValue={values.publisher} error={errors.publisher} />
      <Field
        name="url"
        label="Web address"
        type="url"
        inputMode="url"
        defaultValue={values.url}
        error={errors.url}
        hint="Where the data or its description is."
      />
      <TextArea name="measures" label="What it measures" rows={4} defaultValue={values.measures} error={errors.measures} />
      <Field name="topics" label="Topics" defaultValue={values.topics} error={errors.topics} hint="Separated by commas, e.g. income, housing, food." />
      <Field name="coverage" label="Where it covers" defaultValue={values.coverage} error={errors.coverage} hint="e.g. UK, England, Scotland." />
      <Choices
        name="placeLevels"
        legend="Figures are published for"
        options={PLACE_LEVELS.map((l) => [l, PLACE_LEVEL_LABELS[l]] as const)}
        chosen={values.placeLevels ?? []}
        error={errors.placeLevels}
      />
      <Field name="firstYear" label="First year" inputMode="numeric" defaultValue={values.firstYear} error={errors.firstYear} />
      <Field name="latestRelease" label="Latest release" defaultValue={values.latestRelease} error={errors.latestRelease} hint="e.g. 2023 to 2024." />
      <SelectField
        name="frequency"
        label="How often it is released"
        defaultValue={values.frequency ?? ""}
        error={errors.frequency}
        options={[["", "Not known"] as const, ...FREQUENCIES.map((f) => [f, FREQUENCY_LABELS[f]] as const)]}
      />
      <Choices
        name="breakdowns"
        legend="It can be broken down by"
        options={BREAKDOWNS.map((b) => [b, BREAKDOWN_LABELS[b]] as const)}
        chosen={values.breakdowns ?? []}
        error={errors.breakdowns}
      />
      <Field name="licence" label="Licence" defaultValue={values.licence} error={errors.licence} hint="e.g. Open Government Licence v3.0." />
      <SelectField
        name="access"
        label="How it can be reached"
        defaultValue={values.access ?? "open"}
        error={errors.access}
        options={ACCESS_ROUTES.map((a) => [a, ACCESS_LABELS[a]] as const)}
      />
      <TextArea name="methods" label="Methods" rows={3} defaultValue={values.methods} error={errors.methods} />
      <TextArea
        name="qualityIssues"
        label="Known quality issues"
        rows={3}
        defaultValue={values.qualityIssues}
        error={errors.qualityIssues}
        hint="Who it misses, small samples, changes that break comparisons."
      />
      <Field name="contact" label="Who to ask" defaultValue={values.contact} error={errors.contact} hint="A team's address or page, not a person's own." />
    </>
  );
}

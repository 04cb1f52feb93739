import { ACCESS_LABELS, KIND_LABELS, TIME_ZONES } from "./events";
import { Field, FORMATTING_HINT, TextArea } from "./forms";

type Values = Partial<Record<string, string | string[]>>;
const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const arr = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The event form's fields, shared by create and edit. */
export function EventFields({
  values,
  errors,
  communities,
  hubs,
  withRepeat,
}: {
  values: Values;
  errors: Partial<Record<string, string>>;
  communities: { id: string; name: string }[];
  hubs: { id: string; title: string }[];
  withRepeat: boolean;
}) {
  const err = (k: string) => errors[k];
  const select = (name: string, label: string, options: [string, string][], empty?: string) => (
    <div className="field">
      <label htmlFor={`field-${name}`}>{label}</label>
      <select
        id={`field-${name}`}
        name={name}
        defaultValue={str(values[name]) ?? ""}
        aria-invalid={err(name) ? true : undefined}
        aria-describedby={err(name) ? `field-${name}-error` : undefined}
      >
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
      {err(name) ? (
        <span className="field-error" id={`field-${name}-error`}>
          {err(name)}
        </span>
      ) : null}
    </div>
  );
  // Shown only on the night the clocks go back, when the time typed happens twice.
  const which = (name: "startWhich" | "endWhich", timeName: "startTime" | "endTime", label: string) => {
    const chosen = str(values[name]);
    if (!err(name) && chosen !== "first" && chosen !== "second") return null;
    const time = str(values[timeName]) ?? "";
    return (
      <fieldset className="field" aria-describedby={err(name) ? `field-${name}-error` : undefined}>
        <legend>{label}</legend>
        {err(name) ? (
          <span className="field-error" id={`field-${name}-error`}>
            {err(name)}
          </span>
        ) : null}
        <label>
          <input type="radio" name={name} value="first" defaultChecked={chosen === "first"} /> The first {time}, before the clocks go back
        </label>
        <label>
          <input type="radio" name={name} value="second" defaultChecked={chosen === "second"} /> The second {time}, after the clocks go back
        </label>
      </fieldset>
    );
  };
  return (
    <>
      {select("kind", "Kind of event", Object.entries(KIND_LABELS))}
      <Field name="title" label="Title" required defaultValue={str(values.title)} error={err("title")} />
      <Field name="summary" label="Summary" hint="One or two sentences for listings and calendars." defaultValue={str(values.summary)} error={err("summary")} />
      <TextArea name="description" label="Description" hint={FORMATTING_HINT} rows={6} defaultValue={str(values.description)} error={err("description")} />
      {select(
        "timeZone",
        "Time zone",
        TIME_ZONES.map((z) => [z, z.replace(/_/g, " ")]),
      )}
      <Field name="startDate" label="Date" type="date" required defaultValue={str(values.startDate)} error={err("startDate")} />
      <Field name="startTime" label="Starts at" type="time" required defaultValue={str(values.startTime)} error={err("startTime")} />
      {which("startWhich", "startTime", "Which start time?")}
      <Field name="endTime" label="Ends at" type="time" required defaultValue={str(values.endTime)} error={err("endTime")} />
      {which("endWhich", "endTime", "Which end time?")}
      <Field name="endDate" label="End date (if it runs past midnight)" type="date" defaultValue={str(values.endDate)} error={err("endDate")} />
      <Field name="capacity" label="Places" hint="Leave empty for no limit." inputMode="numeric" defaultValue={str(values.capacity)} error={err("capacity")} />
      <Field
        name="registrationOpens"
        label="Registration opens"
        type="datetime-local"
        hint="Optional; in the event's time zone."
        defaultValue={str(values.registrationOpens)}
        error={err("registrationOpens")}
      />
      <Field
        name="registrationCloses"
        label="Registration closes"
        type="datetime-local"
        hint="Optional; by the start at the latest."
        defaultValue={str(values.registrationCloses)}
        error={err("registrationCloses")}
      />
      <Field
        name="joinUrl"
        label="Joining link (online events)"
        type="url"
        hint="Shown only to people with a confirmed place."
        defaultValue={str(values.joinUrl)}
        error={err("joinUrl")}
      />
      <Field name="venue" label="Venue address (in-person events)" defaultValue={str(values.venue)} error={err("venue")} />
      <fieldset className="field">
        <legend>Access provisions offered</legend>
        <div className="checkbox-grid">
          {Object.entries(ACCESS_LABELS).map(([v, l]) => (
            <label key={v}>
              <input type="checkbox" name="accessProvisions" value={v} defaultChecked={arr(values.accessProvisions).includes(v)} /> {l}
            </label>
          ))}
        </div>
        {err("accessProvisions") ? <span className="field-error">{err("accessProvisions")}</span> : null}
      </fieldset>
      <Field name="accessOther" label="Other provision (if “Other”)" defaultValue={str(values.accessOther)} error={err("accessOther")} />
      {select(
        "communityId",
        "Community",
        communities.map((c) => [c.id, c.name]),
        "None",
      )}
      {select(
        "hubId",
        "Moment hub",
        hubs.map((h) => [h.id, h.title]),
        "None",
      )}
      {withRepeat ? (
        <fieldset className="field">
          <legend>Repeat as a series</legend>
          {select("repeat", "Repeats", [
            ["none", "Does not repeat"],
            ["week", "Every week"],
            ["fortnight", "Every two weeks"],
            ["month", "Every month"],
          ])}
          <Field
            name="repeatCount"
            label="Number of occurrences"
            inputMode="numeric"
            defaultValue={str(values.repeatCount) ?? "4"}
            error={err("repeatCount")}
          />
        </fieldset>
      ) : null}
    </>
  );
}

import { Link } from "@remix-run/react";
import { type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes, useEffect, useRef } from "react";

type Labelled = {
  name: string;
  label: string;
  /** The server's message about this field: shown beside it, tied to it (aria-describedby), and the field marked invalid. */
  error?: string;
  hint?: ReactNode;
  id?: string;
};

/** The ids that tie a field to its hint and its error. */
function idsFor({ name, id, hint, error }: Labelled) {
  const inputId = id ?? `field-${name}`;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  return { inputId, hintId, errorId, describedBy: [hintId, errorId].filter(Boolean).join(" ") || undefined };
}

/** Label, hint, the error, and the control: the one shape of every field. */
function Shell({
  label,
  hint,
  error,
  ids,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string;
  ids: ReturnType<typeof idsFor>;
  children: ReactNode;
}) {
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={ids.inputId}>{label}</label>
      {hint ? (
        <span className="hint" id={ids.hintId}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={ids.errorId}>
          {error}
        </span>
      ) : null}
      {children}
    </div>
  );
}

type FieldProps = Labelled & { defaultValue?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "defaultValue" | "id">;

/** A labelled input whose error is announced with it (aria-describedby) and kept next to it. */
/** The hint under every field that takes formatted text (the one place its wording lives). */
export const FORMATTING_HINT = "You can use **bold**, *italics*, [links](https://example.org) and lists.";

export function Field({ name, label, error, hint, defaultValue, id, ...rest }: FieldProps) {
  const ids = idsFor({ name, label, id, hint, error });
  return (
    <Shell label={label} hint={hint} error={error} ids={ids}>
      <input id={ids.inputId} name={name} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...rest} />
    </Shell>
  );
}

type SelectFieldProps = Labelled & { defaultValue?: string; options: readonly (readonly [string, string])[] };

/** A labelled <select>, in the same shape as `Field`: its error beside it and tied to it. */
export function SelectField({ name, label, error, hint, defaultValue, id, options }: SelectFieldProps) {
  const ids = idsFor({ name, label, id, hint, error });
  return (
    <Shell label={label} hint={hint} error={error} ids={ids}>
      <select id={ids.inputId} name={name} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </Shell>
  );
}

type TextAreaProps = Labelled & { defaultValue?: string } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "defaultValue" | "id">;

/** A labelled text area, in the same shape as `Field`. */
export function TextArea({ name, label, error, hint, defaultValue, id, ...rest }: TextAreaProps) {
  const ids = idsFor({ name, label, id, hint, error });
  return (
    <Shell label={label} hint={hint} error={error} ids={ids}>
      <textarea id={ids.inputId} name={name} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...rest} />
    </Shell>
  );
}

/**
 * What went wrong with a form, at its top (GOV.UK's error summary): the message, and a link
 * to each field with a problem, so a screen reader hears every problem at once and a
 * keyboard reaches each field in one step. With no field errors, just the message.
 */
export function FormError({ message, errors }: { message?: string | null; errors?: Partial<Record<string, string | undefined>> | null }) {
  const fieldProblems = Object.entries(errors ?? {}).filter((e): e is [string, string] => !!e[1]);
  // As GOV.UK's summary does: it takes focus when it appears, so the next Tab reaches the first problem.
  const summary = useRef<HTMLDivElement>(null);
  const problems = fieldProblems.map(([n, p]) => `${n}:${p}`).join("|");
  useEffect(() => {
    if (problems) summary.current?.focus();
  }, [problems]);
  if (!message && !fieldProblems.length) return null;
  if (!fieldProblems.length) {
    return (
      <div className="form-error" role="alert">
        {message}
      </div>
    );
  }
  return (
    <div className="form-error error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={summary}>
      <h2 id="error-summary-title">There is a problem</h2>
      {message ? <p>{message}</p> : null}
      <ul>
        {fieldProblems.map(([name, problem]) => (
          <li key={name}>
            <a href={`#field-${name}`}>{problem}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A labelled <select> for filter forms; "Any" (empty) first. */
export function FilterSelect({ name, label, value, options }: { name: string; label: string; value: string; options: readonly (readonly [string, string])[] }) {
  return (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={value}>
        <option value="">Any</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A filter form's buttons: submit, and (once something is filtered) a link back to everything. */
export function SearchActions({ submit, clearTo, clearLabel, filtered }: { submit: string; clearTo: string; clearLabel: string; filtered: boolean }) {
  return (
    <div className="actions" style={{ marginTop: "1rem" }}>
      <button type="submit" className="button">
        {submit}
      </button>
      {filtered ? <Link to={clearTo}>{clearLabel}</Link> : null}
    </div>
  );
}

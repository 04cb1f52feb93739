import { Field } from "./forms";

/** Bank details: asked once per claim, shown back only as the last two digits. */
export function BankFields({
  values,
  errors,
  legend = "Your bank details",
}: {
  values: Record<string, string>;
  errors: Partial<Record<string, string>>;
  legend?: string;
}) {
  return (
    <fieldset className="stack panel">
      <legend>
        <h2>{legend}</h2>
      </legend>
      <p className="hint">
        We keep them encrypted, show them only as the last two digits, email you whenever they are entered or changed, and delete them 30 days after you are
        paid.
      </p>
      <Field
        name="accountName"
        label="Name on the account"
        autoComplete="cc-name"
        maxLength={70}
        defaultValue={values.accountName}
        error={errors.accountName}
      />
      <Field
        name="sortCode"
        label="Sort code"
        inputMode="numeric"
        autoComplete="off"
        maxLength={8}
        hint="6 digits, like 12-34-56"
        defaultValue={values.sortCode}
        error={errors.sortCode}
      />
      <Field
        name="accountNumber"
        label="Account number"
        inputMode="numeric"
        autoComplete="off"
        maxLength={10}
        hint="8 digits"
        defaultValue={values.accountNumber}
        error={errors.accountNumber}
      />
    </fieldset>
  );
}

const STATUS_CLASS: Record<string, string> = {
  submitted: "badge",
  queried: "badge warn",
  approved: "badge ok",
  paid: "badge ok",
  rejected: "badge quiet",
  withdrawn: "badge quiet",
};

export function ClaimStatus({ status, words }: { status: string; words: string }) {
  return <span className={STATUS_CLASS[status] ?? "badge"}>{words}</span>;
}

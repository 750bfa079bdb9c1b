/**
 * Labelled fields wired to Conform: each shows its errors next to it, linked by aria-describedby,
 * and keeps what the user typed when the server sends the form back.
 */
import {
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type FieldMetadata,
} from "@conform-to/react";
import type { ReactNode } from "react";

export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  if (!errors || errors.length === 0) return null;
  return (
    <ul id={id} className="field-errors" role="alert">
      {errors.map((error) => (
        <li key={error}>{error}</li>
      ))}
    </ul>
  );
}

/** A field's frame: its label, an optional hint the control is described by, the control, its errors. */
function Field({
  meta,
  label,
  hint,
  hintId,
  className,
  children,
}: {
  meta: { id: string; errorId: string; errors?: string[] };
  label: ReactNode;
  hint?: ReactNode;
  hintId?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      {children}
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

type InputType = "text" | "date" | "email" | "password" | "url" | "hidden" | "number";

export function InputField({
  label,
  meta,
  type = "text",
  hint,
  autoComplete,
  className,
  autoFocus,
}: {
  label: ReactNode;
  meta: FieldMetadata<string | number | undefined | null>;
  type?: InputType;
  hint?: ReactNode;
  autoComplete?: string;
  className?: string;
  /** Focus the field when it mounts (with and without JavaScript: the autofocus attribute). */
  autoFocus?: boolean;
}) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getInputProps(meta, { type, ariaDescribedBy: hintId });
  return (
    <Field meta={meta} label={label} hint={hint} hintId={hintId} className={className}>
      <input {...props} key={props.key} autoComplete={autoComplete} autoFocus={autoFocus} />
    </Field>
  );
}

export function TextareaField({
  label,
  meta,
  rows = 3,
  hint,
  className,
  autoFocus,
}: {
  label: ReactNode;
  meta: FieldMetadata<string | undefined | null>;
  rows?: number;
  hint?: ReactNode;
  className?: string;
  autoFocus?: boolean;
}) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getTextareaProps(meta, { ariaDescribedBy: hintId });
  return (
    <Field meta={meta} label={label} hint={hint} hintId={hintId} className={className}>
      <textarea {...props} key={props.key} rows={rows} autoFocus={autoFocus} />
    </Field>
  );
}

export function SelectField({
  label,
  meta,
  options,
  placeholder,
  className,
}: {
  label: ReactNode;
  meta: FieldMetadata<string | undefined | null>;
  options: ReadonlyArray<readonly [string, string]> | Array<{ value: string; label: string }>;
  placeholder?: string;
  className?: string;
}) {
  const props = getSelectProps(meta);
  const normalized = options.map((option) =>
    Array.isArray(option) ? { value: option[0] as string, label: option[1] as string } : (option as { value: string; label: string }),
  );
  return (
    <Field meta={meta} label={label} className={className}>
      <select {...props} key={props.key}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {normalized.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

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

type InputType = "text" | "date" | "email" | "password" | "url" | "hidden" | "number";

export function InputField({
  label,
  meta,
  type = "text",
  hint,
  autoComplete,
  className,
}: {
  label: ReactNode;
  meta: FieldMetadata<string | number | undefined | null>;
  type?: InputType;
  hint?: ReactNode;
  autoComplete?: string;
  className?: string;
}) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getInputProps(meta, { type, ariaDescribedBy: hintId });
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <input {...props} key={props.key} autoComplete={autoComplete} />
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export function TextareaField({
  label,
  meta,
  rows = 3,
  hint,
  className,
}: {
  label: ReactNode;
  meta: FieldMetadata<string | undefined | null>;
  rows?: number;
  hint?: ReactNode;
  className?: string;
}) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getTextareaProps(meta, { ariaDescribedBy: hintId });
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <textarea {...props} key={props.key} rows={rows} />
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
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
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={meta.id}>{label}</label>
      <select {...props} key={props.key}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {normalized.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/**
 * Logging or editing a response: its facts, then a verdict per question, pre-filled from the
 * completeness (with JavaScript, changing the completeness re-fills them) and editable one by one.
 */
import { getFormProps, getInputProps, useForm, type DefaultValue, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { ErrorList, InputField, SelectField, TextareaField } from "~/components/form-fields";
import { DocumentFields, type DocumentItem } from "~/components/documents";
import { COMPLETENESS_OPTIONS, defaultVerdict, responseFormSchema, VERDICT_OPTIONS, type ResponseFormValues } from "~/domain/forms";

export function ResponseForm({
  questions,
  defaultValue,
  lastResult,
  submitLabel,
  children,
  documents = {},
}: {
  questions: Array<{ id: number; number: number; text: string; status: string }>;
  defaultValue: DefaultValue<ResponseFormValues>;
  lastResult?: SubmissionResult<string[]> | null;
  submitLabel: string;
  /** Rendered first inside the form: hidden version fields, a conflict notice. */
  children?: ReactNode;
  /** What the form's documents are (by hash). */
  documents?: Record<string, DocumentItem>;
}) {
  const [form, fields] = useForm<ResponseFormValues>({
    id: "response-form",
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: responseFormSchema }),
    // As the staffer types: an error that went away on blur would move the Save button from under
    // the pointer between press and release, and the click would be lost.
    shouldRevalidate: "onInput",
  });
  const verdicts = fields.verdicts.getFieldList();
  return (
    <Form method="post" {...getFormProps(form)} className="response-form">
      {children}
      <ErrorList id={form.errorId} errors={form.errors} />
      <DocumentFields
        field={fields.documents}
        removeButton={(index) => form.remove.getButtonProps({ name: fields.documents.name, index })}
        documents={documents}
      />
      <div className="form-grid">
        {/* Text, not a date input: a date input cannot hold a month (decision 0007). */}
        <InputField
          label="Received on"
          meta={fields.receivedOn}
          hint="YYYY-MM-DD, e.g. 2025-06-17; or only the month, e.g. 2025-06, when the record gives no day (counted as received on the month's last day)"
          autoComplete="off"
        />
        <InputField label="From" meta={fields.from} hint="Who signed or sent it, e.g. Assistant Secretary for Legislative Affairs" className="wide" />
        <div className="field">
          <label htmlFor={fields.completeness.id}>Completeness</label>
          <select
            id={fields.completeness.id}
            name={fields.completeness.name}
            defaultValue={fields.completeness.initialValue}
            key={fields.completeness.key}
            aria-invalid={fields.completeness.errors ? true : undefined}
            onChange={(event) => {
              for (const verdict of verdicts) {
                form.update({ name: verdict.getFieldset().verdict.name, value: defaultVerdict(event.target.value) });
              }
            }}
          >
            {COMPLETENESS_OPTIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <ErrorList id={fields.completeness.errorId} errors={fields.completeness.errors} />
        </div>
        <InputField label="Source URL" meta={fields.sourceUrl} type="url" />
      </div>
      <TextareaField label="Summary" meta={fields.summary} />
      <TextareaField label="Notes" meta={fields.notes} />
      {questions.length > 0 ? (
        <fieldset>
          <legend>What it answered, question by question</legend>
          <p className="hint">Pre-filled from the completeness; change any that differ, or leave blank for no verdict.</p>
          <ol className="verdicts">
            {verdicts.map((verdict, index) => {
              const parts = verdict.getFieldset();
              // By id, not position: the letter's questions may have changed since the form was
              // opened (one removed, renumbered), and a verdict belongs to the question it names.
              const question = questions.find((each) => String(each.id) === String(parts.questionId.value ?? parts.questionId.initialValue ?? ""));
              if (!question) {
                return (
                  <li key={verdict.key} data-testid="verdict-gone" className="verdict-gone">
                    <input {...getInputProps(parts.questionId, { type: "hidden" })} />
                    <input {...getInputProps(parts.verdict, { type: "hidden" })} />
                    <p role="alert">
                      A question this form was opened with has been removed from the letter since, so its verdict cannot be saved.
                    </p>
                    <ErrorList id={parts.verdict.errorId} errors={parts.verdict.errors} />
                    <button type="submit" className="secondary" {...form.remove.getButtonProps({ name: fields.verdicts.name, index })}>
                      Leave out this verdict
                    </button>
                  </li>
                );
              }
              return (
                <li key={verdict.key} value={question.number} data-testid="verdict">
                  <input {...getInputProps(parts.questionId, { type: "hidden" })} />
                  <p>{question.text}</p>
                  <SelectField
                    label={`Verdict on question ${question.number}`}
                    meta={parts.verdict}
                    options={VERDICT_OPTIONS}
                    placeholder="No verdict"
                  />
                </li>
              );
            })}
          </ol>
        </fieldset>
      ) : null}
      <div className="form-actions">
        <button type="submit" name="intent" value="save">
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}

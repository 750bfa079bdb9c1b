/**
 * The form for logging and editing a letter. Adding, removing and reordering senders, recipients
 * and questions are Conform intents: buttons that work with and without JavaScript.
 */
import {
  getFieldsetProps,
  getFormProps,
  getInputProps,
  useForm,
  type DefaultValue,
  type FieldMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useFetcher, useNavigation } from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import { ErrorList, InputField, SelectField, TextareaField } from "~/components/form-fields";
import { Picker, rememberedLabel } from "~/components/picker";
import { DocumentFields, type DocumentItem } from "~/components/documents";
import { ProposalPreview } from "~/components/proposal-preview";
import { letterFormSchema, QUESTION_KIND_OPTIONS, type LetterFormValues } from "~/domain/forms";
import type { LetterProposal, ProposalFocus } from "~/domain/letter-proposal";
import { PICK_CHOICE_PREFIX, type PickerItem } from "~/domain/pickers";
import { CHAMBER_TERMS, MEMBER_CHAMBER_TERMS, PARTY_TERMS } from "~/domain/vocabulary";
import type { LetterFormLabels, letterFormOptions, RepeatLabel } from "~/models/letter-forms.server";
import { formatDate } from "~/domain/dates";

type Options = ReturnType<typeof letterFormOptions>;

const CHAMBER_OPTIONS = CHAMBER_TERMS.options;
const MEMBER_CHAMBER_OPTIONS = MEMBER_CHAMBER_TERMS.options;
const PARTY_OPTIONS = PARTY_TERMS.options;

interface LetterFormProps {
  options: Options;
  /** Labels of the members and officials the form's values pick (the pickers show them). */
  labels: LetterFormLabels;
  defaultValue: DefaultValue<LetterFormValues>;
  lastResult?: SubmissionResult<string[]> | null;
  submitLabel: string;
  /** Set when the server applied a proposal (the no-JavaScript path). */
  proposalNote?: string | null;
  /** The proposal the server made (the no-JavaScript path), shown with where each field came from. */
  proposal?: LetterProposal | null;
  /** The first field the proposal filled: it gets the focus. */
  proposalFocus?: ProposalFocus;
  /** Rendered first inside the form: hidden version fields, a conflict notice. */
  children?: ReactNode;
  /** What the form's documents are (by hash): names, sizes, addresses. */
  documents?: Record<string, DocumentItem>;
  /** Sender and recipient fields whose name matched several, with the matches to choose from. */
  choices?: Record<string, PickerItem[]>;
  /** Where the form posts (and "Propose" asks), when not the page's own address. */
  action?: string;
}

/** The labels a form's loader sent, with those of an action's reply (names resolved on saving). */
export function mergeLabels(first: LetterFormLabels, second?: LetterFormLabels | null): LetterFormLabels {
  if (!second) return first;
  return {
    members: { ...first.members, ...second.members },
    officials: { ...first.officials, ...second.officials },
    repeats: { ...first.repeats, ...second.repeats },
  };
}

/** What the routes' actions answer to "Propose from text" (app/utils/letter-proposal.server.ts). */
interface ProposalAnswer {
  kind: "proposal";
  values: Record<string, unknown>;
  note: string;
  focus: ProposalFocus;
  proposal: LetterProposal;
  key: number;
  labels: LetterFormLabels;
}

/**
 * "Propose from text" is always the server's: without JavaScript the button posts the form and the
 * route's action answers with the proposal applied; with it, the form's fields are posted the same
 * way by a fetcher (no navigation) and the form is re-mounted with the answer. Either way the
 * proposal runs in the read pool, its senders and recipients are matched to the roster and the
 * agency directory (shown in the pickers, changeable), the first field the proposal filled has the
 * focus (autofocus), and the preview shows where each proposed field came from.
 */
export function LetterForm(props: LetterFormProps) {
  const proposer = useFetcher<ProposalAnswer>();
  const [proposal, setProposal] = useState<ProposalAnswer | null>(null);
  useEffect(() => {
    const answer = proposer.data as ProposalAnswer | undefined;
    if (answer?.kind === "proposal") setProposal(answer);
  }, [proposer.data]);
  return (
    <LetterFormBody
      key={proposal?.key ?? "initial"}
      {...props}
      labels={mergeLabels(props.labels, proposal?.labels)}
      defaultValue={proposal ? (proposal.values as DefaultValue<LetterFormValues>) : props.defaultValue}
      lastResult={proposal ? null : props.lastResult}
      proposalNote={proposal?.note ?? props.proposalNote}
      proposal={proposal?.proposal ?? props.proposal}
      proposalFocus={proposal ? proposal.focus : props.proposalFocus}
      proposing={proposer.state !== "idle"}
      onPropose={(formElement) => {
        const fields = new FormData(formElement);
        fields.set("intent", "parse");
        proposer.submit(fields, { method: "post", action: props.action });
      }}
    />
  );
}

/**
 * A name that matched several members or officials, offered as a choice: one radio button per match
 * (works without JavaScript; the rest of the form keeps what was typed). Saving again with one
 * chosen saves that one (`choice:<field>` wins over the text).
 */
/**
 * A question that asks again one of an earlier letter's (decision 0023): the link travels as a
 * hidden field (the writer checks it), and the form says which question it repeats.
 */
function RepeatField({
  meta,
  notRepeat,
  label,
}: {
  meta: FieldMetadata<number | undefined>;
  notRepeat: FieldMetadata<boolean | undefined>;
  label?: RepeatLabel;
}) {
  if (!meta.value && !meta.errors) return null;
  return (
    <>
      <input {...getInputProps(meta, { type: "hidden" })} />
      {label ? (
        <p className="muted repeat-note">
          Repeats question {label.number} of the letter of {formatDate(label.sentOn)} (
          <a href={`/letters/${label.letterSlug}`}>{label.letterTitle}</a>)
        </p>
      ) : null}
      {/* Removes the link when saved, keeping the question (works without JavaScript). */}
      <div className="checkbox-field">
        <input {...getInputProps(notRepeat, { type: "checkbox" })} data-testid="not-a-repeat" />
        <label htmlFor={notRepeat.id}>Not a repeat: remove the link to the earlier question</label>
      </div>
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </>
  );
}

function PickChoices({ field, label, choices }: { field: string; label: string; choices?: PickerItem[] }) {
  if (!choices || choices.length < 2) return null;
  return (
    <fieldset className="pick-choices wide" data-testid={`choices-${field}`}>
      <legend>{label}: which one did you mean?</legend>
      <ul className="small">
        {choices.map((choice) => (
          <li key={choice.value}>
            <label className="inline">
              <input type="radio" name={`${PICK_CHOICE_PREFIX}${field}`} value={choice.value} /> {choice.label}
              {choice.hint ? <span className="muted"> · {choice.hint}</span> : null}
            </label>
          </li>
        ))}
      </ul>
      <p className="hint small">Choose one and save again.</p>
    </fieldset>
  );
}

/** A sender or recipient picker still holding the letter's words rather than a picked member or official. */
function unmatchedName(value: unknown, names: ReadonlySet<string>): string | null {
  return typeof value === "string" && names.has(value) ? value : null;
}

function LetterFormBody({
  options,
  labels,
  defaultValue,
  lastResult,
  submitLabel,
  proposalNote,
  proposal,
  proposalFocus,
  proposing,
  onPropose,
  children,
  documents = {},
  choices = {},
  action,
}: LetterFormProps & { proposing: boolean; onPropose: (form: HTMLFormElement) => void }) {
  const navigation = useNavigation();
  const [form, fields] = useForm<LetterFormValues>({
    id: "letter-form",
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: letterFormSchema }),
    shouldValidate: "onSubmit",
    // Messages change as the staffer types, never as the focus leaves a field: a message that went
    // away on blur moved the save button from under the pointer between press and release, and the
    // first click after an error was lost.
    shouldRevalidate: "onInput",
  });
  const proposedSenders = new Set(proposal?.senders.map((sender) => sender.name) ?? []);
  const proposedRecipients = new Set(proposal?.recipients.map((recipient) => recipient.name) ?? []);
  const labelOf = (kind: "members" | "officials", value: string) => labels[kind][value] ?? rememberedLabel(kind, value) ?? value;
  const senders = fields.senders.getFieldList();
  const recipients = fields.recipients.getFieldList();
  const questions = fields.questions.getFieldList();

  return (
    <Form method="post" action={action} {...getFormProps(form)} className="letter-form">
      {children}
      <ErrorList id={form.errorId} errors={form.errors} />
      <DocumentFields
        field={fields.documents}
        removeButton={(index) => form.remove.getButtonProps({ name: fields.documents.name, index })}
        documents={documents}
      />

      <details className="paste-box" open={!defaultValue?.title || Boolean(proposal)}>
        <summary>Paste the letter text to propose the whole letter</summary>
        <TextareaField
          label="Letter text"
          meta={fields.pasteText}
          rows={8}
          hint='The title, sent date, chamber, committee, senders, recipients, deadline ("no later than May 1, 2025", "within 14 business days of receipt") and every question and request (lists and sentences such as "Please provide…") are proposed. You can correct everything before saving.'
        />
        <button
          type="submit"
          name="intent"
          value="parse"
          formNoValidate
          className="secondary"
          aria-disabled={proposing || undefined}
          onClick={(event) => {
            // Posted by the fetcher (no navigation, no client-side validation of a half-filled form).
            event.preventDefault();
            const formElement = event.currentTarget.form;
            if (formElement && !proposing) onPropose(formElement);
          }}
        >
          {proposing ? "Proposing…" : "Propose from text"}
        </button>
      </details>
      {proposalNote ? (
        <p className="notice" role="status" data-testid="proposal-note">
          {proposalNote}
        </p>
      ) : null}
      {proposal ? <ProposalPreview proposal={proposal} /> : null}

      <fieldset>
        <legend>The letter</legend>
        <div className="form-grid">
          <InputField label="Title" meta={fields.title} className="wide" autoFocus={proposalFocus === "title"} />
          <InputField label="Sent on" meta={fields.sentOn} type="date" autoFocus={proposalFocus === "sentOn"} />
          <SelectField label="Chamber" meta={fields.chamber} options={CHAMBER_OPTIONS} />
          <SelectField label="Committee" meta={fields.committee} options={options.committees} placeholder="None, or a new one below" />
          <InputField label="New committee" meta={fields.newCommittee} hint="Only if it is not in the list." />
          <InputField label="Deadline" meta={fields.deadline} type="date" hint="The date the letter asks for, if any." autoFocus={proposalFocus === "deadline"} />
          <InputField label="Topics" meta={fields.tags} hint="Comma-separated, e.g. el-salvador, cecot" />
          <InputField label="Source URL" meta={fields.sourceUrl} type="url" />
          <InputField label="Slug" meta={fields.slug} hint="The letter's address; made from the title if left empty." />
        </div>
        <TextareaField label="Summary" meta={fields.summary} />
        <TextareaField label="Public notes" meta={fields.notes} hint='Shown to everyone, e.g. "date inferred from the press release".' />
        <TextareaField label="Internal notes" meta={fields.internalNotes} hint="Staff only: never shown to visitors who are not signed in." />
        <input {...getInputProps(fields.followsUp, { type: "hidden" })} />
      </fieldset>

      <fieldset {...getFieldsetProps(fields.senders)}>
        <legend>Senders</legend>
        <ErrorList id={fields.senders.errorId} errors={fields.senders.errors} />
        <ErrorList id={fields.leadSender.errorId} errors={fields.leadSender.errors} />
        {senders.map((sender, index) => {
          const parts = sender.getFieldset();
          const unmatched = unmatchedName(parts.member.initialValue, proposedSenders);
          return (
            <div key={sender.key} className="repeat-item" data-testid="sender">
              <div className="form-grid">
                <Picker
                  key={`${parts.member.key}:${String(parts.member.initialValue ?? "")}`}
                  kind="members"
                  name={parts.member.name}
                  id={parts.member.id}
                  label={`Sender ${index + 1}`}
                  value={String(parts.member.initialValue ?? "")}
                  text={labelOf("members", String(parts.member.initialValue ?? ""))}
                  hint={
                    unmatched ? (
                      <>
                        <span className="match-state" data-testid="not-matched">Not matched yet</span> “{unmatched}” is from the letter:
                        pick the member, or it is looked up by name when you save.
                      </>
                    ) : (
                      "Type to search; leave empty to add a new member below."
                    )
                  }
                  errors={parts.member.errors}
                  errorId={parts.member.errorId}
                  className="field"
                  autoFocus={proposalFocus === "senders" && index === 0}
                />
                <PickChoices field={parts.member.name} label={`Sender ${index + 1}`} choices={choices[parts.member.name]} />
                <InputField label="New member's name" meta={parts.name} />
                <SelectField label="Party" meta={parts.party} options={PARTY_OPTIONS} placeholder="—" />
                <InputField label="State" meta={parts.state} hint="Two letters" />
                <SelectField label="Chamber" meta={parts.chamber} options={MEMBER_CHAMBER_OPTIONS} placeholder="—" />
                <InputField label="Role at the time" meta={parts.role} />
              </div>
              <div className="item-actions">
                <label className="inline">
                  <input
                    type="radio"
                    name={fields.leadSender.name}
                    value={String(index)}
                    defaultChecked={String(fields.leadSender.initialValue ?? "0") === String(index)}
                  />{" "}
                  Lead signer
                </label>
                <button className="secondary" {...form.remove.getButtonProps({ name: fields.senders.name, index })}>
                  Remove sender {index + 1}
                </button>
              </div>
            </div>
          );
        })}
        <button className="secondary" {...form.insert.getButtonProps({ name: fields.senders.name })}>
          Add a sender
        </button>
      </fieldset>

      <fieldset {...getFieldsetProps(fields.recipients)}>
        <legend>Recipients</legend>
        <ErrorList id={fields.recipients.errorId} errors={fields.recipients.errors} />
        {recipients.map((recipient, index) => {
          const parts = recipient.getFieldset();
          const unmatched = unmatchedName(parts.official.initialValue, proposedRecipients);
          return (
            <div key={recipient.key} className="repeat-item" data-testid="recipient">
              <div className="form-grid">
                <Picker
                  key={`${parts.official.key}:${String(parts.official.initialValue ?? "")}`}
                  kind="officials"
                  name={parts.official.name}
                  id={parts.official.id}
                  label={`Recipient ${index + 1}`}
                  value={String(parts.official.initialValue ?? "")}
                  text={labelOf("officials", String(parts.official.initialValue ?? ""))}
                  hint={
                    unmatched ? (
                      <>
                        <span className="match-state" data-testid="not-matched">Not matched yet</span> “{unmatched}” is from the letter:
                        pick the official, or it is looked up by name when you save; the name, title and agency below are ready for a new one.
                      </>
                    ) : (
                      "Type a name, title or agency to search; leave empty to add a new official below."
                    )
                  }
                  errors={parts.official.errors}
                  errorId={parts.official.errorId}
                  className="field"
                  autoFocus={proposalFocus === "recipients" && index === 0}
                />
                <PickChoices field={parts.official.name} label={`Recipient ${index + 1}`} choices={choices[parts.official.name]} />
                <InputField label="New official's name" meta={parts.name} />
                <InputField label="Official's title" meta={parts.title} />
                <Picker
                  key={parts.agency.key}
                  kind="agencies"
                  freeText
                  name={parts.agency.name}
                  id={parts.agency.id}
                  label="Agency"
                  value={String(parts.agency.initialValue ?? "")}
                  text={String(parts.agency.initialValue ?? "")}
                  errors={parts.agency.errors}
                  errorId={parts.agency.errorId}
                  className="field"
                />
              </div>
              <div className="item-actions">
                <button className="secondary" {...form.remove.getButtonProps({ name: fields.recipients.name, index })}>
                  Remove recipient {index + 1}
                </button>
              </div>
            </div>
          );
        })}
        <button className="secondary" {...form.insert.getButtonProps({ name: fields.recipients.name })}>
          Add a recipient
        </button>
      </fieldset>

      <fieldset {...getFieldsetProps(fields.questions)}>
        <legend>Questions and requests</legend>
        <ErrorList id={fields.questions.errorId} errors={fields.questions.errors} />
        <ol className="question-editor">
          {questions.map((question, index) => {
            const parts = question.getFieldset();
            return (
              <li key={question.key} data-testid="question-editor">
                <input {...getInputProps(parts.id, { type: "hidden" })} />
                <RepeatField meta={parts.repeats} notRepeat={parts.notRepeat} label={parts.repeats.value ? labels.repeats?.[parts.repeats.value] : undefined} />
                <TextareaField label={`Question ${index + 1}`} meta={parts.text} rows={2} autoFocus={proposalFocus === "questions" && index === 0} />
                <div className="item-actions">
                  <SelectField label="Kind" meta={parts.kind} options={QUESTION_KIND_OPTIONS} />
                  <button
                    className="secondary"
                    disabled={index === 0}
                    {...form.reorder.getButtonProps({ name: fields.questions.name, from: index, to: index - 1 })}
                  >
                    Move up
                  </button>
                  <button
                    className="secondary"
                    disabled={index === questions.length - 1}
                    {...form.reorder.getButtonProps({ name: fields.questions.name, from: index, to: index + 1 })}
                  >
                    Move down
                  </button>
                  <button className="secondary" {...form.remove.getButtonProps({ name: fields.questions.name, index })}>
                    Remove question {index + 1}
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
        <button
          className="secondary"
          {...form.insert.getButtonProps({ name: fields.questions.name, defaultValue: { kind: "question" } })}
        >
          Add a question
        </button>
      </fieldset>

      <div className="form-actions">
        <button type="submit" name="intent" value="save" disabled={navigation.state === "submitting"}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}

/**
 * A searchable picker: a text field that suggests agencies, committees, members, topics or
 * officials as you type (the ARIA 1.2 combobox pattern: a text input with a listbox of suggestions;
 * up and down arrows move through them, Enter picks one, Escape closes the list).
 *
 * Without JavaScript it is a plain text field named `name`: the server takes what was typed (a name,
 * a label or an identifier) and finds the one thing it names, or says what is wrong (see
 * app/models/pickers.server.ts). With JavaScript the field itself has no name: a hidden input sends
 * the picked item's value (a slug, an official's id), or the typed text while nothing is picked, so
 * the server reads both the same way. Suggestions come from GET /pickers/:kind, fetched a moment
 * after typing stops, and a newer keystroke cancels the older request.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { ErrorList } from "~/components/form-fields";
import { useHydrated } from "~/components/client-only";
import { PICKER_NOUNS, pickerWords, type PickerItem, type PickerKind } from "~/domain/pickers";

/** Quiet time after a keystroke before suggestions are fetched. */
const DEBOUNCE_MS = 150;

/** Labels of items picked in this browser, so a field that re-mounts (a list reordered) still shows one. */
const pickedLabels = new Map<string, string>();
const labelKey = (kind: PickerKind, value: string) => `${kind}:${value}`;

/** The label of a value picked earlier in this browser, if any. */
export function rememberedLabel(kind: PickerKind, value: string): string | undefined {
  return pickedLabels.get(labelKey(kind, value));
}

export interface PickerProps {
  kind: PickerKind;
  /** The form field's name. */
  name: string;
  /** The text input's id. */
  id?: string;
  label: ReactNode;
  /** What the field sends at first: a value (slug or id), typed text, or "". */
  value: string;
  /** What the field shows at first: the value's label, or the typed text. */
  text: string;
  hint?: ReactNode;
  /** Problems with the field, shown under it and linked to it. */
  errors?: string[] | null;
  errorId?: string;
  /** The typed text is the value (a new official's agency): suggestions only complete the name. */
  freeText?: boolean;
  className?: string;
  placeholder?: string;
  /** Focus the field when it mounts (the first field a proposal filled). */
  autoFocus?: boolean;
}

export function Picker({
  kind,
  name,
  id: givenId,
  label,
  value: initialValue,
  text: initialText,
  hint,
  errors,
  errorId: givenErrorId,
  freeText = false,
  className,
  placeholder,
  autoFocus,
}: PickerProps) {
  const ownId = useId();
  const id = givenId ?? `picker-${ownId.replace(/:/g, "")}`;
  const listId = `${id}-list`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = givenErrorId ?? `${id}-error`;
  const hasErrors = Boolean(errors && errors.length > 0);
  const hydrated = useHydrated();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(initialText);
  const [value, setValue] = useState(initialValue);
  const [items, setItems] = useState<PickerItem[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState("");
  const pending = useRef<{ timer?: ReturnType<typeof setTimeout>; controller?: AbortController }>({});
  const noun = PICKER_NOUNS[kind];

  useEffect(() => {
    // Text typed before the page's JavaScript arrived is kept.
    const typed = inputRef.current?.value;
    if (typed !== undefined && typed !== initialText) {
      setText(typed);
      setValue(typed.trim());
    }
    const current = pending.current;
    return () => {
      clearTimeout(current.timer);
      current.controller?.abort();
    };
    // Only on mount: later changes of the initial values re-mount the field (its key).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function close() {
    setOpen(false);
    setActive(-1);
  }

  function suggest(query: string) {
    clearTimeout(pending.current.timer);
    pending.current.controller?.abort();
    if (pickerWords(query).length === 0) {
      setItems([]);
      close();
      setStatus("");
      return;
    }
    pending.current.timer = setTimeout(async () => {
      const controller = new AbortController();
      pending.current.controller = controller;
      try {
        const response = await fetch(`/pickers/${kind}?${new URLSearchParams({ q: query })}`, {
          signal: controller.signal,
          headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(`Suggestions failed: ${response.status}`);
        const body = (await response.json()) as { data: PickerItem[]; meta: { more: boolean } };
        if (controller.signal.aborted) return;
        setItems(body.data);
        setActive(-1);
        // Suggestions that arrive after the focus moved on stay closed until the field is used again.
        setOpen(document.activeElement === inputRef.current);
        const count = body.data.length;
        setStatus(
          count === 0
            ? `No ${noun.many} match.`
            : `${body.meta.more ? "More than " : ""}${count} ${count === 1 ? noun.one : noun.many}${
                body.meta.more ? "; type more to narrow them" : ""
              }. Use the up and down arrows to choose.`,
        );
      } catch {
        if (controller.signal.aborted) return;
        setItems([]);
        close();
        setStatus("No suggestions could be loaded; what you type is looked up when the form is sent.");
      }
    }, DEBOUNCE_MS);
  }

  function choose(item: PickerItem) {
    pickedLabels.set(labelKey(kind, item.value), item.label);
    setText(item.label);
    setValue(freeText ? item.label : item.value);
    setItems([]);
    close();
    setStatus(`${item.label} picked.`);
    clearTimeout(pending.current.timer);
    pending.current.controller?.abort();
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!open || items.length === 0) {
          if (items.length > 0) {
            setOpen(true);
            setActive(0);
          } else {
            suggest(text);
          }
        } else {
          setActive((active + 1) % items.length);
        }
        break;
      case "ArrowUp":
        event.preventDefault();
        if (open && items.length > 0) setActive(active <= 0 ? items.length - 1 : active - 1);
        break;
      case "Enter":
        // With a suggestion highlighted, Enter picks it; otherwise it sends the form as usual.
        if (open && active >= 0 && items[active]) {
          event.preventDefault();
          choose(items[active]!);
        }
        break;
      case "Escape":
        if (open) {
          event.preventDefault();
          close();
        }
        break;
    }
  }

  const showList = hydrated && open;
  const describedBy = [hintId, hasErrors ? errorId : null].filter(Boolean).join(" ") || undefined;
  const combobox = hydrated
    ? {
        role: "combobox" as const,
        "aria-autocomplete": "list" as const,
        "aria-expanded": showList && items.length > 0,
        "aria-controls": listId,
        "aria-activedescendant": showList && active >= 0 ? `${id}-option-${active}` : undefined,
      }
    : {};

  return (
    <div className={`picker ${className ?? ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <div className="picker-control">
        <input
          ref={inputRef}
          id={id}
          type="text"
          // Without JavaScript (and for free text) the typed text is what the form sends.
          name={!hydrated || freeText ? name : undefined}
          value={text}
          onChange={(event) => {
            const typed = event.target.value;
            setText(typed);
            setValue(freeText ? typed : typed.trim());
            suggest(typed);
          }}
          onKeyDown={onKeyDown}
          onBlur={close}
          autoComplete="off"
          spellCheck={false}
          placeholder={placeholder}
          autoFocus={autoFocus}
          maxLength={200}
          aria-invalid={hasErrors || undefined}
          aria-describedby={describedBy}
          {...combobox}
        />
        {hydrated && !freeText ? <input type="hidden" name={name} value={value} /> : null}
        {hydrated ? (
          <ul id={listId} role="listbox" aria-label={`Suggested ${noun.many}`} className="picker-list" hidden={!showList || items.length === 0}>
            {items.map((item, index) => (
              <li
                key={item.value}
                id={`${id}-option-${index}`}
                role="option"
                aria-selected={index === active}
                // Keep the focus in the field: the list closes when the field loses it.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(item)}
              >
                {item.label}
                {item.hint ? <span className="picker-hint"> · {item.hint}</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
        {showList && items.length === 0 ? <p className="picker-none">No {noun.many} match.</p> : null}
      </div>
      {hydrated ? (
        <span className="visually-hidden" role="status">
          {status}
        </span>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

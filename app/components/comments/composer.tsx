/** A comment box with @mention autocomplete: type "@", pick a member with the arrow keys and Enter. */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { mentionQueryAt, mentionToken } from "#app/domain/mentions.ts";
import { Button } from "#app/components/ui/button.tsx";

export interface Member {
  userId: string;
  name: string;
}

interface Props {
  members: Member[];
  label: string;
  submitLabel: string;
  initial?: string;
  onSubmit(body: string): Promise<boolean>;
  onTyping?(): void;
  onCancel?(): void;
  /** Take focus on opening (a reply box opened by its button). */
  autoFocus?: boolean;
  /**
   * The text leaves the field the moment it is sent (the comment is already drawn, marked as sending) and comes
   * back if the server refuses it. Off for editing, where the field closes once saved.
   */
  optimistic?: boolean;
}

export function Composer({
  members,
  label,
  submitLabel,
  initial = "",
  onSubmit,
  onTyping,
  onCancel,
  autoFocus = false,
  optimistic = false,
}: Props) {
  const [text, setText] = useState(initial);
  const [caret, setCaret] = useState(0);
  const [highlight, setHighlight] = useState(0);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const listId = `mentions-${useId()}`;
  /** Escape closes the suggestions until the person types again. */
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => {
    if (autoFocus) area.current?.focus();
  }, [autoFocus]);
  const query = mentionQueryAt(text, caret);
  const suggestions =
    query === null || dismissed ? [] : members.filter((m) => m.name.toLowerCase().includes(query.toLowerCase())).slice(0, 6);

  function pick(member: Member) {
    const start = caret - (query?.length ?? 0) - 1;
    const token = `${mentionToken(member.name, member.userId)} `;
    const next = text.slice(0, start) + token + text.slice(caret);
    setText(next);
    const position = start + token.length;
    requestAnimationFrame(() => {
      area.current?.setSelectionRange(position, position);
      setCaret(position);
    });
  }

  async function submit() {
    if (!text.trim() || busy) return;
    const sent = text;
    if (optimistic) {
      setText("");
      setCaret(0);
      // Refused: the words come back to the field, unless the person has started another comment meanwhile.
      if (!(await onSubmit(sent))) setText((current) => (current === "" ? sent : current));
      return;
    }
    setBusy(true);
    const ok = await onSubmit(sent);
    setBusy(false);
    if (ok) {
      setText("");
      setCaret(0);
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggestions.length) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        setHighlight((h) => (h + (e.key === "ArrowDown" ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        pick(suggestions[Math.min(highlight, suggestions.length - 1)]);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        setDismissed(true);
        return;
      }
    }
    if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
      e.preventDefault();
      void submit();
    }
    if (e.key === "Escape" && onCancel) onCancel();
  }

  return (
    <div className="relative space-y-2">
      <label className="sr-only" htmlFor={`composer-${label}`}>
        {label}
      </label>
      <textarea
        id={`composer-${label}`}
        ref={area}
        rows={2}
        value={text}
        placeholder={`${label} — @ to mention, Ctrl+Enter to send`}
        onChange={(e) => {
          setText(e.currentTarget.value);
          setCaret(e.currentTarget.selectionStart);
          setHighlight(0);
          setDismissed(false);
          onTyping?.();
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        aria-label={label}
        // Screen readers follow the highlighted suggestion while focus stays in the text.
        aria-autocomplete="list"
        aria-controls={suggestions.length ? listId : undefined}
        aria-activedescendant={suggestions.length ? `${listId}-${Math.min(highlight, suggestions.length - 1)}` : undefined}
        className="block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500"
      />
      {suggestions.length ? (
        <ul
          id={listId}
          role="listbox"
          aria-label="Mention a member"
          className="absolute z-10 mt-1 w-64 rounded-md border border-slate-200 bg-white shadow-lg"
        >
          {suggestions.map((m, i) => (
            <li
              key={m.userId}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === highlight}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(m);
              }}
              className={`cursor-pointer px-3 py-1.5 text-sm ${i === highlight ? "bg-brand-50 text-brand-700" : ""}`}
            >
              {m.name}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="flex gap-2">
        <Button type="button" className="px-2.5 py-1" disabled={busy || !text.trim()} onClick={() => void submit()}>
          {submitLabel}
        </Button>
        {onCancel ? (
          <Button type="button" variant="secondary" className="px-2.5 py-1" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </div>
  );
}

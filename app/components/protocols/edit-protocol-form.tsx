/**
 * Editing a protocol's text. The version the edit started from is frozen
 * when the page opens: live updates may refresh the page underneath, but a
 * save is always checked against the text the person actually edited. When
 * someone else saved first, the server answers 409 and this form shows both
 * texts, their differences, and the person's own text ready to merge.
 */
import { Form, useNavigation } from "@remix-run/react";
import { useMemo, useRef, useState } from "react";
import { Button } from "#app/components/ui/button.tsx";
import { TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Notice } from "#app/components/ui/notice.tsx";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { diffTexts } from "#app/domain/text-diff.ts";
import { InlineDiff, SideBySideTexts } from "./diff-view.tsx";
import { MARKDOWN_TEXTAREA } from "./styles.ts";

export interface ConflictState {
  message: string;
  detail: {
    currentVersion: number;
    current: { version: number; body: string; note: string | null; author: { name: string }; createdAt: string };
  };
  mine: { body: string; note: string; baseVersion: number };
}

interface Failure {
  formError: string | null;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
}

interface Props {
  current: { version: number; body: string; author: { name: string }; createdAt: string };
  conflict?: ConflictState;
  failure?: Failure;
}

export function EditProtocolForm({ current, conflict: answered, failure }: Props) {
  // An action's answer is dropped when the live layer revalidates the page; the
  // merge view must survive that, so the latest conflict is kept here until the save succeeds.
  const [kept, setKept] = useState(answered);
  if (answered && answered !== kept) setKept(answered);
  const conflict = answered ?? kept;
  const [startedFrom] = useState(current.version);
  const [startedText] = useState(current.body);
  const form = useRef<HTMLFormElement>(null);
  const busy = useNavigation().state === "submitting";
  const baseVersion = conflict ? conflict.detail.currentVersion : startedFrom;
  const newerMeanwhile = !conflict && current.version > startedFrom;
  const differences = useMemo(() => (conflict ? diffTexts(conflict.detail.current.body, conflict.mine.body) : null), [conflict]);
  const replaceText = (text: string) => {
    const field = form.current?.elements.namedItem("body");
    if (!(field instanceof HTMLTextAreaElement)) return;
    field.value = text;
    field.focus();
  };

  return (
    <div className="space-y-5">
      {conflict ? (
        <section aria-labelledby="conflict-heading" className="space-y-4">
          <Notice tone="error">
            <h3 id="conflict-heading" className="font-semibold">
              Someone saved version {conflict.detail.currentVersion} while you were editing
            </h3>
            <p className="mt-1">
              Nothing was overwritten. Your text (based on version {conflict.mine.baseVersion}) is kept below; merge the changes you want
              from version {conflict.detail.currentVersion} and save again.
            </p>
          </Notice>
          <SideBySideTexts
            left={{ title: `Your text (based on version ${conflict.mine.baseVersion})`, text: conflict.mine.body }}
            right={{
              title: `Current text: version ${conflict.detail.current.version} by ${conflict.detail.current.author.name}, ${formatUtc(conflict.detail.current.createdAt)}${conflict.detail.current.note ? ` (“${conflict.detail.current.note}”)` : ""}`,
              text: conflict.detail.current.body,
            }}
          />
          {differences ? (
            <div className="space-y-1">
              <h4 className="text-sm font-medium text-slate-800">From version {conflict.detail.currentVersion} to your text</h4>
              <InlineDiff diff={differences} label={`Differences from version ${conflict.detail.currentVersion} to your text`} />
            </div>
          ) : null}
        </section>
      ) : null}
      {newerMeanwhile ? (
        <Notice>
          Version {current.version} was saved by {current.author.name} while you were editing. When you save, you will see both texts so you
          can merge them.
        </Notice>
      ) : null}
      <Form method="post" className="space-y-3" ref={form}>
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="baseVersion" value={baseVersion} />
        {failure?.formError ? <Notice tone="error">{failure.formError}</Notice> : null}
        <TextAreaField
          key={conflict ? `merge-${conflict.detail.currentVersion}` : "edit"}
          label={conflict ? "Merged text (markdown)" : "Text (markdown)"}
          name="body"
          rows={24}
          defaultValue={conflict ? conflict.mine.body : (failure?.values.body ?? startedText)}
          error={failure?.fieldErrors.body}
          hint="Headings (#, ##, ###) become sections with anchors that comments can point at."
          className={MARKDOWN_TEXTAREA}
        />
        {conflict ? (
          <div className="flex flex-wrap gap-2">
            <Button type="button" variant="secondary" onClick={() => replaceText(conflict.mine.body)}>
              Start again from my text
            </Button>
            <Button type="button" variant="secondary" onClick={() => replaceText(conflict.detail.current.body)}>
              Start from version {conflict.detail.currentVersion}
            </Button>
          </div>
        ) : null}
        <TextField
          label="Note about this change (optional)"
          name="note"
          maxLength={500}
          defaultValue={conflict ? conflict.mine.note : failure?.values.note}
          error={failure?.fieldErrors.note}
          placeholder="e.g. Centrifugation at 2000 g instead of 1500 g"
          key={conflict ? `note-${conflict.detail.currentVersion}` : "note"}
        />
        <Button disabled={busy}>{busy ? "Saving…" : `Save as version ${baseVersion + 1}`}</Button>
      </Form>
    </div>
  );
}

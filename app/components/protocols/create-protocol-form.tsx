import { Form, useNavigation } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Notice } from "#app/components/ui/notice.tsx";
import { MARKDOWN_TEXTAREA } from "./styles.ts";

interface Failure {
  formError: string | null;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
}

export function CreateProtocolForm({ failure }: { failure?: Failure }) {
  const busy = useNavigation().formData?.get("intent") === "create";
  return (
    <Form method="post" className="space-y-3 text-left">
      <input type="hidden" name="intent" value="create" />
      {failure?.formError ? <Notice tone="error">{failure.formError}</Notice> : null}
      <TextField
        label="Title"
        name="title"
        required
        maxLength={300}
        defaultValue={failure?.values.title}
        error={failure?.fieldErrors.title}
        placeholder="Blood sampling and hs-CRP assay SOP"
      />
      <TextAreaField
        label="Text (markdown)"
        name="body"
        rows={8}
        defaultValue={failure?.values.body}
        error={failure?.fieldErrors.body}
        hint="Headings (# Sampling, ## Storage) become sections that comments can point at. You can add the text later."
        className={MARKDOWN_TEXTAREA}
      />
      <TextField
        label="Note for version 1 (optional)"
        name="note"
        maxLength={500}
        defaultValue={failure?.values.note}
        error={failure?.fieldErrors.note}
      />
      <Button disabled={busy}>{busy ? "Creating…" : "Create protocol"}</Button>
    </Form>
  );
}

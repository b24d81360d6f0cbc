/** A panel's name and description, for contributors and leads. */
import { Form, useNavigation } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { TextAreaField, TextField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { errorFor, useBaseVersion, type FormResult } from "./biomarker-form.tsx";

interface Props {
  panel: { name: string; description: string; version: number };
  result: FormResult | undefined;
  savedVersion?: number;
}

export function PanelDetailsForm({ panel, result, savedVersion }: Props) {
  const mine = result && !result.ok && result.intent === "update-panel" ? result : undefined;
  const baseVersion = useBaseVersion(panel.version, mine?.conflict, savedVersion);
  const busy = useNavigation().formData?.get("intent") === "update-panel";
  return (
    <Card>
      <h3 className="text-lg font-semibold">Panel details</h3>
      <Form method="post" className="mt-4 space-y-4" noValidate preventScrollReset>
        <input type="hidden" name="intent" value="update-panel" />
        <input type="hidden" name="baseVersion" value={baseVersion} />
        {mine?.formError ? <Notice tone="error">{mine.formError}</Notice> : null}
        <TextField
          label="Panel name"
          name="name"
          defaultValue={mine?.values?.name ?? panel.name}
          required
          maxLength={120}
          error={errorFor(mine?.fieldErrors, "name")}
        />
        <TextAreaField
          label="Panel description"
          name="description"
          rows={3}
          defaultValue={mine?.values?.description ?? panel.description}
          error={errorFor(mine?.fieldErrors, "description")}
        />
        <Button variant="secondary" disabled={busy}>
          {busy ? "Saving…" : "Save details"}
        </Button>
      </Form>
    </Card>
  );
}

/** The protocol page's side actions: rename (contributors and leads) and change status (leads). */
import { Form, useNavigation } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { nextStatuses, STATUS_ACTIONS, type ProtocolStatus } from "#app/domain/protocol-status.ts";

interface Failure {
  intent?: string;
  formError: string | null;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
}

export function StatusActions({ status, version, failure }: { status: ProtocolStatus; version: number; failure?: Failure }) {
  const busy = useNavigation().formData?.get("intent") === "status";
  const error = failure?.intent === "status" ? (failure.formError ?? Object.values(failure.fieldErrors)[0]) : null;
  return (
    <Card>
      <h3 className="text-base font-semibold">Status</h3>
      <p className="mt-1 text-sm text-slate-600">As a lead you approve version {version} exactly as shown here.</p>
      {error ? (
        <div className="mt-3">
          <Notice tone="error">{error}</Notice>
        </div>
      ) : null}
      <div className="mt-3 flex flex-wrap gap-2">
        {nextStatuses(status).map((next) => (
          <Form method="post" key={next}>
            <input type="hidden" name="intent" value="status" />
            <input type="hidden" name="status" value={next} />
            <input type="hidden" name="baseVersion" value={version} />
            <Button variant={next === "approved" ? "primary" : "secondary"} disabled={busy}>
              {STATUS_ACTIONS[status][next]}
            </Button>
          </Form>
        ))}
      </div>
    </Card>
  );
}

export function RenameForm({ title, version, failure }: { title: string; version: number; failure?: Failure }) {
  const mine = failure?.intent === "rename" ? failure : undefined;
  return (
    <Card>
      <h3 className="text-base font-semibold">Title</h3>
      <Form method="post" className="mt-3 space-y-3" key={title}>
        <input type="hidden" name="intent" value="rename" />
        <input type="hidden" name="baseVersion" value={version} />
        {mine?.formError ? <Notice tone="error">{mine.formError}</Notice> : null}
        <TextField
          label="Protocol title"
          name="title"
          required
          maxLength={300}
          defaultValue={mine?.values.title ?? title}
          error={mine?.fieldErrors.title}
        />
        <Button variant="secondary">Rename</Button>
      </Form>
    </Card>
  );
}

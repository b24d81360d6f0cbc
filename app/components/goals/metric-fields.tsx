import { useState } from "react";
import { SelectField, TextField } from "#app/components/ui/field.tsx";
import { METRIC_KINDS, METRIC_LABELS, type MetricKind } from "#app/domain/goals.ts";

interface Props {
  /** Field-name prefix, e.g. "milestone." */
  prefix?: string;
  members: { userId: string; name: string }[];
  errors: Record<string, string>;
  values?: Record<string, string>;
  /** The error keys as the service names them (e.g. "milestones.0."). */
  errorPrefix?: string;
}

/** The fields of a new milestone or key result; the kind decides which others apply. */
export function MilestoneFields({ prefix = "", members, errors, values = {}, errorPrefix = "" }: Props) {
  const [metric, setMetric] = useState<MetricKind>((values[`${prefix}metric`] as MetricKind) || "checkbox");
  const err = (field: string) => errors[`${errorPrefix}${field}`];
  const needsTarget = !["checkbox", "protocol_approved"].includes(metric);
  return (
    <div className="space-y-3">
      <TextField label="Milestone" name={`${prefix}title`} defaultValue={values[`${prefix}title`]} error={err("title")} />
      <SelectField
        label="Kind"
        name={`${prefix}metric`}
        value={metric}
        onChange={(e) => setMetric(e.target.value as MetricKind)}
        options={METRIC_KINDS.map((k) => ({ value: k, label: METRIC_LABELS[k] }))}
        error={err("metric")}
        hint={["checkbox", "manual_number"].includes(metric) ? "Its owner updates it." : "Counts itself from the workspace's data."}
      />
      {needsTarget ? (
        <TextField
          label="Target"
          name={`${prefix}target`}
          inputMode="decimal"
          defaultValue={values[`${prefix}target`]}
          error={err("target")}
          hint={
            metric === "studies_with_results" || metric === "datasets_harmonised" ? "Leave empty to count against all of them." : undefined
          }
        />
      ) : null}
      {metric === "studies_with_results" ? (
        <TextField
          label="Subgroup contains"
          name={`${prefix}params.subgroup`}
          placeholder="CRP"
          defaultValue={values[`${prefix}params.subgroup`]}
          error={err("params.subgroup")}
          hint="Only results whose subgroup mentions this text count; empty counts every result."
        />
      ) : null}
      {metric === "protocol_approved" ? (
        <TextField
          label="Protocol id"
          name={`${prefix}params.protocolId`}
          defaultValue={values[`${prefix}params.protocolId`]}
          error={err("params.protocolId")}
        />
      ) : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField
          label="Milestone owner"
          name={`${prefix}ownerId`}
          defaultValue={values[`${prefix}ownerId`] ?? ""}
          options={[{ value: "", label: "Nobody yet" }, ...members.map((m) => ({ value: m.userId, label: m.name }))]}
          error={err("ownerId")}
        />
        <TextField
          label="Milestone due"
          type="date"
          name={`${prefix}dueDate`}
          defaultValue={values[`${prefix}dueDate`]}
          error={err("dueDate")}
        />
      </div>
    </div>
  );
}

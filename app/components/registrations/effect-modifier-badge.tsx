/**
 * Whether an effect-modification analysis's biomarker was pre-specified or is
 * exploratory (decision 031): a labelled badge (text, not only colour)
 * linking to the registration it rests on. `compact` is the small mark of a
 * matrix column.
 */
import { Link } from "@remix-run/react";
import { EFFECT_MODIFIER_LABELS, type EffectModifierMark } from "#app/domain/registrations.ts";

const TONES: Record<EffectModifierMark["status"], string> = {
  "pre-specified": "border-emerald-300 bg-emerald-50 text-emerald-900",
  exploratory: "border-slate-300 bg-slate-100 text-slate-800",
};

type Mark = Pick<EffectModifierMark, "status" | "reason"> & { registration: { id: string; number: number } | null };

export function EffectModifierBadge({ mark, workspaceId, compact = false }: { mark: Mark; workspaceId: string; compact?: boolean }) {
  const label = EFFECT_MODIFIER_LABELS[mark.status];
  const size = compact ? "px-1 text-[0.7rem] font-normal" : "px-1.5 py-0.5 text-xs font-medium";
  const className = `inline-block rounded border ${size} ${TONES[mark.status]}`;
  const testId = compact ? "modifier-column-badge" : "modifier-registration-badge";
  // The full badge stands beside its reason in words; the compact one carries it for screen readers.
  const why = compact ? `: ${mark.reason}` : "";
  return mark.registration ? (
    <Link
      to={`/workspaces/${workspaceId}/registrations/${mark.registration.id}`}
      className={`${className} underline-offset-2 hover:underline`}
      title={mark.reason}
      data-testid={testId}
      data-status={mark.status}
    >
      {label}
      <span className="sr-only">
        {why} (open registration {mark.registration.number})
      </span>
    </Link>
  ) : (
    <span className={className} title={mark.reason} data-testid={testId} data-status={mark.status}>
      {label}
      {why ? <span className="sr-only">{why}</span> : null}
    </span>
  );
}

/** The analysis's line: the biomarker, its badge, and why, as the live page and a frozen snapshot show it. */
export function EffectModifierRegistration({ mark, biomarker, workspaceId }: { mark: Mark; biomarker: string; workspaceId: string }) {
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="modifier-registration">
      <span>{biomarker} as effect modifier:</span>
      <EffectModifierBadge mark={mark} workspaceId={workspaceId} />
      <span className="text-xs text-slate-600">{mark.reason}</span>
    </p>
  );
}

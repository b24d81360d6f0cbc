/** A profile column's pre-registration status (decision 031): a labelled badge linking to the registration it rests on. */
import { Link } from "@remix-run/react";
import { type ProfileRegistrationMark, REGISTRATION_LABELS } from "#app/domain/registrations.ts";

const TONES: Record<ProfileRegistrationMark["status"], string> = {
  "pre-registered": "border-emerald-300 bg-emerald-50 text-emerald-900",
  "changed-since-registration": "border-amber-300 bg-amber-50 text-amber-900",
  "added-after": "border-slate-300 bg-slate-100 text-slate-800",
};

export function RegistrationBadge({ mark, workspaceId }: { mark: ProfileRegistrationMark; workspaceId: string }) {
  const label = REGISTRATION_LABELS[mark.status];
  const className = `mt-1 inline-block rounded border px-1.5 py-0.5 text-xs font-medium ${TONES[mark.status]}`;
  const title = mark.reason;
  return mark.registration ? (
    <Link
      to={`/workspaces/${workspaceId}/registrations/${mark.registration.id}`}
      className={`${className} underline-offset-2 hover:underline`}
      title={title}
      data-testid="registration-badge"
      data-status={mark.status}
    >
      {label}
      <span className="sr-only">
        : {title} Open registration {mark.registration.number}.
      </span>
    </Link>
  ) : (
    <span className={className} title={title} data-testid="registration-badge" data-status={mark.status}>
      {label}
      <span className="sr-only">: {title}</span>
    </span>
  );
}

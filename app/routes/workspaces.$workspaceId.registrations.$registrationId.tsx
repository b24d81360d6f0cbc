import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { RegistrationContent } from "#app/domain/registrations.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { registrationUrl } from "#app/public-shapes/registrations.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { getRegistration } from "#app/services/registrations.server.ts";
import { nothingLive, revalidateOnLiveEvents } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => {
    const registration = await getRegistration(user, params.workspaceId!, params.registrationId!);
    return {
      registration: { ...registration, createdAt: registration.createdAt.toISOString() },
      url: registrationUrl(context.publicOrigin, registration),
    };
  });
}

/** A registration never changes: no event makes this page stale. */
export const shouldRevalidate = revalidateOnLiveEvents(nothingLive);

export default function RegistrationPage() {
  const { registration, url } = useLoaderData<typeof loader>();
  const content = registration.content as unknown as RegistrationContent;
  const { metadata, protocol, options } = content;
  const ws = metadata.workspace.id;
  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm text-slate-600">
          <Link to=".." relative="path" className="text-brand-700 underline">
            Pre-registrations
          </Link>{" "}
          · registration {metadata.number}
        </p>
        <h2 className="text-xl font-semibold">{metadata.title}</h2>
        <p className="text-sm text-slate-700">
          {metadata.authors.map((a) => a.name + (a.orcid ? ` (ORCID ${a.orcid})` : "")).join(", ")} · registered{" "}
          <time dateTime={metadata.createdAt}>{metadata.createdAt.replace("T", " ").slice(0, 19)} UTC</time> by {metadata.createdBy}
        </p>
        <p className="text-xs text-slate-600">
          SHA-256{" "}
          <code className="break-all" data-testid="registration-hash">
            {registration.hash}
          </code>{" "}
          ·{" "}
          <a className="text-brand-700 underline" href={`/api/v1/workspaces/${ws}/registrations/${registration.id}`}>
            Registration JSON
          </a>{" "}
          · <span className="break-all">{url}</span>
        </p>
      </div>
      <section aria-labelledby="registered-analysis" className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 id="registered-analysis" className="text-lg font-semibold">
          The registered analysis
        </h3>
        <dl className="mt-2 grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-600">Protocol</dt>
          <dd>
            <Link className="text-brand-700 underline" to={`/workspaces/${ws}/protocols/${protocol.id}/versions/${protocol.version}`}>
              {protocol.title}, version {protocol.version}
            </Link>{" "}
            <span className="text-xs text-slate-500">(text SHA-256 {protocol.bodySha256.slice(0, 16)}…)</span>
          </dd>
          <dt className="text-slate-600">Outcome</dt>
          <dd>{options.outcome}</dd>
          <dt className="text-slate-600">Effect measure</dt>
          <dd>{options.measure}</dd>
          <dt className="text-slate-600">Pooling</dt>
          <dd>
            {options.method}
            {options.knha ? " with Knapp–Hartung" : ""}
          </dd>
        </dl>
      </section>
      <section aria-labelledby="registered-profiles" className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 id="registered-profiles" className="text-lg font-semibold">
          Patient profiles, as registered
        </h3>
        <ul className="mt-2 space-y-2 text-sm" data-testid="registered-profiles">
          {content.profiles.map((p) => (
            <li key={p.id}>
              <Link className="font-medium text-brand-700 underline" to={`/workspaces/${ws}/profiles/${p.id}`}>
                {p.name}
              </Link>{" "}
              <span className="text-slate-600">version {p.version}</span>
              <span className="block text-slate-700">{p.text}</span>
              {p.description ? <span className="block text-xs text-slate-500">{p.description}</span> : null}
            </li>
          ))}
        </ul>
      </section>
      {content.effectModifiers?.length ? (
        <section aria-labelledby="registered-modifiers" className="rounded-lg border border-slate-200 bg-white p-4">
          <h3 id="registered-modifiers" className="text-lg font-semibold">
            Effect modifiers, as registered
          </h3>
          <p className="text-sm text-slate-600">Biomarkers the “who benefits” analysis tests as modifiers of the treatment effect.</p>
          <ul className="mt-2 list-disc pl-5 text-sm" data-testid="registered-modifiers">
            {content.effectModifiers.map((m) => (
              <li key={m.code}>
                {m.label} <span className="text-slate-600">({m.unit || "no unit"})</span>{" "}
                <code className="text-xs text-slate-500">{m.code}</code>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {content.plan ? (
        <section aria-labelledby="registered-plan" className="rounded-lg border border-slate-200 bg-white p-4">
          <h3 id="registered-plan" className="text-lg font-semibold">
            Analysis plan
          </h3>
          <p className="mt-2 whitespace-pre-wrap text-sm">{content.plan}</p>
        </section>
      ) : null}
    </div>
  );
}

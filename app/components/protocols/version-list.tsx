import { Link } from "@remix-run/react";
import { formatUtc } from "#app/domain/event-descriptions.ts";

export interface VersionRow {
  version: number;
  note: string | null;
  author: { id: string; name: string };
  createdAt: string;
}

/** Version history: who saved what when, with links to read a version or compare it with the one before. */
export function VersionList({ versions, basePath, current }: { versions: VersionRow[]; basePath: string; current: number }) {
  return (
    <ol className="divide-y divide-slate-100">
      {versions.map((v) => (
        <li key={v.version} className="space-y-0.5 py-2 text-sm">
          <div className="flex flex-wrap items-baseline gap-x-2">
            <Link to={`${basePath}/versions/${v.version}`} className="font-medium text-brand-700 hover:underline">
              Version {v.version}
            </Link>
            {v.version === current ? <span className="text-xs text-slate-500">(current)</span> : null}
            <span className="text-slate-600">{v.author.name}</span>
          </div>
          {v.note ? <p className="text-slate-700">{v.note}</p> : <p className="text-slate-500">No note</p>}
          <div className="flex flex-wrap items-baseline gap-3 text-xs text-slate-500">
            <time dateTime={v.createdAt}>{formatUtc(v.createdAt)}</time>
            {v.version > 1 ? (
              <Link
                to={`${basePath}/compare?from=${v.version - 1}&to=${v.version}`}
                className="text-brand-700 hover:underline"
                aria-label={`Compare version ${v.version} with version ${v.version - 1}`}
              >
                Changes
              </Link>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}

/** The panel's versions, newest first, each linking to the panel as it was. */
import { Link } from "@remix-run/react";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { Card } from "#app/components/ui/notice.tsx";

export interface VersionEntry {
  version: number;
  note: string | null;
  author: { id: string; name: string };
  createdAt: string;
}

export function PanelHistory({
  versions,
  current,
  hrefOf,
  more,
}: {
  versions: VersionEntry[];
  current: number;
  hrefOf: (v: number) => string;
  more: boolean;
}) {
  return (
    <Card>
      <h3 className="text-lg font-semibold">Version history</h3>
      <ol className="mt-3 space-y-2 text-sm">
        {versions.map((v) => (
          <li key={v.version} className="flex flex-wrap items-baseline gap-x-2">
            <Link to={hrefOf(v.version)} className="font-medium text-brand-700 underline">
              Version {v.version}
            </Link>
            {v.version === current ? <span className="text-xs text-emerald-700">(current)</span> : null}
            <span className="text-slate-700">{v.note ?? "—"}</span>
            <span className="text-xs text-slate-500">
              {v.author.name}, {formatUtc(v.createdAt)}
            </span>
          </li>
        ))}
      </ol>
      {more ? <p className="mt-2 text-xs text-slate-500">Older versions: see GET …/versions in the API.</p> : null}
    </Card>
  );
}

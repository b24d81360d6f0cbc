import type { Heading } from "#app/domain/markdown.ts";

/** The document's sections as links to their anchors. */
export function SectionOutline({ headings }: { headings: Heading[] }) {
  if (headings.length === 0) return <p className="text-sm text-slate-500">This version has no headings.</p>;
  const top = Math.min(...headings.map((h) => h.level));
  return (
    <nav aria-label="Sections">
      <ol className="space-y-1 text-sm">
        {headings.map((h) => (
          <li key={h.id} style={{ paddingLeft: `${(h.level - top) * 0.75}rem` }}>
            <a href={`#${h.id}`} className="text-slate-700 hover:text-brand-700 hover:underline">
              {h.text}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

import type { Heading } from "#app/domain/markdown.ts";

interface Props {
  headings: Heading[];
  /** Open comment threads per section id, shown beside each section. */
  openThreads?: Record<string, number>;
  /** Offered when the page can discuss a single section. */
  onDiscuss?(sectionId: string): void;
}

/** The document's sections as links to their anchors, with their open threads. */
export function SectionOutline({ headings, openThreads = {}, onDiscuss }: Props) {
  if (headings.length === 0) return <p className="text-sm text-slate-500">This version has no headings.</p>;
  const top = Math.min(...headings.map((h) => h.level));
  return (
    <nav aria-label="Sections">
      <ol className="space-y-1 text-sm">
        {headings.map((h) => (
          <li key={h.id} style={{ paddingLeft: `${(h.level - top) * 0.75}rem` }} className="flex items-baseline justify-between gap-2">
            <a href={`#${h.id}`} className="text-slate-700 hover:text-brand-700 hover:underline">
              {h.text}
            </a>
            {onDiscuss ? (
              <button
                type="button"
                onClick={() => onDiscuss(h.id)}
                className="shrink-0 rounded px-1 text-xs text-brand-700 hover:bg-brand-50"
                aria-label={`Discuss the section ${h.text}${openThreads[h.id] ? ` (${openThreads[h.id]} open)` : ""}`}
              >
                {openThreads[h.id] ? `💬 ${openThreads[h.id]}` : "Discuss"}
              </button>
            ) : null}
          </li>
        ))}
      </ol>
    </nav>
  );
}

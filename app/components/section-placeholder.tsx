import { EmptyState } from "#app/components/ui/notice.tsx";
import type { ReactNode } from "react";

/** The empty state of a workspace section: what belongs here and who can add it. */
export function SectionEmptyState({ heading, title, children }: { heading: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby="section-heading">
      <h2 id="section-heading" className="text-xl font-semibold">
        {heading}
      </h2>
      <div className="mt-4">
        <EmptyState title={title}>{children}</EmptyState>
      </div>
    </section>
  );
}

/** "Cite this": the snapshot as APA and BibTeX text, ready to copy. */
import { useId } from "react";
import { apaCitation, bibtexCitation, type CitationFields } from "#app/domain/citation.ts";

export function CiteThis({ citation }: { citation: CitationFields }) {
  const apaId = useId();
  const bibId = useId();
  return (
    <section aria-labelledby="cite-heading" className="rounded-lg border border-slate-200 bg-white p-4" data-testid="cite-this">
      <h3 id="cite-heading" className="text-lg font-semibold">
        Cite this
      </h3>
      <label htmlFor={apaId} className="mt-2 block text-sm font-medium text-slate-800">
        APA
      </label>
      <textarea
        id={apaId}
        readOnly
        rows={3}
        className="mt-1 w-full rounded-md border border-slate-300 p-2 font-mono text-xs"
        value={apaCitation(citation)}
        data-testid="cite-apa"
      />
      <label htmlFor={bibId} className="mt-2 block text-sm font-medium text-slate-800">
        BibTeX
      </label>
      <textarea
        id={bibId}
        readOnly
        rows={9}
        className="mt-1 w-full rounded-md border border-slate-300 p-2 font-mono text-xs"
        value={bibtexCitation(citation)}
        data-testid="cite-bibtex"
      />
    </section>
  );
}

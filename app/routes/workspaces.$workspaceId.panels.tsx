import { SectionEmptyState } from "#app/components/section-placeholder.tsx";

export default function Panels() {
  return (
    <SectionEmptyState heading="Biomarker panels" title="No biomarker panels yet">
      A panel is the shared data dictionary: which markers are measured (hs-CRP, IL-6, leptin, HOMA-IR…), in which
      UCUM unit, with which plausible ranges and cut-offs. Uploaded datasets are converted to the panel’s units.
    </SectionEmptyState>
  );
}

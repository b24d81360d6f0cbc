import { SectionEmptyState } from "#app/components/section-placeholder.tsx";

export default function Studies() {
  return (
    <SectionEmptyState heading="Studies & datasets" title="No studies yet">
      Each study lists its design, arms and outcome measures, with its datasets (CSV or XLSX, participant-level or
      summary) and its results by patient profile.
    </SectionEmptyState>
  );
}

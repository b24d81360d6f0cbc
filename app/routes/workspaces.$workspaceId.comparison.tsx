import { SectionEmptyState } from "#app/components/section-placeholder.tsx";

export default function Comparison() {
  return (
    <SectionEmptyState heading="Comparison" title="Nothing to compare yet">
      Once studies report results, this view lines up interventions against patient profiles (say, CRP ≥ 3 mg/L
      with BMI ≥ 30 against CRP &lt; 1 mg/L), pools them with random-effects meta-analysis and draws forest plots.
    </SectionEmptyState>
  );
}

import { SectionEmptyState } from "#app/components/section-placeholder.tsx";

export default function Goals() {
  return (
    <SectionEmptyState heading="Goals" title="No shared goals yet">
      Leads set the consortium’s shared goals and milestones here, and everyone sees their progress.
    </SectionEmptyState>
  );
}

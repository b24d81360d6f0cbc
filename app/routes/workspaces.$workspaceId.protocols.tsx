import { SectionEmptyState } from "#app/components/section-placeholder.tsx";

export default function Protocols() {
  return (
    <SectionEmptyState heading="Protocols" title="No protocols shared yet">
      Protocols are the consortium’s versioned methods documents: every save is kept, any two versions can be
      compared, and comments can point at a single section. Contributors and leads will add them here.
    </SectionEmptyState>
  );
}

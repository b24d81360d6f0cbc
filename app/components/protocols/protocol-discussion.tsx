/**
 * A protocol's discussion: every thread, or only those on one spot (a section,
 * words of the live draft) with the way back to all of them.
 */
import { CommentsPanel } from "#app/components/comments/comments-panel.tsx";
import type { useComments } from "#app/components/comments/use-comments.ts";

interface Props {
  protocolId: string;
  source: ReturnType<typeof useComments>;
  /** The spot new threads point at, and what the panel is titled then; null for the whole protocol. */
  spot: { anchor: Record<string, unknown>; title: string } | null;
  onWholeProtocol(): void;
}

export function ProtocolDiscussion({ protocolId, source, spot, onWholeProtocol }: Props) {
  return (
    <div id="discussion">
      {spot ? (
        <button type="button" className="mb-2 text-sm text-brand-700 underline" onClick={onWholeProtocol}>
          Show the discussion of the whole protocol
        </button>
      ) : null}
      <CommentsPanel
        target={{ type: "protocol", id: protocolId }}
        source={source}
        anchor={spot?.anchor ?? null}
        title={spot?.title ?? "Discussion"}
      />
    </div>
  );
}

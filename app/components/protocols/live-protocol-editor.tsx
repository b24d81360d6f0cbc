/**
 * Writing a protocol together: the live draft in an editor everyone in it
 * types into at once (observers read along), with the others' cursors and
 * names, where each edit stands (saved, sending, offline), comments anchored
 * to the text, and the rendered preview. The editor's code loads on demand.
 */
import { useEffect, useRef, useState } from "react";
import { anchorRange, liveText, resolveRange } from "#app/domain/live-document.ts";
import type { CommentView } from "#app/domain/comments.ts";
import { DocumentProvider, type DocumentState } from "#app/realtime/document-provider.ts";
import { getSocket } from "#app/realtime/socket.ts";
import { Button } from "#app/components/ui/button.tsx";
import { Notice } from "#app/components/ui/notice.tsx";
import type { LiveEditorView } from "./live-editor-view.ts";
import { personColour } from "./person-colour.ts";

export interface Participant {
  clientId: number;
  name: string;
  colour: string;
  me: boolean;
}

interface Props {
  workspaceId: string;
  protocolId: string;
  me: { id: string; name: string };
  /** Contributors and leads, on a protocol that is not superseded. */
  mayEdit: boolean;
  /** The open threads of the protocol, for the highlights of the ones anchored to text. */
  comments: CommentView[];
  /** The text changed (for the preview and the save button). */
  onText(text: string): void;
  onState(state: DocumentState): void;
  /** Someone asked to comment on this range of the text. */
  onCommentOnRange(anchor: { range: ReturnType<typeof anchorRange> }): void;
  /** Filled in by the editor: follows a thread to its text. */
  showRange: React.MutableRefObject<((commentId: string) => void) | null>;
  /** Filled in by the editor: where each anchored thread now is (null: its text was removed). */
  locate: React.MutableRefObject<((range: { start: string; end: string }) => { from: number; to: number } | null) | null>;
}

export function LiveProtocolEditor(props: Props) {
  const { workspaceId, protocolId, me, mayEdit, comments } = props;
  const container = useRef<HTMLDivElement>(null);
  const [provider, setProvider] = useState<DocumentProvider | null>(null);
  const [state, setState] = useState<DocumentState | null>(null);
  const [participants, setParticipants] = useState<Participant[]>([]);
  const [selection, setSelection] = useState<{ from: number; to: number }>({ from: 0, to: 0 });
  const view = useRef<LiveEditorView | null>(null);
  const [editorReady, setEditorReady] = useState(false);
  const callbacks = useRef(props);
  callbacks.current = props;

  useEffect(() => {
    const p = new DocumentProvider(getSocket(), { workspaceId, protocolId });
    const colour = personColour(me.id);
    p.awareness.setLocalStateField("user", { id: me.id, name: me.name, color: colour, colorLight: `${colour}33` });
    const showParticipants = () => {
      const list: Participant[] = [];
      for (const [clientId, s] of p.awareness.getStates()) {
        const user = (s as { user?: { name?: string; color?: string } }).user;
        if (user?.name) list.push({ clientId, name: user.name, colour: user.color ?? "#64748b", me: clientId === p.doc.clientID });
      }
      setParticipants(list);
    };
    p.awareness.on("change", showParticipants);
    showParticipants();
    const text = liveText(p.doc);
    const onText = () => callbacks.current.onText(text.toString());
    text.observe(onText);
    const unsubscribe = p.subscribe((s) => {
      setState(s);
      callbacks.current.onState(s);
    });
    callbacks.current.locate.current = (range) => resolveRange(p.doc, range);
    setProvider(p);

    let cancelled = false;
    void p.whenSynced().then(async (synced) => {
      onText();
      if (synced.status === "closed" || cancelled || !container.current) return;
      const { mountLiveEditor } = await import("./live-editor-view.ts");
      if (cancelled || !container.current) return;
      view.current = mountLiveEditor(container.current, p, {
        editable: mayEdit && synced.canEdit,
        label: "Protocol text (markdown), edited live with the others in this document",
        onSelection: setSelection,
      });
      setEditorReady(true);
    });
    return () => {
      cancelled = true;
      text.unobserve(onText);
      unsubscribe();
      p.awareness.off("change", showParticipants);
      view.current?.destroy();
      view.current = null;
      setEditorReady(false);
      p.destroy();
    };
  }, [workspaceId, protocolId, me.id, me.name, mayEdit]);

  // The editor stops taking edits the moment the server says it will not store them.
  const editable = mayEdit && !!state?.canEdit && state.status !== "closed";
  useEffect(() => {
    if (editorReady) view.current?.setEditable(editable);
  }, [editable, editorReady]);

  // Anchored threads are drawn on their text wherever it now is, and redrawn as the text changes.
  const [textVersion, setTextVersion] = useState(0);
  useEffect(() => {
    if (!provider) return;
    const text = liveText(provider.doc);
    const bump = () => setTextVersion((v) => v + 1);
    text.observe(bump);
    return () => text.unobserve(bump);
  }, [provider]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: textVersion and editorReady are what make the ranges move or become drawable.
  useEffect(() => {
    if (!provider || !view.current) return;
    const highlights = comments.flatMap((c) => {
      const range = c.target.anchor?.range;
      const at = range && !c.parentId && !c.resolvedAt ? resolveRange(provider.doc, range) : null;
      return at ? [{ ...at, commentId: c.id }] : [];
    });
    view.current.setHighlights(highlights);
    props.showRange.current = (commentId) => {
      const found = highlights.find((h) => h.commentId === commentId);
      if (found) view.current?.select(found.from, found.to);
    };
  }, [provider, comments, textVersion, editorReady, props.showRange]);

  const hasSelection = selection.to > selection.from;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <SaveState state={state} editable={editable} />
        <ul aria-label="In this document" className="flex flex-wrap gap-1">
          {participants.map((p) => (
            <li
              key={p.clientId}
              className="rounded-full px-2 py-0.5 text-xs font-medium text-white"
              style={{ backgroundColor: p.colour }}
              data-testid="participant"
            >
              {p.name}
              {p.me ? " (you)" : ""}
            </li>
          ))}
        </ul>
      </div>
      {state?.status === "closed" && state.problem ? <Notice tone="error">{state.problem}</Notice> : null}
      {!mayEdit ? (
        <Notice>You can read the live draft as it is written; contributors and leads edit it.</Notice>
      ) : state?.problem && state.status !== "closed" ? (
        <Notice tone="error">{state.problem}</Notice>
      ) : null}
      <div
        ref={container}
        className="min-h-96 rounded-md border border-slate-300 bg-white px-2 shadow-sm"
        data-testid="live-editor"
        aria-busy={state?.status !== "synced"}
      >
        {state?.status !== "synced" && state?.status !== "offline" ? (
          <p className="p-3 text-sm text-slate-500">Opening the live draft…</p>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button
          type="button"
          variant="secondary"
          disabled={!hasSelection || !provider}
          onClick={() => provider && props.onCommentOnRange({ range: anchorRange(provider.doc, selection.from, selection.to) })}
        >
          Comment on the selected text
        </Button>
        <span className="text-xs text-slate-500">
          Select words in the text, then comment: the comment stays with them as the text changes.
        </span>
      </div>
    </div>
  );
}

function SaveState({ state, editable }: { state: DocumentState | null; editable: boolean }) {
  const [words, tone] = !state
    ? ["Connecting…", "text-slate-500"]
    : state.status === "offline"
      ? [editable ? "Offline: keep typing, your edits are sent when the connection is back" : "Offline", "text-amber-700"]
      : state.status === "connecting"
        ? ["Connecting…", "text-slate-500"]
        : state.status === "closed"
          ? ["Closed", "text-red-700"]
          : state.unsaved
            ? ["Saving…", "text-slate-600"]
            : ["All changes saved", "text-emerald-700"];
  return (
    <p role="status" aria-live="polite" className={tone} data-testid="save-state">
      {words}
    </p>
  );
}

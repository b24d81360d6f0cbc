/**
 * The live draft: members write the protocol together (observers read along),
 * comment on words of the text, preview it rendered, and save it as the next
 * version, which then goes through approval, diff and fork as before.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { ProtocolDiscussion } from "#app/components/protocols/protocol-discussion.tsx";
import { useComments } from "#app/components/comments/use-comments.ts";
import { MarkdownView } from "#app/components/markdown-view.tsx";
import { LiveProtocolEditor } from "#app/components/protocols/live-protocol-editor.tsx";
import { TextCommentList } from "#app/components/protocols/text-comment-list.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { TextField } from "#app/components/ui/field.tsx";
import { Card, Notice } from "#app/components/ui/notice.tsx";
import { formatUtc } from "#app/domain/event-descriptions.ts";
import { formFailure } from "#app/domain/form-failure.ts";
import type { TextRange } from "#app/domain/live-document.ts";
import { renderMarkdown } from "#app/domain/markdown.ts";
import { roleAtLeast } from "#app/domain/roles.ts";
import type { DocumentState } from "#app/realtime/document-provider.ts";
import { handleFormAction } from "#app/http/form.server.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { validationFailed } from "#app/services/errors.server.ts";
import { cutVersionFromDraft } from "#app/services/protocol-drafts.server.ts";
import { getProtocol } from "#app/services/protocols.server.ts";
import { getWorkspace } from "#app/services/workspaces.server.ts";
import { both, either, family, revalidateOnLiveEvents, roleChanges, targets } from "#app/realtime/live-revalidation.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => {
    const { current, draft, ...protocol } = await getProtocol(user, params.workspaceId!, params.protocolId!);
    return {
      me: { id: user.id, name: user.name },
      role: (await getWorkspace(user, params.workspaceId!)).role,
      protocol: { id: protocol.id, workspaceId: protocol.workspaceId, version: protocol.version, status: protocol.status },
      currentBody: current.body,
      draft,
      preview: renderMarkdown(draft.text).html,
    };
  });
}

/** The live text patches itself; only the saved versions and status reload. */
export const shouldRevalidate = revalidateOnLiveEvents(
  either(both(family("protocol.updated", "protocol.version_added"), targets("protocolId")), roleChanges),
);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent ?? "");
  return handleFormAction(
    async () => {
      if (intent !== "save-version") throw validationFailed("Unknown action.");
      const saved = await cutVersionFromDraft(user, params.workspaceId!, params.protocolId!, { note: form.note });
      return redirect(`/workspaces/${params.workspaceId}/protocols/${params.protocolId}/versions/${saved.version}`);
    },
    intent,
    form,
  );
}

export default function LiveDraft() {
  const { me, role, protocol, currentBody, draft, preview: firstPreview } = useLoaderData<typeof loader>();
  const failure = formFailure(useActionData<typeof action>());
  const mayEdit = roleAtLeast(role, "contributor") && protocol.status !== "superseded";
  const discussion = useComments(protocol.workspaceId, { type: "protocol", id: protocol.id });
  const [state, setState] = useState<DocumentState | null>(null);
  const [text, setText] = useState(draft.text);
  const [range, setRange] = useState<TextRange | null>(null);
  const showRange = useRef<((commentId: string) => void) | null>(null);
  const locate = useRef<((r: { start: string; end: string }) => { from: number; to: number } | null) | null>(null);
  const preview = usePreview(protocol, text, firstPreview);
  const saving = useNavigation().formData?.get("intent") === "save-version";
  const unchanged = text === currentBody;
  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="min-w-0 space-y-4">
        <p className="text-sm text-slate-600" data-testid="draft-since">
          Live draft since version {draft.sinceVersion}
          {draft.editedBy.length > 0 ? (
            <>
              , edited by {draft.editedBy.map((p) => p.name).join(", ")}
              {draft.editedAt ? (
                <>
                  {" "}
                  · last edit <time dateTime={draft.editedAt}>{formatUtc(draft.editedAt)}</time>
                </>
              ) : null}
            </>
          ) : (
            " · nobody has edited it since"
          )}
        </p>
        <LiveProtocolEditor
          workspaceId={protocol.workspaceId}
          protocolId={protocol.id}
          me={me}
          mayEdit={mayEdit}
          comments={discussion.comments ?? []}
          onText={setText}
          onState={setState}
          onCommentOnRange={(anchor) => {
            setRange(anchor.range);
            document.getElementById("discussion")?.scrollIntoView({ behavior: "smooth" });
          }}
          showRange={showRange}
          locate={locate}
        />
        {mayEdit ? (
          <Card>
            <h3 className="text-base font-semibold">Save as version {protocol.version + 1}</h3>
            <p className="mt-1 text-sm text-slate-600">
              The version is the text above as everyone sees it now; it can then be approved, compared and forked.
            </p>
            <Form method="post" className="mt-3 flex flex-wrap items-end gap-3">
              <input type="hidden" name="intent" value="save-version" />
              {failure?.formError ? <Notice tone="error">{failure.formError}</Notice> : null}
              <div className="min-w-64 flex-1">
                <TextField label="Note about this version (optional)" name="note" maxLength={500} error={failure?.fieldErrors.note} />
              </div>
              <Button disabled={saving || state?.status !== "synced" || state.unsaved || unchanged}>
                {saving ? "Saving…" : `Save version ${protocol.version + 1}`}
              </Button>
              {unchanged ? <p className="text-sm text-slate-500">The text is the same as version {protocol.version}.</p> : null}
            </Form>
          </Card>
        ) : null}
        <Card>
          <h3 className="text-base font-semibold">Preview</h3>
          <div className="mt-3" data-testid="draft-preview">
            <MarkdownView html={preview} />
          </div>
        </Card>
      </div>
      <aside className="space-y-4" aria-label="Comments on the live draft">
        <TextCommentList comments={discussion.comments ?? []} locate={locate} onShow={(id) => showRange.current?.(id)} text={text} />
        <ProtocolDiscussion
          protocolId={protocol.id}
          source={discussion}
          spot={
            range
              ? { anchor: { range }, title: `Comment on “${range.quote.length > 60 ? `${range.quote.slice(0, 60)}…` : range.quote}”` }
              : null
          }
          onWholeProtocol={() => setRange(null)}
        />
      </aside>
    </div>
  );
}

/**
 * The rendered preview follows the text a moment after typing stops, rendered
 * by the server with the same sanitiser as saved versions. A plain request,
 * not a Remix action: an action would make every loader on the page reload.
 */
function usePreview(protocol: { workspaceId: string; id: string }, text: string, first: string): string {
  const [html, setHtml] = useState(first);
  const last = useRef(text);
  useEffect(() => {
    if (text === last.current) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      last.current = text;
      fetch(`/workspaces/${protocol.workspaceId}/protocols/${protocol.id}/preview`, {
        method: "POST",
        body: new URLSearchParams({ text }),
        signal: controller.signal,
      })
        .then((r) => (r.ok ? r.json() : null))
        .then((answer: { html: string } | null) => answer && setHtml(answer.html))
        .catch(() => {});
    }, 400);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, protocol.workspaceId, protocol.id]);
  return html;
}

/** The live draft's preview: markdown rendered and sanitised as saved versions are, for members of the workspace. */
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { renderMarkdown } from "#app/domain/markdown.ts";
import { loadOrThrowPage } from "#app/http/page.server.ts";
import { MAX_PROTOCOL_BODY } from "#app/schemas/protocols.ts";
import { requireSignedIn } from "#app/services/auth.server.ts";
import { getProtocol } from "#app/services/protocols.server.ts";

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  return await loadOrThrowPage(async () => {
    await getProtocol(user, params.workspaceId!, params.protocolId!);
    const text = String((await request.formData()).get("text") ?? "").slice(0, MAX_PROTOCOL_BODY);
    return json({ html: renderMarkdown(text).html });
  });
}

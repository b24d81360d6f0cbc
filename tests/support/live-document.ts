/**
 * Editors of a protocol's live draft as the tests drive them: the app's own
 * DocumentProvider (app/realtime/document-provider.ts) on a Node socket.
 */
import type { Socket } from "socket.io-client";
import { DocumentProvider } from "#app/realtime/document-provider.ts";
import { liveText } from "#app/domain/live-document.ts";
import { handshake, openSocket } from "./socket.ts";

export class Editor {
  constructor(
    readonly socket: Socket,
    readonly provider: DocumentProvider,
  ) {}

  get text(): string {
    return liveText(this.provider.doc).toString();
  }

  insert(index: number, text: string): void {
    liveText(this.provider.doc).insert(index, text);
  }

  delete(index: number, length: number): void {
    liveText(this.provider.doc).delete(index, length);
  }

  close(): void {
    this.provider.destroy();
    this.socket.disconnect();
  }
}

/** Connects with the user's token and opens the protocol's live draft; resolves once it holds the server's state (or was refused). */
export async function openEditor(
  baseUrl: string,
  token: string,
  target: { workspaceId: string; protocolId: string },
  options: { reconnection?: boolean } = {},
): Promise<Editor> {
  const socket = openSocket(baseUrl, { auth: { token }, reconnection: options.reconnection ?? false });
  const outcome = await handshake(socket);
  if (!outcome.connected) throw new Error(`live channel refused the connection: ${outcome.error.message}`);
  const provider = new DocumentProvider(socket as never, target);
  await provider.whenSynced();
  return new Editor(socket, provider);
}

/** Resolves once `check` holds for the editor's text (checked on every change). */
export function textBecomes(editor: Editor, check: (text: string) => boolean): Promise<string> {
  return new Promise((resolve) => {
    const text = liveText(editor.provider.doc);
    if (check(text.toString())) return resolve(text.toString());
    const observer = () => {
      if (!check(text.toString())) return;
      text.unobserve(observer);
      resolve(text.toString());
    };
    text.observe(observer);
  });
}

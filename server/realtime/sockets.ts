/** The server's end of the live channel, typed by the shared message maps (app/realtime/live-channel.ts). */
import type { RemoteSocket, Server, Socket } from "socket.io";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "#app/realtime/live-channel.ts";

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
/** A socket found through the adapter (`fetchSockets()`): possibly on another process once there are several. */
export type FoundSocket = RemoteSocket<ServerToClientEvents, SocketData>;

/** Every socket that joined a workspace, after the membership check. */
export const workspaceRoom = (workspaceId: string) => `ws:${workspaceId}`;
/** Every socket of one person, on every device: for their notices and for ending their connections. */
export const userRoom = (userId: string) => `user:${userId}`;

import type { PresenceMember } from "#app/realtime/live-channel.ts";

function initials(name: string) {
  return name
    .replace(/^(Dr|Prof)\.?\s+/i, "")
    .split(/\s+/)
    .map((part) => part[0])
    .slice(0, 2)
    .join("")
    .toUpperCase();
}

/** Who else has this workspace open right now. */
export function PresenceAvatars({ members, connected }: { members: PresenceMember[]; connected: boolean }) {
  return (
    <div className="flex items-center gap-2" aria-label="People here now">
      <span
        className={`h-2 w-2 rounded-full ${connected ? "bg-emerald-500" : "bg-slate-300"}`}
        title={connected ? "Live: changes appear as they happen" : "Reconnecting…"}
      />
      <ul className="flex -space-x-2">
        {members.map((m) => (
          <li
            key={m.userId}
            title={m.resource ? `${m.name} — viewing ${m.resource}` : m.name}
            className="flex h-8 w-8 items-center justify-center rounded-full border-2 border-white bg-brand-100 text-xs font-semibold text-brand-700"
          >
            <span aria-hidden>{initials(m.name)}</span>
            <span className="sr-only">{m.name}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

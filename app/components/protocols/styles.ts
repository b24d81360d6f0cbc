/** The field style of app/components/ui/field.tsx, in a monospace face for editing markdown. */
export const MARKDOWN_TEXTAREA =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm leading-6 shadow-sm " +
  "focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500 aria-[invalid=true]:border-red-500";

/**
 * The "Pre-register" form's choice of effect modifiers: one checkbox per
 * panel biomarker, in a fieldset, so Tab moves between them and Space ticks
 * one. Ticked boxes stay ticked when the form comes back with an error.
 */
export function EffectModifierChoice({
  biomarkers,
  checked,
  errors,
}: {
  biomarkers: { code: string; label: string; unit: string }[];
  checked: string[];
  /** Messages for `effectModifiers.<i>`, by field. */
  errors: Record<string, string>;
}) {
  const messages = Object.entries(errors).filter(([field]) => field === "effectModifiers" || field.startsWith("effectModifiers."));
  if (!biomarkers.length) return null;
  return (
    <fieldset
      className="rounded-md border border-slate-200 p-3"
      aria-describedby={`effect-modifiers-help${messages.length ? " effect-modifiers-error" : ""}`}
    >
      <legend className="px-1 text-sm font-medium text-slate-700">Effect modifiers (optional)</legend>
      <p id="effect-modifiers-help" className="pb-1 text-xs text-slate-600">
        Biomarkers the “who benefits” analysis will test as modifiers of the treatment effect. A biomarker a registered profile’s criteria
        use counts as pre-specified too.
      </p>
      <div className="grid grid-cols-2 gap-x-3">
        {biomarkers.map((b) => (
          <label key={b.code} className="flex items-center gap-2 py-1 text-sm">
            <input
              type="checkbox"
              className="size-5 shrink-0"
              name="effectModifiers"
              value={b.code}
              defaultChecked={checked.includes(b.code)}
            />
            <span>
              {b.label} <span className="text-slate-500">({b.unit || "no unit"})</span>
            </span>
          </label>
        ))}
      </div>
      {messages.length ? (
        <p id="effect-modifiers-error" className="mt-1 text-sm text-red-700">
          {messages.map(([, message]) => message).join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

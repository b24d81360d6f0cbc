import type { ReactNode } from "react";

/**
 * A box that scrolls sideways on its own when its content (a wide table or
 * plot) is wider than the screen, so the page itself never does. It takes
 * focus and has a name, so keyboard users can scroll it with the arrow keys
 * and screen readers announce what it holds. It is positioned, so that
 * absolutely placed content inside (visually hidden text) is clipped with it
 * instead of widening the page.
 */
export function ScrollRegion({
  label,
  className = "",
  children,
  testId,
}: {
  label: string;
  className?: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    // A <section> with a name is a region landmark; it takes focus so the arrow keys scroll it (WCAG 2.1.1).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable box with no focusable content must be focusable
    <section aria-label={label} tabIndex={0} data-testid={testId} className={`relative overflow-x-auto ${className}`}>
      {children}
    </section>
  );
}

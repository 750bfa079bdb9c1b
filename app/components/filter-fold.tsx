import { useId, type ReactNode } from "react";

/**
 * A filter form that folds behind one button on a phone, so the list starts on the first screen.
 * A checkbox drives it (CSS `:checked`), so it opens and closes without JavaScript too; on wider
 * screens the button is not shown and the form always is. The button names how many choices are on.
 */
export function FilterFold({ active, children }: { active: number; children: ReactNode }) {
  const id = useId();
  return (
    <div className="filter-fold">
      <input type="checkbox" id={id} className="filter-fold-toggle" />
      <label htmlFor={id} className="filter-fold-button" data-testid="filter-fold-button">
        Show filters{active > 0 ? ` · ${active} on` : ""}
      </label>
      {children}
    </div>
  );
}

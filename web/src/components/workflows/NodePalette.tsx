import { DRAG_TYPE } from "./Canvas";
import type { NodeTypeInfo } from "./types";

const CATEGORY_LABEL: Record<string, string> = { logic: "Logic", action: "Actions", human: "People" };
const ORDER = ["logic", "action", "human"];

/** The node types by category: click adds one (after the selected node), or drag one onto the canvas. */
export function NodePalette({ types, onAdd, disabled }: { types: NodeTypeInfo[]; onAdd: (t: NodeTypeInfo) => void; disabled?: boolean }) {
  const groups = ORDER.map((c) => ({ c, items: types.filter((t) => t.category === c) })).filter((g) => g.items.length);
  return (
    <nav aria-label="Node palette" className="space-y-3">
      {groups.map((g) => (
        <section key={g.c}>
          <h3 className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">{CATEGORY_LABEL[g.c] ?? g.c}</h3>
          <ul className="space-y-1">
            {g.items.map((t) => (
              <li key={t.type}>
                <button
                  type="button"
                  draggable={!disabled}
                  disabled={disabled}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(DRAG_TYPE, t.type);
                    e.dataTransfer.effectAllowed = "copy";
                  }}
                  onClick={() => onAdd(t)}
                  title={t.description}
                  aria-label={`Add ${t.label}: ${t.description}`}
                  className="w-full cursor-grab rounded-lg border border-line bg-surface px-2.5 py-1.5 text-left text-sm hover:border-accent hover:bg-subtle focus-visible:outline-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:opacity-50"
                >
                  <span className="block font-medium text-fg">{t.label}</span>
                  <span className="line-clamp-2 block text-xs text-muted">{t.description}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}

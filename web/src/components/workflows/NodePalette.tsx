import { DRAG_TYPE } from "./Canvas";
import type { NodeTypeInfo } from "./types";

const CATEGORY_LABEL: Record<string, string> = { logic: "Logic", action: "Actions", human: "People" };
const ORDER = ["logic", "action", "human"];

/**
 * The node types by category, as a strip above the canvas: click adds one (after the selected node,
 * connected from its first free output), or drag one onto the canvas.
 */
export function NodePalette({ types, onAdd, disabled }: { types: NodeTypeInfo[]; onAdd: (t: NodeTypeInfo) => void; disabled?: boolean }) {
  const groups = ORDER.map((c) => ({ c, items: types.filter((t) => t.category === c) })).filter((g) => g.items.length);
  return (
    <nav aria-label="Node palette" className="flex flex-wrap items-center gap-x-4 gap-y-2">
      {groups.map((g) => (
        <section key={g.c} className="flex flex-wrap items-center gap-1.5">
          <h3 className="text-xs font-semibold tracking-wide text-muted uppercase">{CATEGORY_LABEL[g.c] ?? g.c}</h3>
          <ul className="flex flex-wrap gap-1.5">
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
                  className="cursor-grab rounded-full border border-line bg-surface px-3 py-1 text-sm font-medium text-fg hover:border-accent hover:bg-subtle focus-visible:outline-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:opacity-50"
                >
                  + {t.label}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}

import { Link } from "@tanstack/react-router";
import { ListIcon } from "../icons";
import { Field, Input, Select } from "../ui/Field";
import { cx } from "../ui/cx";
import type { SortState } from "./FileTable";
import { GridIcon } from "./icons";
import type { Folder, SortKey } from "./types";

export type ViewMode = "grid" | "list";

const SORTS: { value: string; label: string }[] = [
  { value: "created_at:desc", label: "Newest first" },
  { value: "created_at:asc", label: "Oldest first" },
  { value: "name:asc", label: "Name A–Z" },
  { value: "name:desc", label: "Name Z–A" },
  { value: "size:desc", label: "Largest first" },
  { value: "size:asc", label: "Smallest first" },
];

/** Search by name, tag filter and sort. */
export function Toolbar({
  search,
  onSearch,
  tag,
  onTag,
  sort,
  onSort,
}: {
  search: string;
  onSearch: (s: string) => void;
  tag: string;
  onTag: (t: string) => void;
  sort: SortState;
  onSort: (s: SortState) => void;
}) {
  return (
    <div className="flex flex-wrap items-end gap-3 border-b border-line p-4">
      <Field label="Search by name" className="min-w-0 flex-[2_1_14rem]">
        <Input type="search" value={search} onChange={(e) => onSearch(e.target.value)} placeholder="Search all folders" />
      </Field>
      <Field label="Tag" className="min-w-0 flex-[1_1_8rem]">
        <Input value={tag} onChange={(e) => onTag(e.target.value.trim().toLowerCase())} placeholder="Any tag" />
      </Field>
      <Field label="Sort" className="min-w-0 flex-[1_1_9rem]">
        <Select
          value={`${sort.key}:${sort.order}`}
          onChange={(e) => {
            const [key, order] = e.target.value.split(":") as [SortKey, "asc" | "desc"];
            onSort({ key, order });
          }}
        >
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </Select>
      </Field>
    </div>
  );
}

/** All files / a / b — every level is a link (folder in the URL, so Back works). */
export function Breadcrumb({ path }: { path: Folder[] }) {
  return (
    <nav aria-label="Breadcrumb" className="min-w-0 text-sm">
      <ol className="flex flex-wrap items-center gap-1">
        <li>
          {path.length === 0 ? (
            <span aria-current="page" className="font-medium">
              All files
            </span>
          ) : (
            <Link to="/files" className="text-accent hover:underline">
              All files
            </Link>
          )}
        </li>
        {path.map((f, i) => (
          <li key={f.id} className="flex items-center gap-1">
            <span aria-hidden="true" className="text-muted">
              /
            </span>
            {i === path.length - 1 ? (
              <span aria-current="page" className="font-medium">
                {f.name}
              </span>
            ) : (
              <Link to="/files" search={{ folder: f.id }} className="text-accent hover:underline">
                {f.name}
              </Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** Grid or list (the page remembers the choice). */
export function ViewToggle({ view, onView }: { view: ViewMode; onView: (v: ViewMode) => void }) {
  return (
    <fieldset className="flex shrink-0 gap-1 rounded-lg border border-line p-0.5">
      <legend className="sr-only">View</legend>
      {(["grid", "list"] as const).map((v) => {
        const Icon = v === "grid" ? GridIcon : ListIcon;
        return (
          <button
            key={v}
            type="button"
            aria-pressed={view === v}
            onClick={() => onView(v)}
            className={cx(
              "inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-sm",
              view === v ? "bg-accent-soft font-medium text-accent" : "text-muted hover:bg-subtle",
            )}
          >
            <Icon className="size-4" />
            {v === "grid" ? "Grid" : "List"}
          </button>
        );
      })}
    </fieldset>
  );
}

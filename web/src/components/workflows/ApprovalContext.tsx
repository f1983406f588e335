/** An approval's context (what the run knew when it asked): scalar fields as a list, the rest as JSON. */
export function ApprovalContext({ value }: { value: unknown }) {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object" || Array.isArray(value)) {
    return <pre className="max-h-48 overflow-auto rounded-lg bg-subtle p-2 text-xs">{JSON.stringify(value, null, 2)}</pre>;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return null;
  return (
    <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 rounded-lg bg-subtle p-3 text-xs">
      {entries.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="font-medium text-muted">{k.replace(/_/g, " ")}</dt>
          <dd className="break-words">
            {v !== null && typeof v === "object" ? <pre className="whitespace-pre-wrap">{JSON.stringify(v, null, 2)}</pre> : String(v)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

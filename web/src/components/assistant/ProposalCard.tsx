import { useId, useState } from "react";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Field, Input } from "../ui/Field";
import type { Messages } from "./i18n";
import type { Item } from "./types";

type ProposalItem = Extract<Item, { kind: "proposal" }>;

/**
 * A write the assistant wants to make: what will happen in words, the request collapsed, and
 * Confirm / Cancel. A destructive one needs its phrase typed first (Confirm stays disabled until it
 * matches). The engine runs it only on Confirm, with the confirming person's own permissions.
 */
export function ProposalCard({
  item,
  t,
  onConfirm,
  onCancel,
}: {
  item: ProposalItem;
  t: Messages;
  /** Resolves to a message for the typed field when the engine refused the phrase. */
  onConfirm: (typed?: string) => Promise<string | null>;
  onCancel: () => void;
}) {
  const p = item.proposal;
  const headingId = useId();
  const [typed, setTyped] = useState("");
  const [typedError, setTypedError] = useState<string | undefined>();
  const phrase = p.kind === "destructive" ? (p.confirm_phrase ?? null) : null;
  const matches = phrase === null || typed.trim() === phrase;
  const pending = item.state === "pending";
  const running = item.state === "running";

  const confirm = async () => {
    setTypedError(undefined);
    const problem = await onConfirm(phrase === null ? undefined : typed.trim());
    if (problem) setTypedError(problem);
  };

  return (
    <section
      aria-labelledby={headingId}
      data-action={p.action_id}
      className={
        p.kind === "destructive"
          ? "rounded-xl border border-danger/50 bg-surface p-3 text-sm"
          : "rounded-xl border border-accent/40 bg-surface p-3 text-sm"
      }
    >
      <div className="flex flex-wrap items-center gap-2">
        <h3 id={headingId} className="font-semibold">
          {p.kind === "destructive" ? t.proposalDestructive : t.proposalWrite}
        </h3>
        {item.state === "done" && <Badge tone="success">{t.done}</Badge>}
        {item.state === "failed" && <Badge tone="danger">{t.failed}</Badge>}
        {item.state === "cancelled" && <Badge>{t.cancelled}</Badge>}
      </div>
      <p className="mt-1.5">{p.summary}</p>
      <details className="mt-2 text-xs">
        <summary className="cursor-pointer text-muted hover:text-fg">{t.requestDetails}</summary>
        <pre className="mt-1.5 max-h-48 overflow-auto rounded-lg bg-subtle p-2 font-mono text-[11px] leading-relaxed whitespace-pre-wrap break-all">
          {`${p.method} ${p.path}\n${JSON.stringify(p.args ?? {}, null, 2)}`}
        </pre>
      </details>

      {(pending || running) && (
        <form
          className="mt-3 space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (matches && !running) void confirm();
          }}
        >
          {phrase !== null && (
            <Field label={t.typeToConfirm(phrase)} error={typedError} hint={typed && !matches ? t.mustMatch(phrase) : undefined}>
              <Input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} disabled={running} />
            </Field>
          )}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" size="sm" variant={p.kind === "destructive" ? "danger" : "primary"} disabled={!matches} loading={running}>
              {t.confirm}
            </Button>
            <Button size="sm" variant="secondary" onClick={onCancel} disabled={running}>
              {t.cancel}
            </Button>
          </div>
        </form>
      )}

      {item.state === "expired" && <p className="mt-2 text-xs text-muted">{t.expired}</p>}
      {item.outcome && (
        <p className={item.outcome.status === "done" ? "mt-2 text-sm text-success" : "mt-2 text-sm text-danger"}>{item.outcome.summary}</p>
      )}
    </section>
  );
}

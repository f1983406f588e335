import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Textarea } from "../ui/Field";
import { PageSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { MarkdownView } from "./MarkdownView";
import { SourcesList } from "./SourcesList";
import { confidenceLabel, KIND_LABEL, STATUS_LABEL, STATUS_TONE, type FusionDocument } from "./types";

/** One document: Markdown editor + preview, the AI mark, confidence with its basis, sources with quotes, review/publish. */
export function DocumentPage({ id }: { id: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const key = tkey(ws.id, "fusion", "document", id);
  const doc = useQuery({ queryKey: key, queryFn: () => call<FusionDocument>("GET", `/sales/fusion/documents/${id}`) });
  const [form, setForm] = useState<{ title: string; body: string } | null>(null);
  const [confirm, setConfirm] = useState<"publish" | "unpublish" | null>(null);
  // One view per opening of the page (not per refetch).
  const counted = useRef<string | null>(null);
  useEffect(() => {
    if (counted.current === id) return;
    counted.current = id;
    call<{ view_count: number }>("POST", `/sales/fusion/documents/${id}/view`)
      .then((r) => qc.setQueryData<FusionDocument>(key, (d) => (d ? { ...d, view_count: r.view_count } : d)))
      .catch(() => undefined);
  }, [id, key, qc]);
  const onDone = (d: FusionDocument, message: string) => {
    qc.setQueryData(key, d);
    qc.invalidateQueries({ queryKey: tkey(ws.id, "fusion", "documents") });
    toast.success(message);
  };
  const save = useMutation({
    mutationFn: (f: { title: string; body: string }) => call<FusionDocument>("PATCH", `/sales/fusion/documents/${id}`, { body: f }),
    onSuccess: (d) => {
      setForm(null);
      onDone(d, d.safety_action === "held" || d.safety_action === "blocked" ? "Saved — the AI safety rules flag this text" : "Saved");
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const act = useMutation({
    mutationFn: (what: "review" | "publish" | "unpublish") => call<FusionDocument>("POST", `/sales/fusion/documents/${id}/${what}`),
    onSuccess: (d, what) => {
      setConfirm(null);
      onDone(
        d,
        what === "review"
          ? "Marked reviewed"
          : what === "publish"
            ? "Published to the knowledge base (indexing)"
            : "Removed from the knowledge base",
      );
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (doc.isPending) return <PageSkeleton />;
  if (doc.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(doc.error)}
      </p>
    );
  const d = doc.data;
  const conf = confidenceLabel(d.confidence);
  const canEdit = ws.can("sales:write") && d.status !== "published";
  const editing = form !== null;
  const stopped = d.safety_action === "held" || d.safety_action === "blocked";
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/sales/knowledge" className="text-muted hover:text-fg hover:underline">
          ← Sales knowledge
        </Link>
      </p>
      <PageHeader
        title={d.title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge>{KIND_LABEL[d.kind]}</Badge>
            <Badge tone={STATUS_TONE[d.status]}>{STATUS_LABEL[d.status]}</Badge>
            {d.ai_generated ? (
              <Badge tone="accent">AI-generated · {d.generator === "local-fusion-v1" ? "offline generator" : d.generator}</Badge>
            ) : (
              <Badge>Edited by a person{d.edited_at ? ` · ${formatDateTime(d.edited_at)}` : ""}</Badge>
            )}
            {stopped && <Badge tone="danger">Safety rules: {d.safety_action}</Badge>}
            <span className="text-xs text-muted">
              {d.view_count} view{d.view_count === 1 ? "" : "s"} in the dashboard
            </span>
          </span>
        }
        actions={
          <div className="flex flex-wrap gap-2">
            {canEdit && !editing && (
              <Button variant="secondary" onClick={() => setForm({ title: d.title, body: d.body })}>
                Edit
              </Button>
            )}
            {d.status === "draft" && ws.can("sales:write") && (
              <Button variant="secondary" onClick={() => act.mutate("review")} disabled={act.isPending || editing}>
                Mark reviewed
              </Button>
            )}
            {d.status === "reviewed" && ws.can("sales:manage") && (
              <Button onClick={() => setConfirm("publish")} disabled={editing || stopped}>
                Publish
              </Button>
            )}
            {d.status === "published" && ws.can("sales:manage") && (
              <Button variant="secondary" onClick={() => setConfirm("unpublish")}>
                Unpublish
              </Button>
            )}
          </div>
        }
      />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="space-y-4">
          {editing ? (
            <Card title="Edit" description="Editing removes the AI-generated mark; the safety rules check the text again.">
              <form
                className="space-y-3"
                onSubmit={(e) => {
                  e.preventDefault();
                  save.mutate(form);
                }}
              >
                <Field label="Title">
                  <Input
                    value={form.title}
                    onChange={(e) => setForm({ ...form, title: e.target.value })}
                    required
                    minLength={3}
                    maxLength={300}
                  />
                </Field>
                <div className="grid gap-3 md:grid-cols-2">
                  <Field label="Body (Markdown)" hint="## headings, - lists, **bold**, _italic_">
                    <Textarea
                      rows={18}
                      value={form.body}
                      onChange={(e) => setForm({ ...form, body: e.target.value })}
                      className="font-mono text-xs"
                    />
                  </Field>
                  <div aria-live="polite">
                    <p className="mb-1 text-sm font-medium text-fg">Preview</p>
                    <div className="rounded-lg border border-line p-3" data-testid="fusion-preview">
                      <MarkdownView text={form.body} />
                    </div>
                  </div>
                </div>
                <div className="flex gap-2">
                  <Button type="submit" disabled={save.isPending}>
                    Save
                  </Button>
                  <Button type="button" variant="secondary" onClick={() => setForm(null)}>
                    Cancel
                  </Button>
                </div>
              </form>
            </Card>
          ) : (
            <Card>
              <MarkdownView text={d.body} />
            </Card>
          )}
          {d.status === "published" && (
            <p className="text-sm text-muted">
              Published {formatDateTime(d.published_at)} into the <strong>sales</strong> knowledge collection: the chat widget and the
              outbound writer retrieve it. Unpublish to edit.
            </p>
          )}
        </div>
        <aside className="space-y-4">
          <Card title="Confidence">
            <p className="flex items-center gap-2">
              <span className="text-2xl font-semibold text-fg">{Math.round(d.confidence * 100)} %</span>
              <Badge tone={conf.tone}>{conf.word}</Badge>
            </p>
            <p className="mt-2 text-sm text-muted">{d.confidence_basis.note}</p>
            <p className="mt-1 text-xs text-muted">
              More independent sources that agree raise it: one source at most 50 %, two 75 %, three 88 %.
            </p>
          </Card>
          <Card title={`Sources (${new Set(d.sources.map((s) => s.id)).size})`}>
            <SourcesList sources={d.sources} />
          </Card>
        </aside>
      </div>
      <Dialog
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        title={confirm === "publish" ? "Publish to the knowledge base?" : "Remove from the knowledge base?"}
        description={
          confirm === "publish"
            ? "It goes into the “sales” collection and is indexed: the chat widget and the writer will use it."
            : "The chat widget and the writer stop using it. The document stays here, reviewed."
        }
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirm(null)}>
              Cancel
            </Button>
            <Button
              variant={confirm === "unpublish" ? "danger" : "primary"}
              onClick={() => confirm && act.mutate(confirm)}
              disabled={act.isPending}
            >
              {confirm === "publish" ? "Publish" : "Unpublish"}
            </Button>
          </>
        }
      />
    </>
  );
}

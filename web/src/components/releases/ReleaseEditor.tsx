import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { api, ApiError, errorMessage, type Body } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { ConfirmDialog } from "../team/ConfirmDialog";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { PageSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { NoteBody, StatusBadge, TYPES, type ReleaseNote, type ReleaseType } from "./common";

type Form = { title: string; version: string; type: ReleaseType; featured: boolean; slug: string; body_md: string };
const EMPTY: Form = { title: "", version: "", type: "feature", featured: false, slug: "", body_md: "" };
const fromNote = (n: ReleaseNote): Form => ({
  title: n.title,
  version: n.version ?? "",
  type: n.type,
  featured: n.featured,
  slug: n.slug,
  body_md: n.body_md,
});
type Confirm = null | "publish" | "schedule" | "unpublish" | "delete";

/** `datetime-local` value (the browser's time zone) for a time, and back. */
const toLocalInput = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/** Preview through the server's renderer (POST /releases/preview), a moment after the last key: what you see is what publishes. */
function usePreview(markdown: string) {
  const [debounced, setDebounced] = useState(markdown);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(markdown), 300);
    return () => clearTimeout(t);
  }, [markdown]);
  const ws = useWorkspace();
  return useQuery({
    queryKey: tkey(ws.id, "releases", "preview", debounced),
    queryFn: ({ signal }) => api("POST /api/v1/releases/preview", { body: { body_md: debounced }, signal }),
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Write or edit one release note: Markdown with a live server-rendered preview, then publish, schedule, unpublish or delete. */
export function ReleaseEditor({ id }: { id: string }) {
  const isNew = id === "new";
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const write = ws.can("releases:write");
  const note = useQuery({
    queryKey: tkey(ws.id, "releases", "note", id),
    queryFn: () => api("GET /api/v1/releases/{id}", { params: { id } }),
    enabled: !isNew,
  });
  const [form, setForm] = useState<Form>(EMPTY);
  const [loadedId, setLoadedId] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [when, setWhen] = useState(() => toLocalInput(Date.now() + 24 * 3_600_000));
  const [error, setError] = useState<ApiError | null>(null);
  // Load the note into the form once per note (refetches don't overwrite typing).
  useEffect(() => {
    if (note.data && loadedId !== note.data.id) {
      setForm(fromNote(note.data));
      setLoadedId(note.data.id);
    }
  }, [note.data, loadedId]);
  const preview = usePreview(form.body_md);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const dirty = isNew || !note.data || JSON.stringify(fromNote(note.data)) !== JSON.stringify(form);

  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "releases") });
  /** Creates or saves the note (as typed) and returns it. */
  const save = async (): Promise<ReleaseNote> => {
    const body: Body<"POST /api/v1/releases"> = {
      title: form.title,
      version: form.version.trim() || null,
      type: form.type,
      featured: form.featured,
      body_md: form.body_md,
      ...(form.slug.trim() && (isNew || form.slug !== note.data?.slug) ? { slug: form.slug.trim() } : {}),
    };
    if (isNew) return api("POST /api/v1/releases", { body });
    if (!dirty && note.data) return note.data;
    return api("PATCH /api/v1/releases/{id}", { params: { id }, body });
  };
  const act = useMutation({
    mutationFn: async (action: "save" | "publish" | "schedule" | "unpublish" | "delete") => {
      if (action === "delete") return api("DELETE /api/v1/releases/{id}", { params: { id } }).then(() => null);
      const saved = action === "unpublish" && note.data ? note.data : await save();
      const params = { id: saved.id };
      if (action === "publish") return api("POST /api/v1/releases/{id}/publish", { params });
      if (action === "unpublish") return api("POST /api/v1/releases/{id}/unpublish", { params });
      if (action === "schedule")
        return api("POST /api/v1/releases/{id}/schedule", { params, body: { publish_at: new Date(when).toISOString() } });
      return saved;
    },
    onSuccess: (saved, action) => {
      setError(null);
      setConfirm(null);
      refresh();
      const messages = {
        save: "Saved",
        publish: "Published: it is on your changelog now",
        schedule: `Scheduled for ${formatDateTime(saved?.publish_at)}`,
        unpublish: "Back to draft: taken off the changelog",
        delete: "Release note deleted",
      };
      toast.success(messages[action]);
      if (!saved) return navigate({ to: "/releases" });
      qc.setQueryData(tkey(ws.id, "releases", "note", saved.id), saved);
      setForm(fromNote(saved));
      setLoadedId(saved.id);
      if (isNew) navigate({ to: "/releases/$id", params: { id: saved.id }, replace: true });
    },
    onError: (e) => {
      setConfirm(null);
      if (e instanceof ApiError && e.status === 400 && e.problem.errors) setError(e);
      else toast.error(errorMessage(e));
    },
  });

  if (!isNew && note.isPending) return <PageSkeleton />;
  if (!isNew && note.isError) {
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(note.error)} <Link to="/releases">Back to release notes</Link>
      </p>
    );
  }
  const status = note.data?.status ?? "draft";
  const busy = act.isPending;
  const field = (k: string) => error?.field(k);

  return (
    <>
      <PageHeader
        title={isNew ? "New release note" : form.title || "Release note"}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <Link to="/releases" className="text-accent hover:underline">
              Release notes
            </Link>
            {!isNew && <StatusBadge status={status} />}
            {status === "scheduled" && <span>due {formatDateTime(note.data?.publish_at)}</span>}
            {status === "published" && (
              <>
                <span>published {formatDateTime(note.data?.published_at)}</span>
                <a href={`/changelog/${ws.slug}/${note.data?.slug}`} target="_blank" rel="noopener" className="text-accent hover:underline">
                  View on the changelog
                </a>
              </>
            )}
          </span>
        }
        actions={
          write && (
            <>
              {!isNew && (
                <Button variant="ghost" onClick={() => setConfirm("delete")}>
                  Delete…
                </Button>
              )}
              {status !== "draft" && (
                <Button variant="secondary" onClick={() => setConfirm("unpublish")}>
                  {status === "scheduled" ? "Cancel schedule" : "Unpublish…"}
                </Button>
              )}
              <Button variant="secondary" loading={busy && act.variables === "save"} disabled={!dirty} onClick={() => act.mutate("save")}>
                {isNew ? "Save draft" : "Save"}
              </Button>
              {status !== "published" && (
                <Button variant="secondary" onClick={() => setConfirm("schedule")}>
                  {status === "scheduled" ? "Reschedule…" : "Schedule…"}
                </Button>
              )}
              {status !== "published" && <Button onClick={() => setConfirm("publish")}>Publish…</Button>}
            </>
          )
        }
      />
      {error && (
        <p role="alert" className="mb-4 rounded-lg border border-danger/40 bg-danger-soft px-4 py-2 text-sm text-danger">
          {errorMessage(error)}
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          act.mutate("save");
        }}
        className="grid gap-6 lg:grid-cols-2"
        aria-label="Release note"
      >
        <Card title="Write" bodyClassName="space-y-4 p-5">
          <fieldset disabled={!write} className="space-y-4">
            <Field label="Title" error={field("title")}>
              <Input
                required
                maxLength={200}
                value={form.title}
                onChange={(e) => set("title", e.target.value)}
                placeholder="Faster search"
              />
            </Field>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label="Version" hint="Free text, e.g. 2.4.0" error={field("version")}>
                <Input maxLength={40} value={form.version} onChange={(e) => set("version", e.target.value)} />
              </Field>
              <Field label="Type" error={field("type")}>
                <Select value={form.type} onChange={(e) => set("type", e.target.value as ReleaseType)}>
                  {TYPES.map((t) => (
                    <option key={t.value} value={t.value}>
                      {t.label}
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
            <Field
              label="Body (Markdown)"
              hint="Markdown: **bold**, _italic_, lists, [links](https://…), images, code. Raw HTML is shown as text."
              error={field("body_md")}
            >
              <Textarea
                rows={14}
                value={form.body_md}
                onChange={(e) => set("body_md", e.target.value)}
                className="font-mono"
                placeholder={"Search is now **twice as fast**.\n\n- Results as you type\n- Typo tolerance"}
              />
            </Field>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label="Slug"
                hint={isNew ? "Optional: made from the version and title" : "The note's address on the changelog"}
                error={field("slug")}
              >
                <Input value={form.slug} onChange={(e) => set("slug", e.target.value)} pattern="[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?" />
              </Field>
              <label className="flex items-center gap-2 self-center pt-5 text-sm">
                <input
                  type="checkbox"
                  checked={form.featured}
                  onChange={(e) => set("featured", e.target.checked)}
                  className="size-4 accent-accent"
                />
                Featured (shown on top of the changelog)
              </label>
            </div>
          </fieldset>
        </Card>
        <Card title="Preview" description="Rendered by the server, exactly as it will publish" bodyClassName="p-5">
          <div aria-live="polite" aria-busy={preview.isFetching || undefined} data-testid="release-preview">
            {preview.isError ? (
              <p role="alert" className="text-sm text-danger">
                {errorMessage(preview.error)}
              </p>
            ) : preview.data?.html ? (
              <>
                <h2 className="text-lg font-semibold">{form.title || "Untitled"}</h2>
                <NoteBody html={preview.data.html} />
              </>
            ) : (
              <p className="text-sm text-muted">The preview appears here as you type.</p>
            )}
          </div>
        </Card>
      </form>
      <ConfirmDialog
        open={confirm === "publish"}
        danger={false}
        title="Publish this release note?"
        confirmLabel="Publish"
        busy={busy}
        onConfirm={() => act.mutate("publish")}
        onClose={() => setConfirm(null)}
      >
        It appears on the public changelog and its feeds, in What's new for your team, and on your site's widget, now.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "unpublish"}
        title={status === "scheduled" ? "Cancel the schedule?" : "Unpublish this release note?"}
        confirmLabel={status === "scheduled" ? "Cancel schedule" : "Unpublish"}
        busy={busy}
        onConfirm={() => act.mutate("unpublish")}
        onClose={() => setConfirm(null)}
      >
        It goes back to being a draft{status === "published" ? " and leaves the changelog, the feeds and What's new" : ""}.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "delete"}
        title="Delete this release note?"
        confirmLabel="Delete"
        busy={busy}
        onConfirm={() => act.mutate("delete")}
        onClose={() => setConfirm(null)}
      >
        “{form.title}” is deleted{status === "published" ? " and leaves the changelog" : ""}. This cannot be undone.
      </ConfirmDialog>
      <Dialog
        open={confirm === "schedule"}
        onClose={() => setConfirm(null)}
        size="sm"
        title="Schedule publishing"
        description="It is published at the first check after this time (checks run every 10 minutes)."
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirm(null)}>
              Cancel
            </Button>
            <Button loading={busy} disabled={!when || new Date(when).getTime() <= Date.now()} onClick={() => act.mutate("schedule")}>
              Schedule
            </Button>
          </>
        }
      >
        <Field label="Publish at" hint={`Your time zone: ${Intl.DateTimeFormat().resolvedOptions().timeZone}`}>
          <Input type="datetime-local" value={when} min={toLocalInput(Date.now())} onChange={(e) => setWhen(e.target.value)} />
        </Field>
      </Dialog>
    </>
  );
}

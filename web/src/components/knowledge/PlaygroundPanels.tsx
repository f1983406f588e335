import { useMutation, useQuery } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { Spinner } from "../ui/Spinner";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { ask, kapi, type AskEvent, type Citation, type SearchResult } from "./client";

const fmt = (n: number | null, d = 3) => (n === null ? "—" : n.toFixed(d));

/** Search playground: the retrieved chunks with their full-text, vector and fused scores. */
export function SearchPanel({ collections }: { collections: string[] }) {
  const [query, setQuery] = useState("");
  const [mode, setMode] = useState<"hybrid" | "fts" | "vector">("hybrid");
  const [collection, setCollection] = useState("");
  const search = useMutation({
    mutationFn: () => kapi<SearchResult>("POST", "/knowledge/search", { query, mode, collection: collection || undefined, limit: 10 }),
  });
  const r = search.data;
  return (
    <Card
      title="Search playground"
      description="See what retrieval finds for a question, and why: BM25 full-text score, vector similarity, and the reciprocal-rank-fused score that orders them."
    >
      <form
        className="grid gap-3 md:grid-cols-[1fr_10rem_10rem_auto] md:items-end"
        onSubmit={(e: FormEvent) => (e.preventDefault(), search.mutate())}
      >
        <Field label="Query">
          <Input value={query} onChange={(e) => setQuery(e.target.value)} placeholder="How long do refunds take?" required />
        </Field>
        <Field label="Mode">
          <Select value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
            <option value="hybrid">Hybrid (fused)</option>
            <option value="fts">Full-text only</option>
            <option value="vector">Vector only</option>
          </Select>
        </Field>
        <Field label="Collection">
          <Select value={collection} onChange={(e) => setCollection(e.target.value)}>
            <option value="">All</option>
            {collections.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" loading={search.isPending}>
          Search
        </Button>
      </form>
      {search.isError && (
        <p role="alert" className="mt-4 text-danger">
          {errorMessage(search.error)}
        </p>
      )}
      {r && (
        <div className="mt-5 space-y-3" aria-live="polite">
          <p className="flex flex-wrap items-center gap-2 text-xs text-muted">
            {r.embedder.local && <Badge tone="warning">Local embedder</Badge>}
            <span>{r.embedder.label}</span>·<span>{r.index.label}</span>·<span>{r.timings.total_ms} ms</span>
            {!r.index.vector_leg && r.mode !== "fts" && <Badge tone="warning">vector leg off (index rebuilding)</Badge>}
          </p>
          {r.data.length === 0 ? (
            <EmptyState title="Nothing found">No chunk matches this query{collection ? ` in “${collection}”` : ""}.</EmptyState>
          ) : (
            <ol className="space-y-3">
              {r.data.map((c, i) => (
                <li key={c.chunk_id} className="rounded-lg border border-line p-4">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span className="font-medium">
                      {i + 1}. {c.source_title}
                      {c.heading_path.length ? <span className="text-muted"> › {c.heading_path.join(" › ")}</span> : null}
                    </span>
                    <span className="flex flex-wrap gap-1 font-mono text-xs" aria-label="Scores">
                      <Badge>
                        fts {fmt(c.scores.fts, 2)}
                        {c.scores.fts_rank ? ` #${c.scores.fts_rank}` : ""}
                      </Badge>
                      <Badge>
                        vector {fmt(c.scores.vector)}
                        {c.scores.vector_rank ? ` #${c.scores.vector_rank}` : ""}
                      </Badge>
                      <Badge tone="accent">fused {c.scores.fused.toFixed(4)}</Badge>
                      <Badge tone={c.relevance >= 0.5 ? "success" : "neutral"}>relevance {c.relevance.toFixed(2)}</Badge>
                    </span>
                  </div>
                  <p className="mt-2 line-clamp-4 whitespace-pre-line text-sm">{c.text}</p>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </Card>
  );
}

/** The ask box: streams a grounded answer and lists the citations it used. */
export function AskPanel({ collections }: { collections: string[] }) {
  const [question, setQuestion] = useState("");
  const [collection, setCollection] = useState("");
  const [answer, setAnswer] = useState("");
  const [citations, setCitations] = useState<Citation[]>([]);
  const [done, setDone] = useState<Extract<AskEvent, { type: "done" }> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Citation | null>(null);
  const abort = useRef<AbortController | null>(null);
  async function run(e: FormEvent) {
    e.preventDefault();
    abort.current?.abort();
    const ctl = (abort.current = new AbortController());
    setAnswer(""), setCitations([]), setDone(null), setError(null), setBusy(true);
    try {
      for await (const ev of ask(question, collection, ctl.signal)) {
        if (ev.type === "token") setAnswer((a) => a + ev.text);
        else if (ev.type === "citation") setCitations((c) => [...c, ev]);
        else if (ev.type === "done") setDone(ev);
        else if (ev.type === "error") setError(ev.message);
      }
    } catch (err) {
      if ((err as Error).name !== "AbortError") setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card
      title="Ask the knowledge base"
      description="Answers come only from your sources, with numbered citations; when nothing relevant is found the answer is “I don't know”."
    >
      <form className="space-y-3" onSubmit={run}>
        <Field label="Question">
          <Textarea
            rows={2}
            value={question}
            onChange={(e) => setQuestion(e.target.value)}
            required
            placeholder="Do you ship to Iceland?"
          />
        </Field>
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Collection" className="w-48">
            <Select value={collection} onChange={(e) => setCollection(e.target.value)}>
              <option value="">All</option>
              {collections.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </Select>
          </Field>
          <Button type="submit" loading={busy}>
            Ask
          </Button>
          {busy && (
            <Button type="button" variant="secondary" onClick={() => abort.current?.abort()}>
              Stop
            </Button>
          )}
        </div>
      </form>
      {(answer || busy || error) && (
        <div className="mt-5 space-y-3" aria-live="polite" aria-busy={busy}>
          <div className="rounded-lg border border-line bg-subtle/40 p-4 whitespace-pre-line" data-testid="answer">
            {answer || (busy && <Spinner />)}
          </div>
          {error && (
            <p role="alert" className="text-danger">
              {error}
            </p>
          )}
          {done && (
            <p className="flex flex-wrap gap-2 text-xs text-muted">
              {done.local ? (
                <Badge tone="warning">Local extractive answerer — no AI model</Badge>
              ) : (
                <Badge tone="accent">
                  {done.provider} · {done.model}
                </Badge>
              )}
              {done.fallback && <Badge tone="warning">fallback provider</Badge>}
              {!done.grounded && <Badge>not grounded</Badge>}
              <span>
                {done.usage.input_tokens} in / {done.usage.output_tokens} out tokens
              </span>
            </p>
          )}
          {citations.length > 0 && (
            <div>
              <h3 className="text-sm font-semibold">Sources</h3>
              <ol className="mt-1 space-y-1 text-sm">
                {citations.map((c) => (
                  <li key={c.n}>
                    <button type="button" className="text-accent underline" onClick={() => setOpen(c)}>
                      [{c.n}] {c.source_title}
                      {c.heading_path.length ? ` › ${c.heading_path.join(" › ")}` : ""}
                    </button>
                  </li>
                ))}
              </ol>
            </div>
          )}
        </div>
      )}
      {open && <CitationDialog c={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}

function CitationDialog({ c, onClose }: { c: Citation; onClose: () => void }) {
  const ws = useWorkspace();
  const chunks = useQuery({
    queryKey: tkey(ws.id, "knowledge", "chunks", c.source_id),
    queryFn: () =>
      kapi<{ data: { id: string; position: number; heading_path: string[]; text: string }[] }>(
        "GET",
        `/knowledge/sources/${c.source_id}/chunks?limit=100`,
      ),
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={`[${c.n}] ${c.source_title}`}
      description={
        c.url ? (
          <a className="text-accent underline" href={c.url} target="_blank" rel="noreferrer">
            {c.url}
          </a>
        ) : undefined
      }
      footer={<Button onClick={onClose}>Close</Button>}
      size="lg"
    >
      {chunks.isPending ? (
        <Spinner />
      ) : chunks.isError ? (
        <p role="alert" className="text-danger">
          {errorMessage(chunks.error)}
        </p>
      ) : (
        <div className="max-h-96 space-y-3 overflow-y-auto">
          {chunks.data.data.map((k) => (
            <section
              key={k.id}
              className={`rounded-md p-3 text-sm ${k.id === c.chunk_id ? "border-2 border-accent bg-accent-soft" : "border border-line"}`}
              aria-current={k.id === c.chunk_id ? "true" : undefined}
            >
              {k.heading_path.length > 0 && <h4 className="mb-1 text-xs font-semibold text-muted">{k.heading_path.join(" › ")}</h4>}
              <p className="whitespace-pre-line">{k.text}</p>
            </section>
          ))}
        </div>
      )}
    </Dialog>
  );
}

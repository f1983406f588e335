import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { useState } from "react";
import { kapi, type IndexStatus } from "../../components/knowledge/client";
import { AskPanel, SearchPanel } from "../../components/knowledge/PlaygroundPanels";
import { FaqDialog, SourcesPanel } from "../../components/knowledge/SourcesPanel";
import { ConfirmDialog } from "../../components/team/ConfirmDialog";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { PageHeader } from "../../components/ui/Card";
import { Tabs } from "../../components/ui/Tabs";
import { toast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";

export const Route = createFileRoute("/_app/knowledge")({ component: KnowledgePage });

type Tab = "sources" | "search" | "ask";

function KnowledgePage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [tab, setTab] = useState<Tab>("sources");
  const [faq, setFaq] = useState(false);
  const [rebuild, setRebuild] = useState(false);
  const index = useQuery({
    queryKey: tkey(ws.id, "knowledge", "index"),
    queryFn: () => kapi<IndexStatus>("GET", "/knowledge/index"),
    refetchInterval: (q) => (q.state.data?.rebuilding ? 2000 : false),
  });
  const doRebuild = useMutation({
    mutationFn: () => kapi<IndexStatus>("POST", "/knowledge/index/rebuild"),
    onSuccess: () => (
      toast.info("Rebuild queued: every source is being re-indexed"),
      setRebuild(false),
      qc.invalidateQueries({ queryKey: tkey(ws.id, "knowledge") })
    ),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const collections = index.data?.collections.map((c) => c.name) ?? [];
  const canManage = ws.can("knowledge:manage");
  return (
    <>
      <PageHeader
        title="Knowledge"
        description={
          <>
            Documents and FAQ entries your AI answers from, with citations.{" "}
            {ws.can("ai:read") && (
              <Link to="/ai" className="text-accent underline">
                AI settings
              </Link>
            )}
          </>
        }
        actions={canManage ? <Button onClick={() => setFaq(true)}>New FAQ entry</Button> : undefined}
      />
      {index.data && (
        <p className="mb-4 flex flex-wrap items-center gap-2 text-sm text-muted" aria-label="Index">
          {index.data.local && <Badge tone="warning">Local mode</Badge>}
          <span>
            Embedder: <b className="text-fg">{index.data.embedder_label}</b> ({index.data.dimensions}-d)
          </span>
          ·
          <span>
            Index: <b className="text-fg">{index.data.backend_label}</b>
          </span>
          {index.data.rebuild_required && <Badge tone="danger">model changed — rebuild needed</Badge>}
          {index.data.rebuilding && <Badge tone="accent">rebuilding…</Badge>}
          {canManage && (
            <Button size="sm" variant="ghost" onClick={() => setRebuild(true)}>
              Rebuild index
            </Button>
          )}
        </p>
      )}
      <Tabs
        label="Knowledge sections"
        value={tab}
        onChange={setTab}
        items={[
          { key: "sources", label: "Sources" },
          { key: "search", label: "Search playground" },
          { key: "ask", label: "Ask" },
        ]}
      >
        <div className="pt-5">
          {tab === "sources" && <SourcesPanel collections={collections} />}
          {tab === "search" && <SearchPanel collections={collections} />}
          {tab === "ask" && <AskPanel collections={collections} />}
        </div>
      </Tabs>
      {faq && <FaqDialog onClose={() => setFaq(false)} />}
      <ConfirmDialog
        open={rebuild}
        title="Rebuild the vector index?"
        confirmLabel="Rebuild"
        danger={false}
        busy={doRebuild.isPending}
        onClose={() => setRebuild(false)}
        onConfirm={() => doRebuild.mutate()}
      >
        All vectors are dropped and every source is re-indexed with the configured embedder. Full-text search keeps working meanwhile.
      </ConfirmDialog>
    </>
  );
}

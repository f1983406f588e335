import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { GuardrailTestBox } from "./GuardrailTestBox";
import type { ClaimRule, Disclaimer, Guardrails } from "./types";

const lines = (s: string) =>
  s
    .split("\n")
    .map((x) => x.trim())
    .filter(Boolean);
const numOrNull = (s: string) => (s.trim() === "" ? null : Number(s));

/** The workspace's guardrails on every AI output, and a box to test them. */
export function GuardrailsPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const rules = useQuery({ queryKey: tkey(ws.id, "ai-safety", "guardrails"), queryFn: () => call<Guardrails>("GET", "/ai/guardrails") });
  const [topics, setTopics] = useState("");
  const [phrases, setPhrases] = useState("");
  const [disclaimers, setDisclaimers] = useState<Disclaimer[]>([]);
  const [claims, setClaims] = useState<ClaimRule[]>([]);
  const [onBlocked, setOnBlocked] = useState<"hold" | "block">("hold");
  const [cap, setCap] = useState("");
  const [retention, setRetention] = useState("");
  useEffect(() => {
    const g = rules.data;
    if (!g) return;
    setTopics(g.blocked_topics.join("\n"));
    setPhrases(g.blocked_phrases.join("\n"));
    setDisclaimers(g.disclaimers);
    setClaims(g.claim_rules);
    setOnBlocked(g.on_blocked);
    setCap(g.daily_send_cap?.toString() ?? "");
    setRetention(g.log_retention_days?.toString() ?? "");
  }, [rules.data]);
  const body = {
    blocked_topics: lines(topics),
    blocked_phrases: lines(phrases),
    disclaimers: disclaimers.filter((d) => d.text.trim()),
    claim_rules: claims,
    on_blocked: onBlocked,
    daily_send_cap: numOrNull(cap),
    log_retention_days: numOrNull(retention),
  };
  const save = useMutation({
    mutationFn: () => call<Guardrails>("PUT", "/ai/guardrails", { body }),
    onSuccess: () => {
      toast.success("Guardrails saved: they apply to the next AI output.");
      qc.invalidateQueries({ queryKey: tkey(ws.id, "ai-safety") });
    },
  });
  // Editing needs ai:manage and a plan with the AI safety console (reading works on every plan).
  const canManage = ws.can("ai:manage") && rules.data?.can_edit !== false;
  const err = (k: string) => (save.error instanceof ApiError ? save.error.field(k) : undefined);
  const needsPlan = save.error instanceof ApiError && save.error.status === 402;
  if (rules.isPending) return <Skeleton className="h-96" />;
  if (rules.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(rules.error)}
      </p>
    );
  return (
    <>
      <PageHeader
        title="Guardrails"
        description="Rules applied to every AI output in this workspace: the writer's drafts, chat answers and the assistant."
        actions={
          canManage && (
            <Button loading={save.isPending} onClick={() => save.mutate()}>
              Save guardrails
            </Button>
          )
        }
      />
      {rules.data.can_edit === false && (
        <p className="mb-4 rounded-lg border border-warning/40 bg-warning-soft px-4 py-2 text-sm">
          Your plan does not include the AI safety console: the rules below can be tested but not changed.{" "}
          <Link to="/settings/billing" search={{ checkout: undefined }} className="font-medium text-accent underline">
            See plans
          </Link>
        </p>
      )}
      {save.isError && (
        <p role="alert" className="mb-4 rounded-lg border border-danger/40 bg-danger-soft px-4 py-2 text-sm">
          {errorMessage(save.error)}{" "}
          {needsPlan && (
            <Link to="/settings/billing" search={{ checkout: undefined }} className="font-medium text-accent underline">
              See plans
            </Link>
          )}
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <fieldset disabled={!canManage} className="space-y-6">
          <Card title="Blocked content">
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label="Blocked topics"
                hint="One per line; matched with word stems (“crypto” matches “cryptocurrency”)"
                error={err("blocked_topics")}
              >
                <Textarea rows={5} value={topics} onChange={(e) => setTopics(e.target.value)} />
              </Field>
              <Field label="Blocked phrases" hint="One per line; exact phrase, case-insensitive" error={err("blocked_phrases")}>
                <Textarea rows={5} value={phrases} onChange={(e) => setPhrases(e.target.value)} />
              </Field>
              <Field label="When one matches" className="sm:col-span-2">
                <Select value={onBlocked} onChange={(e) => setOnBlocked(e.target.value as "hold" | "block")}>
                  <option value="hold">Hold for approval (live chat answers are refused)</option>
                  <option value="block">Block it everywhere</option>
                </Select>
              </Field>
            </div>
          </Card>
          <Card title="Claims that need approval" description="An output that makes one of these claims waits in the approval queue.">
            <div className="space-y-3">
              {claims.map((c, i) => (
                <div key={c.id} className="grid gap-2 sm:grid-cols-[9rem_1fr_1fr_auto] sm:items-end">
                  <Field label="Kind">
                    <Select
                      value={c.kind}
                      onChange={(e) =>
                        setClaims((l) => l.map((x, j) => (j === i ? { ...x, kind: e.target.value as ClaimRule["kind"] } : x)))
                      }
                    >
                      <option value="price">Prices</option>
                      <option value="legal">Legal terms</option>
                      <option value="guarantee">Guarantees</option>
                      <option value="custom">Custom phrases</option>
                    </Select>
                  </Field>
                  <Field label="Label">
                    <Input
                      value={c.label}
                      onChange={(e) => setClaims((l) => l.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))}
                    />
                  </Field>
                  <Field label="Phrases (a|b)" error={err(`claim_rules.${i}.pattern`)}>
                    <Input
                      disabled={c.kind !== "custom"}
                      value={c.pattern ?? ""}
                      onChange={(e) => setClaims((l) => l.map((x, j) => (j === i ? { ...x, pattern: e.target.value } : x)))}
                    />
                  </Field>
                  <Button variant="ghost" onClick={() => setClaims((l) => l.filter((_, j) => j !== i))}>
                    Remove
                  </Button>
                </div>
              ))}
              <Button
                size="sm"
                variant="secondary"
                onClick={() => setClaims((l) => [...l, { id: `claim_${Date.now().toString(36)}`, kind: "price", label: "Prices" }])}
              >
                Add a claim rule
              </Button>
            </div>
          </Card>
          <Card title="Disclaimers" description="Appended to outputs on a surface.">
            <div className="space-y-3">
              {disclaimers.map((d, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: disclaimers have no ids; the inputs are controlled, so a removed row cannot leave stale state
                <div key={`${i}-${d.surface}`} className="grid gap-2 sm:grid-cols-[9rem_1fr_auto] sm:items-end">
                  <Field label="Surface">
                    <Select
                      value={d.surface}
                      onChange={(e) =>
                        setDisclaimers((l) => l.map((x, j) => (j === i ? { ...x, surface: e.target.value as Disclaimer["surface"] } : x)))
                      }
                    >
                      <option value="all">All</option>
                      <option value="writer">Writer</option>
                      <option value="chat">Chat</option>
                      <option value="assistant">Assistant</option>
                    </Select>
                  </Field>
                  <Field label="Text">
                    <Input
                      value={d.text}
                      onChange={(e) => setDisclaimers((l) => l.map((x, j) => (j === i ? { ...x, text: e.target.value } : x)))}
                    />
                  </Field>
                  <Button variant="ghost" onClick={() => setDisclaimers((l) => l.filter((_, j) => j !== i))}>
                    Remove
                  </Button>
                </div>
              ))}
              <Button size="sm" variant="secondary" onClick={() => setDisclaimers((l) => [...l, { surface: "writer", text: "" }])}>
                Add a disclaimer
              </Button>
            </div>
          </Card>
          <Card title="Limits">
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label="Daily send cap"
                hint="AI-written emails per day across the workspace; empty for none"
                error={err("daily_send_cap")}
              >
                <Input type="number" min={0} value={cap} onChange={(e) => setCap(e.target.value)} />
              </Field>
              <Field
                label="Keep the call log (days)"
                hint={`Empty: your plan's ${rules.data.plan_log_retention_days ?? ""} days (at most that)`.replace("  ", " ")}
                error={err("log_retention_days")}
              >
                <Input type="number" min={1} value={retention} onChange={(e) => setRetention(e.target.value)} />
              </Field>
            </div>
          </Card>
        </fieldset>
        <div>
          <GuardrailTestBox rules={body} />
        </div>
      </div>
    </>
  );
}

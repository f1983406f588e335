import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "../team/ConfirmDialog";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { toast } from "../ui/Toast";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { kapi, type AiSettings, type Provider } from "./client";

export const LABEL: Record<Provider, string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  "workers-ai": "Workers AI",
  local: "Local extractive answerer",
};
const SLOTS = ["Primary", "Secondary", "Tertiary"];

export function ChainCard({ s }: { s: AiSettings }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canManage = ws.can("ai:manage");
  const [chain, setChain] = useState<({ provider: Provider; model: string } | null)[]>([0, 1, 2].map((i) => s.chain[i] ?? null));
  const [persona, setPersona] = useState(s.persona);
  const [temperature, setTemperature] = useState(s.temperature);
  const [maxTokens, setMaxTokens] = useState(s.max_output_tokens);
  const [redact, setRedact] = useState(s.redact_pii);
  const [timeout, setTimeoutMs] = useState(s.timeout_ms);
  const save = useMutation({
    mutationFn: () =>
      kapi<AiSettings>("PUT", "/ai/settings", {
        chain: chain.filter(Boolean),
        persona,
        temperature,
        max_output_tokens: maxTokens,
        redact_pii: redact,
        timeout_ms: timeout,
      }),
    onSuccess: () => (toast.success("AI settings saved"), qc.invalidateQueries({ queryKey: tkey(ws.id, "ai") })),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const setSlot = (i: number, v: { provider: Provider; model: string } | null) => setChain((c) => c.map((x, j) => (j === i ? v : x)));
  const status = new Map(s.providers.map((p) => [p.provider, p]));
  return (
    <Card
      title="Providers and fallback order"
      description="Each answer tries the primary provider; on errors, timeouts or an open circuit it falls through to the next."
    >
      <form className="space-y-5" onSubmit={(e: FormEvent) => (e.preventDefault(), save.mutate())}>
        <div className="grid gap-4 md:grid-cols-3">
          {SLOTS.map((slot, i) => {
            const link = chain[i];
            return (
              <fieldset key={slot} className="space-y-2 rounded-lg border border-line p-3" disabled={!canManage}>
                <legend className="px-1 text-sm font-semibold">{slot}</legend>
                <Field label={`${slot} provider`} hideLabel>
                  <Select
                    value={link?.provider ?? ""}
                    onChange={(e) =>
                      setSlot(
                        i,
                        e.target.value
                          ? { provider: e.target.value as Provider, model: status.get(e.target.value as Provider)?.default_model ?? "" }
                          : null,
                      )
                    }
                  >
                    <option value="">{i === 0 ? "Choose…" : "None"}</option>
                    {s.providers.map((p) => (
                      <option key={p.provider} value={p.provider}>
                        {LABEL[p.provider]}
                        {p.configured ? "" : " (not configured)"}
                      </option>
                    ))}
                  </Select>
                </Field>
                {link && (
                  <Field label={`${slot} model`}>
                    <Input
                      value={link.model}
                      onChange={(e) => setSlot(i, { ...link, model: e.target.value })}
                      disabled={link.provider === "local"}
                    />
                  </Field>
                )}
                {link && !status.get(link.provider)?.configured && (
                  <p className="text-xs text-warning">Not configured: add a key below; it is skipped until then.</p>
                )}
                {link?.provider === "local" && <p className="text-xs text-muted">Quotes your sources verbatim; no model, works offline.</p>}
              </fieldset>
            );
          })}
        </div>
        <Field
          label="Persona / system prompt"
          hint="How the assistant speaks. Grounding rules (answer only from your sources, cite, say I don't know) are always added."
        >
          <Textarea rows={3} value={persona} onChange={(e) => setPersona(e.target.value)} disabled={!canManage} maxLength={4000} />
        </Field>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label="Temperature" hint="0 = focused, 2 = creative (OpenAI, Workers AI)">
            <Input
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={temperature}
              onChange={(e) => setTemperature(Number(e.target.value))}
              disabled={!canManage}
            />
          </Field>
          <Field label="Max answer tokens">
            <Input
              type="number"
              min={16}
              max={4096}
              value={maxTokens}
              onChange={(e) => setMaxTokens(Number(e.target.value))}
              disabled={!canManage}
            />
          </Field>
          <Field label="Timeout to first token (ms)">
            <Input
              type="number"
              min={1000}
              max={60000}
              step={500}
              value={timeout}
              onChange={(e) => setTimeoutMs(Number(e.target.value))}
              disabled={!canManage}
            />
          </Field>
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} disabled={!canManage} />
          Redact e-mail addresses, phone and card numbers before sending text to external providers
        </label>
        {canManage && (
          <Button type="submit" loading={save.isPending} disabled={!chain[0]}>
            Save settings
          </Button>
        )}
      </form>
    </Card>
  );
}

export function KeysCard({ s }: { s: AiSettings }) {
  const ws = useWorkspace();
  const canManage = ws.can("ai:manage");
  return (
    <Card
      title="Provider keys"
      description="Bring your own keys: stored encrypted, never shown again. Without one, the platform's key (if any) is used."
    >
      <div className="grid gap-4 md:grid-cols-2">
        {(["openai", "anthropic"] as const).map((p) => (
          <KeyForm key={p} provider={p} s={s} canManage={canManage} />
        ))}
      </div>
      <ul className="mt-4 flex flex-wrap gap-2 text-sm">
        {s.providers.map((p) => (
          <li key={p.provider}>
            <Badge tone={p.configured ? "success" : "neutral"}>
              {LABEL[p.provider]}:{" "}
              {p.configured
                ? p.local
                  ? "built in (local)"
                  : p.key_source === "built-in"
                    ? "binding"
                    : `${p.key_source} key`
                : "not configured"}
            </Badge>
          </li>
        ))}
        {s.breakers
          .filter((b) => b.open_until)
          .map((b) => (
            <li key={b.provider}>
              <Badge tone="danger">
                {b.provider}: paused after {b.failures} failures until {formatDateTime(b.open_until)}
              </Badge>
            </li>
          ))}
      </ul>
    </Card>
  );
}

function KeyForm({ provider, s, canManage }: { provider: "openai" | "anthropic"; s: AiSettings; canManage: boolean }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const key = s.keys.find((k) => k.provider === provider);
  const [value, setValue] = useState("");
  const [baseUrl, setBaseUrl] = useState(key?.base_url ?? "");
  const [confirm, setConfirm] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "ai") });
  const save = useMutation({
    mutationFn: () => kapi("PUT", `/ai/keys/${provider}`, { api_key: value, base_url: baseUrl || null }),
    onSuccess: () => (toast.success("Key saved"), setValue(""), refresh()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: () => kapi("DELETE", `/ai/keys/${provider}`),
    onSuccess: () => (toast.success("Key removed"), setConfirm(false), refresh()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const test = useMutation({
    mutationFn: () => kapi<{ ok: boolean; detail: string; latency_ms: number }>("POST", `/ai/providers/${provider}/test`),
    onSuccess: (r) => (
      (r.ok ? toast.success : toast.error)(`${LABEL[provider]}: ${r.ok ? "connected" : "failed"} — ${r.detail} (${r.latency_ms} ms)`),
      refresh()
    ),
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <form className="space-y-3 rounded-lg border border-line p-4" onSubmit={(e) => (e.preventDefault(), save.mutate())}>
      <div className="flex items-center justify-between">
        <h3 className="font-semibold">{LABEL[provider]}</h3>
        {key ? (
          <Badge tone={key.last_test_ok === false ? "danger" : key.last_test_ok ? "success" : "neutral"}>
            key {key.hint}
            {key.last_test_ok === false ? " · test failed" : key.last_test_ok ? " · tested" : ""}
          </Badge>
        ) : (
          <Badge>no workspace key</Badge>
        )}
      </div>
      {key?.last_test_error && <p className="text-xs text-danger">{key.last_test_error}</p>}
      {canManage && (
        <>
          <Field label={`${LABEL[provider]} API key`}>
            <Input
              type="password"
              autoComplete="off"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              placeholder={key ? "Paste a new key to replace it" : provider === "openai" ? "sk-…" : "sk-ant-…"}
              required
              minLength={8}
            />
          </Field>
          <Field label="Base URL (optional)" hint="For compatible gateways or proxies.">
            <Input
              type="url"
              value={baseUrl}
              onChange={(e) => setBaseUrl(e.target.value)}
              placeholder={provider === "openai" ? "https://api.openai.com/v1" : "https://api.anthropic.com"}
            />
          </Field>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" size="sm" loading={save.isPending}>
              Save key
            </Button>
            <Button
              type="button"
              size="sm"
              variant="secondary"
              loading={test.isPending}
              onClick={() => test.mutate()}
              disabled={!s.providers.find((p) => p.provider === provider)?.configured}
            >
              Test connection
            </Button>
            {key && (
              <Button type="button" size="sm" variant="ghost" className="text-danger" onClick={() => setConfirm(true)}>
                Remove key
              </Button>
            )}
          </div>
        </>
      )}
      <ConfirmDialog
        open={confirm}
        title={`Remove the ${LABEL[provider]} key?`}
        confirmLabel="Remove key"
        busy={remove.isPending}
        onClose={() => setConfirm(false)}
        onConfirm={() => remove.mutate()}
      >
        Answers will use the platform key if there is one, or skip {LABEL[provider]} in the chain.
      </ConfirmDialog>
    </form>
  );
}

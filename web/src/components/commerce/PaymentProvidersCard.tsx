import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";
import type { PaymentProviders } from "./client";

type Provider = "stripe" | "paypal";
type Described = PaymentProviders;

/** A read-only URL with a copy button (the webhook endpoint to paste into the provider's dashboard). */
function CopyField({ label, value }: { label: string; value: string }) {
  return (
    <Field label={label} hint="Paste it into the provider's webhook settings.">
      <div className="flex gap-2">
        <Input readOnly value={value} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        <Button
          variant="secondary"
          onClick={() =>
            void navigator.clipboard.writeText(value).then(
              () => toast.success("Webhook URL copied"),
              () => toast.error("Copy failed: select the text and copy it"),
            )
          }
        >
          Copy
        </Button>
      </div>
    </Field>
  );
}

/**
 * Bring-your-own payment keys: Stripe (secret, publishable, webhook signing secret) and PayPal
 * (client id/secret, webhook id, sandbox/live). Secrets are sealed on the server and never shown
 * again; leaving a secret blank keeps the stored one. "Test connection" asks the provider.
 */
export function PaymentProvidersCard({ write }: { write: boolean }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const key = tkey(ws.id, "commerce", "payment-providers");
  const providers = useQuery({ queryKey: key, queryFn: () => api("GET /api/v1/commerce/payment-providers") });
  const [editing, setEditing] = useState<Provider | null>(null);
  const [removing, setRemoving] = useState<Provider | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: key });
  const test = useMutation({
    mutationFn: (p: Provider) => api("POST /api/v1/commerce/payment-providers/{provider}/test", { params: { provider: p } }),
    onSuccess: (r, p) => {
      (r.ok ? toast.success : toast.error)(`${p === "stripe" ? "Stripe" : "PayPal"}: ${r.detail}`);
      void refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: (p: Provider) => api("DELETE /api/v1/commerce/payment-providers/{provider}", { params: { provider: p } }),
    onSuccess: () => {
      setRemoving(null);
      toast.success("Disconnected");
      void refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (providers.isError)
    return (
      <Card title="Payment providers">
        <p role="alert" className="text-sm text-danger">
          {errorMessage(providers.error)}
        </p>
      </Card>
    );
  const d = providers.data;
  const row = (
    p: Provider,
    title: string,
    configured: boolean,
    enabled: boolean,
    summary: string,
    tested?: string | null,
    result?: string | null,
  ) => (
    <li className="grid gap-2 py-4 first:pt-0 last:pb-0">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <p className="font-medium">
            {title} {configured ? enabled ? <Badge tone="success">Connected</Badge> : <Badge>Off</Badge> : <Badge>Not connected</Badge>}
          </p>
          <p className="text-sm text-muted">{summary}</p>
          {tested && (
            <p className="text-xs text-muted">
              Last test {formatRelative(tested)}: {result}
            </p>
          )}
        </div>
        {write && (
          <div className="flex flex-wrap gap-2">
            {configured && (
              <Button size="sm" variant="secondary" loading={test.isPending && test.variables === p} onClick={() => test.mutate(p)}>
                Test connection
              </Button>
            )}
            <Button size="sm" variant="secondary" onClick={() => setEditing(p)}>
              {configured ? "Edit keys" : "Connect"}
            </Button>
            {configured && (
              <Button size="sm" variant="ghost" className="!text-danger" onClick={() => setRemoving(p)}>
                Disconnect
              </Button>
            )}
          </div>
        )}
      </div>
    </li>
  );
  return (
    <Card title="Payment providers" description="Buyers pay you directly with your own Stripe or PayPal account.">
      {!d ? (
        <p className="text-sm text-muted">Loading…</p>
      ) : (
        <ul className="divide-y divide-line">
          {row(
            "stripe",
            "Stripe",
            d.stripe.configured,
            d.stripe.enabled,
            d.stripe.configured
              ? `${d.stripe.secret_hint ?? "secret key stored"} · ${d.stripe.webhook_configured ? "webhook signing secret set" : "no webhook signing secret: payments cannot be confirmed"}`
              : "Card payments through Stripe Checkout.",
            d.stripe.last_tested_at,
            d.stripe.last_test_result,
          )}
          {row(
            "paypal",
            "PayPal",
            d.paypal.configured,
            d.paypal.enabled,
            d.paypal.configured
              ? `${d.paypal.mode === "live" ? "Live" : "Sandbox"} · client ${d.paypal.client_id ?? ""} · ${d.paypal.webhook_id ? `webhook ${d.paypal.webhook_id}` : "no webhook id"}`
              : "PayPal Orders: approve, then capture.",
            d.paypal.last_tested_at,
            d.paypal.last_test_result,
          )}
          <li className="py-4 last:pb-0">
            <p className="font-medium">
              Payment simulator {d.simulator.available ? <Badge tone="warning">Local default</Badge> : <Badge>Not in production</Badge>}
            </p>
            <p className="text-sm text-muted">
              {d.simulator.available
                ? "For local development: a page that approves or declines a payment and sends correctly signed webhooks. No money moves."
                : "Only available when Weft runs locally."}
            </p>
          </li>
        </ul>
      )}
      {d && (
        <ProviderDialog
          provider={editing}
          data={d}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void refresh();
          }}
        />
      )}
      <Dialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        size="sm"
        title={`Disconnect ${removing === "stripe" ? "Stripe" : "PayPal"}?`}
        description="Its keys are deleted and buyers can no longer choose it. Orders already paid are not affected."
        footer={
          <>
            <Button variant="secondary" onClick={() => setRemoving(null)}>
              Cancel
            </Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => removing && remove.mutate(removing)}>
              Disconnect
            </Button>
          </>
        }
      />
    </Card>
  );
}

function ProviderDialog({
  provider,
  data,
  onClose,
  onSaved,
}: {
  provider: Provider | null;
  data: Described;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [v, setV] = useState<Record<string, string>>({});
  const [enabled, setEnabled] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const set = (k: string) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));
  const stripe = provider === "stripe";
  const configured = stripe ? data.stripe.configured : data.paypal.configured;
  const save = useMutation({
    mutationFn: () => {
      const pick = (k: string) => v[k]?.trim() || undefined;
      if (stripe)
        return api("PUT /api/v1/commerce/payment-providers/stripe", {
          body: {
            secret_key: pick("secret_key"),
            publishable_key: pick("publishable_key") ?? data.stripe.publishable_key,
            webhook_secret: pick("webhook_secret"),
            enabled,
          },
        });
      return api("PUT /api/v1/commerce/payment-providers/paypal", {
        body: {
          client_id: pick("client_id") ?? data.paypal.client_id ?? undefined,
          client_secret: pick("client_secret"),
          webhook_id: pick("webhook_id") ?? data.paypal.webhook_id,
          mode: (v.mode as "sandbox" | "live" | undefined) ?? data.paypal.mode,
          enabled,
        },
      });
    },
    onSuccess: () => {
      toast.success(`${stripe ? "Stripe" : "PayPal"} saved`);
      setV({});
      setError(null);
      onSaved();
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const keep = configured ? "Leave blank to keep the stored one" : undefined;
  return (
    <Dialog
      open={provider !== null}
      onClose={onClose}
      size="lg"
      title={stripe ? "Stripe keys" : "PayPal credentials"}
      description="Secrets are encrypted on the server and never shown again."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="provider-form" loading={save.isPending}>
            Save
          </Button>
        </>
      }
    >
      <form
        id="provider-form"
        className="grid gap-3"
        autoComplete="off"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {error && (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
        {stripe ? (
          <>
            <Field label="Secret key" hint={keep ?? "sk_live_… or sk_test_…"}>
              <Input
                type="password"
                value={v.secret_key ?? ""}
                onChange={set("secret_key")}
                placeholder={data.stripe.secret_hint ?? "sk_test_…"}
              />
            </Field>
            <Field label="Publishable key">
              <Input
                value={v.publishable_key ?? data.stripe.publishable_key ?? ""}
                onChange={set("publishable_key")}
                placeholder="pk_test_…"
              />
            </Field>
            <Field label="Webhook signing secret" hint={keep ?? "whsec_… from the webhook endpoint below"}>
              <Input type="password" value={v.webhook_secret ?? ""} onChange={set("webhook_secret")} placeholder="whsec_…" />
            </Field>
            <CopyField label="Webhook URL" value={data.stripe.webhook_url} />
          </>
        ) : (
          <>
            <Field label="Client id">
              <Input value={v.client_id ?? data.paypal.client_id ?? ""} onChange={set("client_id")} />
            </Field>
            <Field label="Client secret" hint={keep}>
              <Input type="password" value={v.client_secret ?? ""} onChange={set("client_secret")} />
            </Field>
            <Field label="Webhook id" hint="From the webhook you create in PayPal for the URL below">
              <Input value={v.webhook_id ?? data.paypal.webhook_id ?? ""} onChange={set("webhook_id")} />
            </Field>
            <Field label="Mode">
              <Select value={v.mode ?? data.paypal.mode} onChange={set("mode")}>
                <option value="sandbox">Sandbox (test)</option>
                <option value="live">Live</option>
              </Select>
            </Field>
            <CopyField label="Webhook URL" value={data.paypal.webhook_url} />
          </>
        )}
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" className="size-4 accent-accent" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Offer it at checkout
        </label>
      </form>
    </Dialog>
  );
}

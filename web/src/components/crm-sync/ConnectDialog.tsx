import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input } from "../ui/Field";
import type { CrmConnection, CrmProvider } from "./types";

/** Connect a CRM with a token: Weft checks it against the CRM before it is stored (encrypted). */
export function ConnectDialog({ provider, onClose }: { provider: CrmProvider | null; onClose: () => void }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [token, setToken] = useState("");
  const [instanceUrl, setInstanceUrl] = useState("");
  const connect = useMutation({
    mutationFn: () =>
      call<CrmConnection>("POST", "/sales/integrations", {
        body: {
          provider: provider?.id,
          token: token.trim(),
          ...(provider?.needs_instance_url ? { instance_url: instanceUrl.trim() } : {}),
        },
      }),
    onSuccess: (c) => {
      qc.invalidateQueries({ queryKey: tkey(ws.id, "crm-sync") });
      setToken("");
      onClose();
      navigate({ to: "/sales/integrations/$id", params: { id: c.id } });
    },
  });
  return (
    <Dialog
      open={provider !== null}
      onClose={onClose}
      title={`Connect ${provider?.name ?? ""}`}
      description="The token is checked against the CRM, stored encrypted and never shown again."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button form="crm-connect" type="submit" loading={connect.isPending} disabled={token.trim().length < 8}>
            Connect
          </Button>
        </>
      }
    >
      <form
        id="crm-connect"
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          connect.mutate();
        }}
      >
        <Field label={provider?.token_label ?? "Token"} error={connect.error ? errorMessage(connect.error) : undefined}>
          <Input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} autoFocus />
        </Field>
        {provider?.needs_instance_url && (
          <Field label="Instance URL" hint="e.g. https://yourorg.my.salesforce.com">
            <Input type="url" value={instanceUrl} onChange={(e) => setInstanceUrl(e.target.value)} />
          </Field>
        )}
      </form>
    </Dialog>
  );
}

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, errorMessage } from "../../lib/api";
import type { MfaEnrollment } from "../../lib/api-types";
import { meQuery } from "../../lib/auth";
import { q } from "../../lib/queries";
import { FormError } from "../AuthLayout";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { CopyButton } from "./CopyButton";

type Mode = null | "enroll" | "disable" | "regenerate";

export function MfaCard() {
  const qc = useQueryClient();
  const status = useQuery(q.mfa());
  const [mode, setMode] = useState<Mode>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const done = async (message: string, newCodes?: string[]) => {
    setMode(null);
    if (newCodes) setCodes(newCodes);
    toast.success(message);
    await Promise.all([qc.invalidateQueries({ queryKey: ["me", "mfa"] }), qc.invalidateQueries({ queryKey: meQuery.queryKey })]);
  };
  const enabled = status.data?.enabled;
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          Two-factor authentication {status.data && (enabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>)}
        </span>
      }
      description="Ask for a code from an authenticator app when you sign in."
    >
      {status.isPending ? (
        <Skeleton className="h-10 w-64" />
      ) : enabled ? (
        <div className="space-y-3 text-sm">
          <p className="text-muted">{status.data!.recovery_codes_remaining} unused recovery codes left.</p>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => setMode("regenerate")}>
              New recovery codes
            </Button>
            <Button variant="danger" onClick={() => setMode("disable")}>
              Turn off
            </Button>
          </div>
        </div>
      ) : (
        <Button onClick={() => setMode("enroll")}>Set up authenticator app</Button>
      )}
      <EnrollDialog open={mode === "enroll"} onClose={() => setMode(null)} onDone={(c) => done("Two-factor authentication is on", c)} />
      <CodeDialog
        open={mode === "disable"}
        onClose={() => setMode(null)}
        withPassword
        title="Turn off two-factor authentication"
        confirm="Turn off"
        run={(code, password) =>
          api("POST /api/v1/me/mfa/disable", { body: { password: password!, code } }).then(() => done("Two-factor authentication is off"))
        }
      />
      <CodeDialog
        open={mode === "regenerate"}
        onClose={() => setMode(null)}
        title="Generate new recovery codes"
        confirm="Generate"
        run={(code) =>
          api("POST /api/v1/me/mfa/recovery-codes", { body: { code } }).then((r) => done("New recovery codes generated", r.recovery_codes))
        }
      />
      <Dialog
        open={codes !== null}
        onClose={() => setCodes(null)}
        title="Save your recovery codes"
        description="Each code signs you in once if you lose your authenticator. They won't be shown again."
        footer={<Button onClick={() => setCodes(null)}>I've saved them</Button>}
      >
        <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-2 rounded-lg border border-line bg-subtle p-4 font-mono text-sm">
          {codes?.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <div className="mt-3">
          <CopyButton value={codes?.join("\n") ?? ""} label="Copy codes" />
        </div>
      </Dialog>
    </Card>
  );
}

function EnrollDialog({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: (codes: string[]) => void }) {
  const [enrollment, setEnrollment] = useState<(MfaEnrollment & { svg: string }) | null>(null);
  const [code, setCode] = useState("");
  const start = useQuery({
    queryKey: ["mfa-enroll", open],
    enabled: open,
    gcTime: 0,
    staleTime: Infinity,
    queryFn: async () => {
      const [e, { renderSVG }] = await Promise.all([api("POST /api/v1/me/mfa/enroll"), import("uqr")]);
      const value = { ...e, svg: renderSVG(e.otpauth_uri, { border: 2 }) };
      setEnrollment(value);
      return value;
    },
  });
  const confirm = useMutation({
    mutationFn: () => api("POST /api/v1/me/mfa/confirm", { body: { code: code.replace(/\s/g, "") } }),
    onSuccess: (r) => (setCode(""), setEnrollment(null), onDone(r.recovery_codes)),
  });
  const close = () => (setCode(""), setEnrollment(null), confirm.reset(), onClose());
  const submit = (e: FormEvent) => (e.preventDefault(), confirm.mutate());
  return (
    <Dialog
      open={open}
      onClose={close}
      title="Set up an authenticator app"
      description="Scan the QR code with an app such as 1Password, Authy or Google Authenticator, then enter the 6-digit code it shows."
    >
      {start.isError ? (
        <FormError message={errorMessage(start.error)} />
      ) : !enrollment ? (
        <Skeleton className="mx-auto size-48" />
      ) : (
        <form onSubmit={submit} className="space-y-4">
          <div
            role="img"
            aria-label="QR code for your authenticator app"
            className="mx-auto size-48 rounded-lg bg-white p-2 [&_svg]:size-full"
            dangerouslySetInnerHTML={{ __html: enrollment.svg }}
          />
          <details className="text-sm">
            <summary className="cursor-pointer text-muted">Can't scan? Enter the key manually</summary>
            <div className="mt-2 flex flex-wrap items-center gap-2">
              <code data-testid="mfa-secret" className="rounded bg-subtle px-2 py-1 font-mono text-xs break-all">
                {enrollment.secret}
              </code>
              <CopyButton value={enrollment.secret} />
            </div>
          </details>
          <FormError message={confirm.error ? errorMessage(confirm.error) : null} />
          <Field label="6-digit code">
            <Input
              value={code}
              onChange={(e) => setCode(e.target.value)}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              maxLength={7}
              autoFocus
            />
          </Field>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={confirm.isPending}>
              Verify and turn on
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function CodeDialog({
  open,
  onClose,
  title,
  confirm,
  run,
  withPassword,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  confirm: string;
  withPassword?: boolean;
  run: (code: string, password?: string) => Promise<unknown>;
}) {
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const m = useMutation({ mutationFn: () => run(code.replace(/\s/g, ""), password), onSuccess: () => (setCode(""), setPassword("")) });
  const close = () => (setCode(""), setPassword(""), m.reset(), onClose());
  return (
    <Dialog open={open} onClose={close} title={title} size="sm">
      <form onSubmit={(e) => (e.preventDefault(), m.mutate())} className="space-y-4">
        <FormError message={m.error ? errorMessage(m.error) : null} />
        {withPassword && (
          <Field label="Password">
            <Input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              required
              autoFocus
            />
          </Field>
        )}
        <Field label="Authenticator code">
          <Input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            autoFocus={!withPassword}
          />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" variant={withPassword ? "danger" : "primary"} loading={m.isPending}>
            {confirm}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

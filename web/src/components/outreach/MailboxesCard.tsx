import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call, type Page } from "../sales/request";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input } from "../ui/Field";
import { toast } from "../ui/Toast";
import type { Mailbox } from "./types";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
type Form = Omit<Mailbox, "id" | "sent_today" | "created_at" | "updated_at">;
const BLANK: Form = {
  from_email: "",
  from_name: "",
  daily_limit: 50,
  window_start: "09:00",
  window_end: "17:00",
  send_days: [1, 2, 3, 4, 5],
  timezone: "UTC",
  signature: "",
};

/** Sending mailboxes: from address, daily limit, sending window and days (in the lead's time zone, else the mailbox's). */
export function MailboxesCard() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canManage = ws.can("sales:manage");
  const [editing, setEditing] = useState<Mailbox | "new" | null>(null);
  const [deleting, setDeleting] = useState<Mailbox | null>(null);
  const [form, setForm] = useState<Form>(BLANK);
  const list = useQuery({
    queryKey: tkey(ws.id, "outreach", "mailboxes"),
    queryFn: () => call<Page<Mailbox>>("GET", "/outreach/mailboxes", { query: { limit: 100 } }),
  });
  const open = (m: Mailbox | "new") => {
    setEditing(m);
    setForm(m === "new" ? BLANK : { ...m });
  };
  const save = useMutation({
    mutationFn: () =>
      editing === "new"
        ? call("POST", "/outreach/mailboxes", { body: form })
        : call("PATCH", `/outreach/mailboxes/${editing?.id}`, { body: form }),
    onSuccess: () => {
      toast.success("Mailbox saved.");
      setEditing(null);
      qc.invalidateQueries({ queryKey: tkey(ws.id, "outreach", "mailboxes") });
    },
  });
  const remove = useMutation({
    mutationFn: (m: Mailbox) => call("DELETE", `/outreach/mailboxes/${m.id}`),
    onSuccess: () => {
      toast.success("Mailbox removed.");
      setDeleting(null);
      qc.invalidateQueries({ queryKey: tkey(ws.id, "outreach", "mailboxes") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const err = (k: string) => (save.error instanceof ApiError ? save.error.field(k) : undefined);
  return (
    <Card
      title="Mailboxes"
      bodyClassName="p-0"
      actions={
        canManage && (
          <Button size="sm" onClick={() => open("new")}>
            Add mailbox
          </Button>
        )
      }
    >
      {list.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(list.error)}
        </p>
      ) : list.data?.data.length ? (
        <ul className="divide-y divide-line">
          {list.data.data.map((m) => (
            <li key={m.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm">
              <div className="min-w-0">
                <p className="font-medium">
                  {m.from_name} &lt;{m.from_email}&gt;
                </p>
                <p className="text-muted">
                  {m.window_start}–{m.window_end} {m.timezone} · {m.send_days.map((d) => DAYS[d]).join(", ")} · {m.sent_today}/
                  {m.daily_limit} today
                </p>
              </div>
              {canManage && (
                <div className="flex gap-2">
                  <Button size="sm" variant="secondary" onClick={() => open(m)}>
                    Edit
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setDeleting(m)}>
                    Remove
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="px-5 py-4 text-sm text-muted">
          {list.isPending ? "Loading…" : "No mailboxes yet: a sequence needs one to send from."}
        </p>
      )}
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" ? "Add mailbox" : "Edit mailbox"}
        size="lg"
        footer={
          <>
            <Button variant="secondary" onClick={() => setEditing(null)}>
              Cancel
            </Button>
            <Button loading={save.isPending} onClick={() => save.mutate()}>
              Save
            </Button>
          </>
        }
      >
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="From name" error={err("from_name")}>
            <Input value={form.from_name} onChange={(e) => setForm({ ...form, from_name: e.target.value })} />
          </Field>
          <Field label="From email" error={err("from_email")}>
            <Input type="email" value={form.from_email} onChange={(e) => setForm({ ...form, from_email: e.target.value })} />
          </Field>
          <Field label="Window start" error={err("window_start")}>
            <Input type="time" value={form.window_start} onChange={(e) => setForm({ ...form, window_start: e.target.value })} />
          </Field>
          <Field label="Window end" error={err("window_end")}>
            <Input type="time" value={form.window_end} onChange={(e) => setForm({ ...form, window_end: e.target.value })} />
          </Field>
          <Field label="Daily limit" error={err("daily_limit")}>
            <Input
              type="number"
              min={1}
              max={2000}
              value={form.daily_limit}
              onChange={(e) => setForm({ ...form, daily_limit: Number(e.target.value) })}
            />
          </Field>
          <Field label="Time zone (when the lead has none)" error={err("timezone")}>
            <Input value={form.timezone} onChange={(e) => setForm({ ...form, timezone: e.target.value })} />
          </Field>
          <fieldset className="sm:col-span-2">
            <legend className="mb-1.5 text-sm font-medium">Sending days</legend>
            <div className="flex flex-wrap gap-3 text-sm">
              {DAYS.map((d, i) => (
                <label key={d} className="inline-flex items-center gap-1.5">
                  <input
                    type="checkbox"
                    checked={form.send_days.includes(i)}
                    onChange={() =>
                      setForm({
                        ...form,
                        send_days: form.send_days.includes(i) ? form.send_days.filter((x) => x !== i) : [...form.send_days, i].sort(),
                      })
                    }
                  />
                  {d}
                </label>
              ))}
            </div>
            {err("send_days") && <p className="mt-1 text-xs text-danger">{err("send_days")}</p>}
          </fieldset>
        </div>
        {save.isError && !(save.error instanceof ApiError && save.error.problem.errors?.length) && (
          <p role="alert" className="mt-3 text-sm text-danger">
            {errorMessage(save.error)}
          </p>
        )}
      </Dialog>
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        size="sm"
        title="Remove this mailbox?"
        description="Sequences that send from it stop sending until another mailbox is chosen."
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>
              Remove
            </Button>
          </>
        }
      />
    </Card>
  );
}

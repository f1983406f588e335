import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";
import { call } from "./request";
import { type Lead, type LeadInput, LEAD_STATUSES, STATUS_LABEL } from "./types";

const TEXT_FIELDS = [
  ["first_name", "First name"],
  ["last_name", "Last name"],
  ["email", "Email"],
  ["title", "Title"],
  ["company_name", "Company"],
  ["domain", "Company domain"],
  ["industry", "Industry"],
  ["phone", "Phone"],
  ["country", "Country (ISO code)"],
  ["city", "City"],
  ["timezone", "Time zone (IANA)"],
  ["linkedin_url", "LinkedIn URL"],
] as const;
type TextKey = (typeof TEXT_FIELDS)[number][0];

const blank = (l?: Lead) =>
  ({
    ...Object.fromEntries(TEXT_FIELDS.map(([k]) => [k, l?.[k] ?? ""])),
    employees: l?.employees?.toString() ?? "",
    status: l?.status ?? "new",
    tags: l?.tags.join(", ") ?? "",
  }) as Record<TextKey | "employees" | "tags", string> & { status: Lead["status"] };

/** Create a lead (no `lead`) or edit one. Blank fields are sent as null; the server's field errors show under each field. */
export function LeadDialog({ open, onClose, lead }: { open: boolean; onClose: () => void; lead?: Lead }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState(blank(lead));
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the dialog opens (not on every lead refetch)
  useEffect(() => {
    if (open) setForm(blank(lead));
  }, [open]);
  const save = useMutation({
    mutationFn: () => {
      const body: LeadInput = { status: form.status };
      for (const [k] of TEXT_FIELDS) (body as Record<string, unknown>)[k] = form[k].trim() || null;
      body.employees = form.employees.trim() ? Number(form.employees) : null;
      body.tags = form.tags
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
      return lead ? call<Lead>("PATCH", `/sales/leads/${lead.id}`, { body }) : call<Lead>("POST", "/sales/leads", { body });
    },
    onSuccess: (saved) => {
      qc.invalidateQueries({ queryKey: tkey(ws.id, "sales", "leads") });
      qc.invalidateQueries({ queryKey: tkey(ws.id, "sales", "lead") });
      toast.success(lead ? "Lead saved." : "Lead created.");
      onClose();
      if (!lead && saved?.id) navigate({ to: "/sales/leads/$id", params: { id: saved.id } });
    },
  });
  const err = (k: string) => (save.error instanceof ApiError ? save.error.field(k) : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Dialog open={open} onClose={onClose} title={lead ? "Edit lead" : "New lead"} size="lg">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <div className="grid gap-3 sm:grid-cols-2">
          {TEXT_FIELDS.map(([k, label]) => (
            <Field key={k} label={label} error={err(k)}>
              <Input
                value={form[k]}
                type={k === "email" ? "email" : "text"}
                onChange={(e) => setForm((f) => ({ ...f, [k]: e.target.value }))}
              />
            </Field>
          ))}
          <Field label="Employees" error={err("employees")}>
            <Input inputMode="numeric" value={form.employees} onChange={(e) => setForm((f) => ({ ...f, employees: e.target.value }))} />
          </Field>
          <Field label="Status" error={err("status")}>
            <Select value={form.status} onChange={(e) => setForm((f) => ({ ...f, status: e.target.value as Lead["status"] }))}>
              {LEAD_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Tags" hint="Separated by commas" error={err("tags")} className="sm:col-span-2">
            <Input value={form.tags} onChange={(e) => setForm((f) => ({ ...f, tags: e.target.value }))} />
          </Field>
        </div>
        {save.isError && !(save.error instanceof ApiError && save.error.problem.errors?.length) && (
          <p role="alert" className="text-sm text-danger">
            {errorMessage(save.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {lead ? "Save" : "Create lead"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, errorMessage } from "../../lib/api";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { toast } from "../ui/Toast";
import { type Category, POST_ACCESS, READ_ACCESS, TRUST_LEVELS, trustLabel } from "./client";

type ReadAccess = (typeof READ_ACCESS)[number]["value"];
type PostAccess = (typeof POST_ACCESS)[number]["value"];

/** Create or edit a category: name, description, colour, who reads / starts topics / replies, minimum trust, questions. */
export function CategoryDialog({ category, onClose, onSaved }: { category: Category | null; onClose: () => void; onSaved: () => void }) {
  const [form, setForm] = useState({
    name: category?.name ?? "",
    description: category?.description ?? "",
    color: category?.color ?? "#6366f1",
    read_access: (category?.read_access ?? "public") as ReadAccess,
    topic_access: (category?.topic_access ?? "signed_in") as PostAccess,
    reply_access: (category?.reply_access ?? "signed_in") as PostAccess,
    min_trust_to_topic: category?.min_trust_to_topic ?? 0,
    questions: category?.questions ?? false,
  });
  const set = <K extends keyof typeof form>(k: K, v: (typeof form)[K]) => setForm((f) => ({ ...f, [k]: v }));
  const save = useMutation({
    mutationFn: () => {
      const body = { ...form, name: form.name.trim() };
      return category
        ? api("PATCH /api/v1/forum/categories/{id}", { params: { id: category.id }, body })
        : api("POST /api/v1/forum/categories", { body });
    },
    onSuccess: (c) => {
      toast.success(category ? `${c.name} saved` : `${c.name} created`);
      onSaved();
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  return (
    <Dialog
      open
      onClose={onClose}
      title={category ? `Edit ${category.name}` : "New category"}
      size="lg"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="forum-category-form" loading={save.isPending}>
            {category ? "Save" : "Create category"}
          </Button>
        </>
      }
    >
      <form
        id="forum-category-form"
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field label="Name" error={err?.field("name")}>
          <Input value={form.name} onChange={(e) => set("name", e.target.value)} maxLength={60} required autoFocus />
        </Field>
        <Field label="Colour" error={err?.field("color")}>
          <Input type="color" value={form.color} onChange={(e) => set("color", e.target.value)} className="p-1" />
        </Field>
        <Field label="Description" error={err?.field("description")} className="sm:col-span-2">
          <Textarea value={form.description} onChange={(e) => set("description", e.target.value)} rows={2} maxLength={500} />
        </Field>
        <Field label="Who can read" error={err?.field("read_access")}>
          <Select value={form.read_access} onChange={(e) => set("read_access", e.target.value as ReadAccess)}>
            {READ_ACCESS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Lowest trust level to start topics" hint="Staff and moderators always may" error={err?.field("min_trust_to_topic")}>
          <Select value={form.min_trust_to_topic} onChange={(e) => set("min_trust_to_topic", Number(e.target.value))}>
            {TRUST_LEVELS.map((_, n) => (
              <option key={trustLabel(n)} value={n}>
                {trustLabel(n)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Who can start topics" error={err?.field("topic_access")}>
          <Select value={form.topic_access} onChange={(e) => set("topic_access", e.target.value as PostAccess)}>
            {POST_ACCESS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Who can reply" error={err?.field("reply_access")}>
          <Select value={form.reply_access} onChange={(e) => set("reply_access", e.target.value as PostAccess)}>
            {POST_ACCESS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </Select>
        </Field>
        <label className="flex items-center gap-2 text-sm sm:col-span-2">
          <input
            type="checkbox"
            checked={form.questions}
            onChange={(e) => set("questions", e.target.checked)}
            className="size-4 accent-accent"
          />
          Topics here are questions (an answer can be accepted; the topic shows as solved)
        </label>
        {save.isError && !err?.problem.errors?.length && (
          <p role="alert" className="text-sm text-danger sm:col-span-2">
            {errorMessage(save.error)}
          </p>
        )}
      </form>
    </Dialog>
  );
}

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { toast } from "../ui/Toast";

interface WriterSettings {
  tone: "friendly" | "formal" | "direct" | "playful";
  persona: string;
  value_props: string[];
  max_words: number;
  use_knowledge: boolean;
}

/** The writer's voice: tone, who is writing, value propositions, length, grounding on the knowledge base. */
export function WriterSettingsCard() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const settings = useQuery({
    queryKey: tkey(ws.id, "outreach", "writer"),
    queryFn: () => call<WriterSettings>("GET", "/outreach/writer"),
  });
  const [form, setForm] = useState<WriterSettings>({ tone: "friendly", persona: "", value_props: [], max_words: 120, use_knowledge: true });
  const [props, setProps] = useState("");
  useEffect(() => {
    if (!settings.data) return;
    setForm(settings.data);
    setProps(settings.data.value_props.join("\n"));
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () =>
      call("PUT", "/outreach/writer", {
        body: {
          ...form,
          value_props: props
            .split("\n")
            .map((p) => p.trim())
            .filter(Boolean),
        },
      }),
    onSuccess: () => {
      toast.success("Writer settings saved: new drafts use them.");
      qc.invalidateQueries({ queryKey: tkey(ws.id, "outreach", "writer") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const err = (k: string) => (save.error instanceof ApiError ? save.error.field(k) : undefined);
  return (
    <Card
      title="Writer"
      description="How the adaptive writer sounds. Variant instructions in a sequence add to this."
      actions={
        ws.can("sales:manage") && (
          <Button size="sm" loading={save.isPending} onClick={() => save.mutate()}>
            Save
          </Button>
        )
      }
    >
      {settings.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(settings.error)}
        </p>
      ) : (
        <fieldset disabled={!ws.can("sales:manage")} className="grid gap-3 sm:grid-cols-2">
          <Field label="Tone" error={err("tone")}>
            <Select value={form.tone} onChange={(e) => setForm({ ...form, tone: e.target.value as WriterSettings["tone"] })}>
              <option value="friendly">Friendly</option>
              <option value="formal">Formal</option>
              <option value="direct">Direct</option>
              <option value="playful">Playful</option>
            </Select>
          </Field>
          <Field label="At most (words)" error={err("max_words")}>
            <Input
              type="number"
              min={30}
              max={400}
              value={form.max_words}
              onChange={(e) => setForm({ ...form, max_words: Number(e.target.value) })}
            />
          </Field>
          <Field label="Who is writing, what you sell" error={err("persona")} className="sm:col-span-2">
            <Textarea value={form.persona} onChange={(e) => setForm({ ...form, persona: e.target.value })} />
          </Field>
          <Field label="Value propositions" hint="One per line" error={err("value_props")} className="sm:col-span-2">
            <Textarea value={props} onChange={(e) => setProps(e.target.value)} />
          </Field>
          <label className="flex items-center gap-2 text-sm sm:col-span-2">
            <input type="checkbox" checked={form.use_knowledge} onChange={(e) => setForm({ ...form, use_knowledge: e.target.checked })} />
            Ground drafts on the knowledge base (the documents used are shown beside each draft)
          </label>
        </fieldset>
      )}
    </Card>
  );
}

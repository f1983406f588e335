import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ApiError, api, type Body, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { PageSkeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { CategoriesCard } from "./CategoriesCard";
import { DIGESTS, type ForumSettings } from "./client";
import { RulesCard } from "./RulesCard";

/**
 * Community → Settings: the forum's switch, title and description, the e-mail digest, the
 * categories (with their access and order), trust thresholds and moderation/spam rules.
 * Read-only for roles without forum:manage.
 */
export function SettingsPage() {
  const ws = useWorkspace();
  const settings = useQuery({ queryKey: tkey(ws.id, "forum", "settings"), queryFn: () => api("GET /api/v1/forum/settings") });
  const canManage = ws.can("forum:manage");
  return (
    <>
      <PageHeader title="Community settings" description="Turn the community on, shape its categories and decide how it is kept healthy." />
      {settings.isError && (
        <p role="alert" className="mb-4 text-sm text-danger">
          {errorMessage(settings.error)}
        </p>
      )}
      {settings.data ? (
        <div className="space-y-6">
          <GeneralCard settings={settings.data} canManage={canManage} />
          <CategoriesCard canManage={canManage} />
          <RulesCard settings={settings.data} canManage={canManage} />
        </div>
      ) : (
        !settings.isError && <PageSkeleton />
      )}
    </>
  );
}

export function useSaveSettings() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Body<"PUT /api/v1/forum/settings">) => api("PUT /api/v1/forum/settings", { body }),
    onSuccess: (data) => {
      qc.setQueryData(tkey(ws.id, "forum", "settings"), data);
      void qc.invalidateQueries({ queryKey: tkey(ws.id, "forum", "activity") });
    },
  });
}

function GeneralCard({ settings, canManage }: { settings: ForumSettings; canManage: boolean }) {
  const [title, setTitle] = useState(settings.title);
  const [description, setDescription] = useState(settings.description);
  const [digest, setDigest] = useState(settings.digest_hours);
  useEffect(() => {
    setTitle(settings.title);
    setDescription(settings.description);
    setDigest(settings.digest_hours);
  }, [settings]);
  const save = useSaveSettings();
  const err = save.error instanceof ApiError ? save.error : null;
  const toggle = () =>
    save.mutate(
      { enabled: !settings.enabled },
      {
        onSuccess: (s) => toast.success(s.enabled ? "The community is on" : "The community is off"),
        onError: (e) => toast.error(errorMessage(e)),
      },
    );
  return (
    <Card
      title="Community"
      description={
        settings.enabled
          ? "On: customers can read and post at your community's address."
          : "Off: the community's pages and APIs answer 404."
      }
      actions={
        canManage && (
          <Button
            variant={settings.enabled ? "secondary" : "primary"}
            onClick={toggle}
            loading={save.isPending && save.variables?.enabled !== undefined}
          >
            {settings.enabled ? "Turn off" : "Turn the community on"}
          </Button>
        )
      }
    >
      <form
        className="grid gap-4 md:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(
            { title: title.trim(), description, digest_hours: digest },
            { onSuccess: () => toast.success("Saved"), onError: (e) => toast.error(errorMessage(e)) },
          );
        }}
      >
        <fieldset disabled={!canManage} className="contents">
          <Field label="Title" error={err?.field("title")}>
            <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={80} required />
          </Field>
          <Field label="E-mail digest" hint="A summary of new topics for members who were away (they can opt out)">
            <Select value={digest} onChange={(e) => setDigest(Number(e.target.value))}>
              {DIGESTS.map((d) => (
                <option key={d.value} value={d.value}>
                  {d.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            label="Description"
            hint="Shown under the title on the community's home page"
            error={err?.field("description")}
            className="md:col-span-2"
          >
            <Textarea value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} rows={2} />
          </Field>
          {canManage && (
            <div className="md:col-span-2">
              <Button type="submit" loading={save.isPending && save.variables?.enabled === undefined}>
                Save
              </Button>
            </div>
          )}
        </fieldset>
      </form>
    </Card>
  );
}

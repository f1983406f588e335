import { useEffect, useState } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Field, Input } from "../ui/Field";
import { toast } from "../ui/Toast";
import type { ForumSettings } from "./client";
import { useSaveSettings } from "./SettingsPage";

type Trust = ForumSettings["trust"];
type Rules = ForumSettings["rules"];

const TRUST_FIELDS: { level: keyof Trust; title: string; fields: { key: string; label: string }[] }[] = [
  {
    level: "basic",
    title: "0 → 1 Basic",
    fields: [
      { key: "topicsEntered", label: "Topics entered" },
      { key: "postsRead", label: "Posts read" },
      { key: "readMinutes", label: "Minutes reading" },
    ],
  },
  {
    level: "member",
    title: "1 → 2 Member",
    fields: [
      { key: "daysVisited", label: "Days visited" },
      { key: "postsRead", label: "Posts read" },
      { key: "readMinutes", label: "Minutes reading" },
      { key: "likesReceived", label: "Likes received" },
      { key: "postsCreated", label: "Posts written" },
    ],
  },
  {
    level: "regular",
    title: "2 → 3 Regular",
    fields: [
      { key: "daysVisited", label: "Days visited" },
      { key: "postsRead", label: "Posts read" },
      { key: "likesReceived", label: "Likes received" },
      { key: "likesGiven", label: "Likes given" },
      { key: "postsCreated", label: "Posts written" },
    ],
  },
];

const RULE_FIELDS: { key: Exclude<keyof Rules, "aiModeration" | "newUserImages">; label: string; hint: string }[] = [
  { key: "holdFirstPosts", label: "Hold a new member's first posts", hint: "Until this many were approved (0: never hold)" },
  { key: "flagHideThreshold", label: "Hide a post at flag weight", hint: "Sum of flag weights; a staff flag alone is enough" },
  { key: "newUserMaxLinks", label: "Links per post for new members", hint: "Trust level 0; images count as links" },
  { key: "postsPerMinute", label: "Posts per member per minute", hint: "Rate limit" },
  { key: "postsPerMinutePerIp", label: "Posts per IP address per minute", hint: "Rate limit" },
  { key: "duplicateWindowMinutes", label: "Refuse a repeated post within (minutes)", hint: "Same text by the same member" },
  { key: "editGraceMinutes", label: "Edit grace (minutes)", hint: "Edits within it keep no revision" },
];

/** Trust thresholds and moderation/spam rules, saved together (PUT /forum/settings merges them). */
export function RulesCard({ settings, canManage }: { settings: ForumSettings; canManage: boolean }) {
  const [trust, setTrust] = useState<Trust>(settings.trust);
  const [rules, setRules] = useState<Rules>(settings.rules);
  useEffect(() => {
    setTrust(settings.trust);
    setRules(settings.rules);
  }, [settings]);
  const save = useSaveSettings();
  const err = save.error instanceof ApiError ? save.error : null;
  const num = (v: string) => (v === "" ? 0 : Math.max(0, Math.floor(Number(v))));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ trust, rules }, { onSuccess: () => toast.success("Rules saved"), onError: (e) => toast.error(errorMessage(e)) });
      }}
    >
      <fieldset disabled={!canManage} className="min-w-0 space-y-6">
        <Card title="Moderation and spam" description="What happens to new members' posts, flags and floods.">
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {RULE_FIELDS.map((f) => (
              <Field key={f.key} label={f.label} hint={f.hint} error={err?.field(`rules.${f.key}`)}>
                <Input
                  type="number"
                  min={0}
                  value={rules[f.key]}
                  onChange={(e) => setRules((r) => ({ ...r, [f.key]: num(e.target.value) }))}
                />
              </Field>
            ))}
          </div>
          <div className="mt-5 space-y-3">
            <label className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                checked={rules.newUserImages}
                onChange={(e) => setRules((r) => ({ ...r, newUserImages: e.target.checked }))}
                className="mt-0.5 size-4 accent-accent"
              />
              New members (trust level 0) may post images
            </label>
            <label className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                checked={rules.aiModeration}
                onChange={(e) => setRules((r) => ({ ...r, aiModeration: e.target.checked }))}
                className="mt-0.5 size-4 accent-accent"
              />
              <span>
                <span className="font-medium">AI moderation check</span>
                <span className="block text-xs text-muted">
                  Each new post is checked for spam and abuse through your AI settings before it shows; a held post is labelled with the
                  AI's reason in the moderation queue, and a moderator can overrule it.
                </span>
              </span>
            </label>
          </div>
        </Card>
        <Card title="Trust levels" description="What a member needs to reach the next level (level 4, Leader, is only given by staff).">
          <div className="grid gap-6 lg:grid-cols-3">
            {TRUST_FIELDS.map((g) => (
              <fieldset key={g.level} className="space-y-3">
                <legend className="mb-2 text-sm font-semibold">{g.title}</legend>
                {g.fields.map((f) => {
                  const level = trust[g.level] as Record<string, number>;
                  return (
                    <Field key={f.key} label={f.label} error={err?.field(`trust.${g.level}.${f.key}`)}>
                      <Input
                        type="number"
                        min={0}
                        value={level[f.key] ?? 0}
                        onChange={(e) => setTrust((t) => ({ ...t, [g.level]: { ...t[g.level], [f.key]: num(e.target.value) } }))}
                      />
                    </Field>
                  );
                })}
              </fieldset>
            ))}
          </div>
        </Card>
        {canManage && (
          <div>
            <Button type="submit" loading={save.isPending}>
              Save rules and trust levels
            </Button>
          </div>
        )}
      </fieldset>
    </form>
  );
}

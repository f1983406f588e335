import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useMe } from "../../lib/auth";
import { q } from "../../lib/queries";
import { useWorkspace } from "../../lib/workspace";
import { CheckIcon } from "../icons";
import { Badge } from "../ui/Badge";
import { Card } from "../ui/Card";
import { cx } from "../ui/cx";

type Focus = "team" | "api" | "widget" | "security";
interface Item {
  key: string;
  focus?: Focus;
  title: string;
  to: string;
  done: boolean;
}

/** Getting-started checklist computed from real data; the onboarding pick goes first. */
export function Checklist({ focus, memberCount, pendingInvites }: { focus: Focus | null; memberCount: number; pendingInvites: number }) {
  const ws = useWorkspace();
  const { data: me } = useMe();
  const keys = useQuery({ ...q.apiKeys(ws.id, { limit: 1 }), enabled: ws.can("api_keys:read") });
  const pks = useQuery({ ...q.publishableKeys(ws.id, { limit: 1 }), enabled: ws.can("publishable_keys:read") });
  const items: Item[] = [{ key: "verify", title: "Confirm your email", to: "/settings/profile", done: Boolean(me?.user.email_verified) }];
  if (ws.can("members:invite"))
    items.push({ key: "team", focus: "team", title: "Invite your team", to: "/wizards/team", done: memberCount > 1 || pendingInvites > 0 });
  items.push({
    key: "security",
    focus: "security",
    title: "Turn on two-factor authentication",
    to: "/settings/security",
    done: Boolean(me?.user.mfa_enabled),
  });
  if (ws.can("api_keys:manage"))
    items.push({ key: "api", focus: "api", title: "Create an API key", to: "/wizards/api-keys", done: (keys.data?.data.length ?? 0) > 0 });
  if (ws.can("publishable_keys:manage"))
    items.push({
      key: "widget",
      focus: "widget",
      title: "Add a publishable key for your site",
      to: "/settings/publishable-keys",
      done: (pks.data?.data.length ?? 0) > 0,
    });
  items.sort((a, b) => Number(b.focus === focus) - Number(a.focus === focus));
  const done = items.filter((i) => i.done).length;

  return (
    <Card title="Getting started" description={`${done} of ${items.length} done`}>
      <div
        className="mb-4 h-1.5 overflow-hidden rounded-full bg-subtle"
        role="progressbar"
        aria-label="Getting started progress"
        aria-valuemin={0}
        aria-valuemax={items.length}
        aria-valuenow={done}
      >
        <div className="h-full rounded-full bg-accent transition-all" style={{ width: `${(done / items.length) * 100}%` }} />
      </div>
      <ul className="space-y-1">
        {items.map((it) => (
          <li key={it.key}>
            <Link to={it.to} className="flex items-center gap-3 rounded-lg px-2 py-2 text-sm hover:bg-subtle">
              <span
                className={cx(
                  "flex size-5 shrink-0 items-center justify-center rounded-full border",
                  it.done ? "border-success bg-success text-surface" : "border-line",
                )}
              >
                {it.done && <CheckIcon className="size-3.5" />}
              </span>
              <span className={cx("flex-1", it.done && "text-muted line-through")}>{it.title}</span>
              {it.focus === focus && !it.done && <Badge tone="accent">Recommended</Badge>}
              <span className="sr-only">{it.done ? "(done)" : "(to do)"}</span>
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}

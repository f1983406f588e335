import { useQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { useState } from "react";
import { MailIcon } from "../components/icons";
import { Button } from "../components/ui/Button";
import { Card, PageHeader } from "../components/ui/Card";
import { cx } from "../components/ui/cx";
import { EmptyState } from "../components/ui/EmptyState";
import { Field, Input } from "../components/ui/Field";
import { TableSkeleton } from "../components/ui/Skeleton";
import { api, ApiError, errorMessage } from "../lib/api";
import { formatRelative } from "../lib/format";
import { Logo } from "../components/Logo";
import { ThemeMenu } from "../components/ThemeMenu";

/** Local dev mailbox: what the outbox "sent" when no email provider is configured. */
export const Route = createFileRoute("/mailbox")({ component: MailboxPage });

/** Links in emails point at this origin; make them relative so they open in the SPA. */
const localize = (html: string) =>
  html.replace(new RegExp(`href="${location.origin.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "g"), 'href="');

function MailboxPage() {
  const [to, setTo] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  const mail = useQuery({
    queryKey: ["dev-mailbox", to.trim().toLowerCase()],
    queryFn: () => api("GET /api/v1/dev/mailbox", { query: { limit: 50, to: to.trim() || undefined }, anonymous: true }),
    refetchInterval: 5000,
    retry: false,
  });
  const selected = mail.data?.data.find((m) => m.id === open) ?? mail.data?.data[0];
  if (mail.error instanceof ApiError && mail.error.status === 404) {
    return (
      <Frame>
        <EmptyState icon={<MailIcon />} title="The dev mailbox is only available locally">
          In production, emails go to your email provider.
        </EmptyState>
      </Frame>
    );
  }
  return (
    <Frame>
      <PageHeader
        title="Dev mailbox"
        description="Emails sent while running locally. Nothing leaves this machine."
        actions={
          <Button variant="secondary" onClick={() => mail.refetch()}>
            Refresh
          </Button>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[20rem_1fr]">
        <Card bodyClassName="">
          <div className="border-b border-line p-3">
            <Field label="Filter by recipient" hideLabel>
              <Input type="search" placeholder="Filter by recipient" value={to} onChange={(e) => setTo(e.target.value)} />
            </Field>
          </div>
          {mail.isPending ? (
            <TableSkeleton rows={4} />
          ) : mail.isError ? (
            <p role="alert" className="p-4 text-sm text-danger">
              {errorMessage(mail.error)}
            </p>
          ) : mail.data.data.length === 0 ? (
            <EmptyState icon={<MailIcon />} title="No emails yet">
              Sign up, invite someone or reset a password and the email lands here.
            </EmptyState>
          ) : (
            <ul aria-label="Emails" className="max-h-[70vh] divide-y divide-line overflow-y-auto">
              {mail.data.data.map((m) => (
                <li key={m.id}>
                  <button
                    type="button"
                    onClick={() => setOpen(m.id)}
                    aria-current={selected?.id === m.id || undefined}
                    className={cx("w-full px-4 py-3 text-left text-sm hover:bg-subtle", selected?.id === m.id && "bg-accent-soft")}
                  >
                    <span className="block truncate font-medium">{m.subject}</span>
                    <span className="flex justify-between gap-2 text-xs text-muted">
                      <span className="truncate">{m.to}</span>
                      <span className="shrink-0">{formatRelative(m.created_at)}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Card>
        {selected && (
          <Card
            title={selected.subject}
            description={
              <>
                To {selected.to} · {new Date(selected.created_at).toLocaleString()}
              </>
            }
          >
            <article
              className="prose-sm max-w-none rounded-lg bg-white p-4 text-zinc-900 [&_a]:text-indigo-700 [&_a]:underline"
              dangerouslySetInnerHTML={{ __html: localize(selected.html) }}
            />
            <details className="mt-4 text-sm">
              <summary className="cursor-pointer text-muted">Plain text</summary>
              <pre className="mt-2 whitespace-pre-wrap text-xs">{selected.text}</pre>
            </details>
          </Card>
        )}
      </div>
    </Frame>
  );
}

/** Standalone (works signed out too: reset and invite emails are read before signing in). */
function Frame({ children }: { children: ReactNode }) {
  return (
    <div className="min-h-dvh">
      <header className="flex items-center justify-between border-b border-line px-6 py-3">
        <Link to="/" aria-label="Weft home">
          <Logo />
        </Link>
        <ThemeMenu />
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6 sm:px-6">{children}</main>
    </div>
  );
}

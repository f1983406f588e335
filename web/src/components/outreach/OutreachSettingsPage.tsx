import { PageHeader } from "../ui/Card";
import { MailboxesCard } from "./MailboxesCard";
import { WriterSettingsCard } from "./WriterSettingsCard";

export function OutreachSettingsPage() {
  return (
    <>
      <PageHeader title="Outreach settings" description="Where emails are sent from, when, and how the writer sounds." />
      <div className="space-y-6">
        <MailboxesCard />
        <WriterSettingsCard />
      </div>
    </>
  );
}

import { forwardRef, useId, useState } from "react";
import { Button } from "../ui/Button";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { EventCatalogue } from "./EventCatalogue";
import type { Variable } from "./ExpressionInput";
import { SchemaForm } from "./SchemaForm";
import type { DefinitionError, EventType, NodeTypeInfo, Trigger, WorkflowNode } from "./types";

interface Props {
  node: WorkflowNode;
  info: NodeTypeInfo | undefined;
  trigger: Trigger;
  errors: DefinitionError[];
  variables: Variable[];
  events: EventType[];
  webhookUrl?: string;
  readOnly: boolean;
  onChange: (patch: Partial<WorkflowNode>, key: string) => void;
  onTrigger: (t: Trigger) => void;
  onDelete: () => void;
}

/** The selected node's name and config form (from its config_schema), with the server's errors for it. */
export const PropertiesPanel = forwardRef<HTMLInputElement, Props>(function PropertiesPanel(p, nameRef) {
  const { node, info, errors } = p;
  const byField = new Map(errors.map((e) => [e.field, e.message]));
  const general = errors.filter((e) => !e.field.startsWith("config.") && !e.field.startsWith("trigger."));
  return (
    <section aria-label={`Properties of ${node.name}`} className="space-y-4">
      <div>
        <p className="text-xs font-semibold tracking-wide text-muted uppercase">
          {node.type === "trigger" ? "Trigger" : (info?.label ?? node.type)}
        </p>
        {info && <p className="text-xs text-muted">{info.description}</p>}
      </div>
      <fieldset disabled={p.readOnly} className="space-y-4">
        <Field label="Name">
          <Input
            ref={nameRef}
            value={node.name}
            maxLength={120}
            onChange={(e) => p.onChange({ name: e.target.value }, `name:${node.id}`)}
          />
        </Field>
        {general.map((e) => (
          <p key={e.field + e.message} role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-xs text-danger">
            {e.message}
          </p>
        ))}
        {node.type === "trigger" ? (
          <TriggerForm trigger={p.trigger} onChange={p.onTrigger} events={p.events} errors={byField} webhookUrl={p.webhookUrl} />
        ) : info ? (
          <SchemaForm
            schema={info.config_schema}
            value={node.config ?? {}}
            onChange={(config) => p.onChange({ config }, `config:${node.id}`)}
            variables={p.variables}
            errors={byField}
          />
        ) : (
          <p className="text-sm text-muted">Unknown node type “{node.type}”.</p>
        )}
      </fieldset>
      {node.type !== "trigger" && !p.readOnly && (
        <Button variant="secondary" size="sm" className="text-danger" onClick={p.onDelete}>
          Delete node
        </Button>
      )}
    </section>
  );
});

const KINDS: { type: Trigger["type"]; label: string }[] = [
  { type: "event", label: "An event in the workspace" },
  { type: "schedule", label: "A schedule (cron)" },
  { type: "webhook", label: "An incoming webhook" },
  { type: "manual", label: "Manual (Run now)" },
];

function TriggerForm({
  trigger,
  onChange,
  events,
  errors,
  webhookUrl,
}: {
  trigger: Trigger;
  onChange: (t: Trigger) => void;
  events: EventType[];
  errors: Map<string, string>;
  webhookUrl?: string;
}) {
  const filterId = useId();
  const filterText = trigger.type === "event" && trigger.filter ? JSON.stringify(trigger.filter, null, 2) : "";
  const [filter, setFilter] = useState(filterText);
  const [filterError, setFilterError] = useState<string>();
  return (
    <div className="space-y-4">
      <Field label="Starts on">
        <Select
          value={trigger.type}
          onChange={(e) => {
            const type = e.target.value as Trigger["type"];
            onChange(
              type === "event" ? { type, event: "" } : type === "schedule" ? { type, cron: "0 9 * * 1", timezone: "UTC" } : { type },
            );
          }}
        >
          {KINDS.map((k) => (
            <option key={k.type} value={k.type}>
              {k.label}
            </option>
          ))}
        </Select>
      </Field>
      {trigger.type === "event" && (
        <>
          <div className="space-y-1">
            <p className="text-sm font-medium text-fg">
              Event: <span className="font-mono text-xs">{trigger.event || "none chosen"}</span>
            </p>
            {errors.get("trigger.event") && <p className="text-xs font-medium text-danger">{errors.get("trigger.event")}</p>}
            <EventCatalogue compact events={events} value={trigger.event} onPick={(event) => onChange({ ...trigger, event })} />
          </div>
          <div className="space-y-1">
            <label htmlFor={filterId} className="block text-sm font-medium text-fg">
              Only when (optional condition, JSON)
            </label>
            <Textarea
              id={filterId}
              value={filter}
              rows={3}
              className="font-mono text-xs"
              placeholder={'{ "left": "trigger.data.total", "op": "gt", "right": 100 }'}
              aria-invalid={Boolean(filterError || errors.get("trigger.filter")) || undefined}
              onChange={(e) => setFilter(e.target.value)}
              onBlur={() => {
                if (!filter.trim()) {
                  setFilterError(undefined);
                  const { filter: _drop, ...rest } = trigger;
                  return onChange(rest);
                }
                try {
                  onChange({ ...trigger, filter: JSON.parse(filter) });
                  setFilterError(undefined);
                } catch {
                  setFilterError("Not valid JSON.");
                }
              }}
            />
            {(filterError || errors.get("trigger.filter")) && (
              <p className="text-xs font-medium text-danger">{filterError ?? errors.get("trigger.filter")}</p>
            )}
          </div>
        </>
      )}
      {trigger.type === "schedule" && (
        <>
          <Field label="Cron (minute hour day month weekday)" hint="e.g. 0 9 * * 1 — Mondays at 09:00" error={errors.get("trigger.cron")}>
            <Input className="font-mono" value={trigger.cron} onChange={(e) => onChange({ ...trigger, cron: e.target.value })} />
          </Field>
          <Field label="Time zone" hint="IANA name, e.g. Europe/Berlin" error={errors.get("trigger.timezone")}>
            <Input value={trigger.timezone ?? ""} onChange={(e) => onChange({ ...trigger, timezone: e.target.value || undefined })} />
          </Field>
        </>
      )}
      {trigger.type === "webhook" && (
        <div className="space-y-1 text-sm">
          <p className="font-medium">POST to</p>
          <code className="block rounded-lg bg-subtle p-2 text-xs break-all">{webhookUrl ?? "—"}</code>
          <p className="text-xs text-muted">
            Signed with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). The body becomes trigger.data.
          </p>
        </div>
      )}
      {trigger.type === "manual" && (
        <p className="text-sm text-muted">
          Started with “Run now” or POST /api/v1/workflows/{"{id}"}/runs; its input becomes trigger.data.
        </p>
      )}
    </div>
  );
}

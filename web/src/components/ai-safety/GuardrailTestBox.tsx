import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { call } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Field, Select, Textarea } from "../ui/Field";
import { ACTION_TONE, type GuardrailTest } from "./types";

/** Try the rules being edited on a text: which rules fire and what would happen (held, blocked, a disclaimer added). */
export function GuardrailTestBox({ rules }: { rules?: Record<string, unknown> }) {
  const [surface, setSurface] = useState("writer");
  const [text, setText] = useState("Our plan costs only $49 per month and we guarantee results.");
  const test = useMutation({
    mutationFn: () => call<GuardrailTest>("POST", "/ai/guardrails/test", { body: { surface, text, guardrails: rules } }),
  });
  return (
    <Card title="Test the rules" description="Runs the rules as edited on the left (saved or not) on this text; nothing is logged or sent.">
      <div className="space-y-3">
        <Field label="Surface">
          <Select value={surface} onChange={(e) => setSurface(e.target.value)}>
            <option value="writer">Writer</option>
            <option value="chat">Chat</option>
            <option value="assistant">Assistant</option>
          </Select>
        </Field>
        <Field label="Text">
          <Textarea rows={5} value={text} onChange={(e) => setText(e.target.value)} />
        </Field>
        <Button variant="secondary" disabled={!text.trim()} loading={test.isPending} onClick={() => test.mutate()}>
          Test
        </Button>
        <div aria-live="polite">
          {test.isError && (
            <p role="alert" className="text-sm text-danger">
              {errorMessage(test.error)}
            </p>
          )}
          {test.data && (
            <div className="space-y-2 rounded-lg border border-line p-3 text-sm">
              <p>
                Result: <Badge tone={ACTION_TONE[test.data.action]}>{test.data.action}</Badge>
              </p>
              {test.data.rules.length > 0 ? (
                <ul className="list-disc pl-5">
                  {test.data.rules.map((r) => (
                    <li key={`${r.rule}:${r.match}`}>
                      {r.rule}: “{r.match}”
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-muted">No rule fired.</p>
              )}
              {test.data.action === "modified" && <pre className="rounded bg-subtle p-2 whitespace-pre-wrap">{test.data.text}</pre>}
            </div>
          )}
        </div>
      </div>
    </Card>
  );
}

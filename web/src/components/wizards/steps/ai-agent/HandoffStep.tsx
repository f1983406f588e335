import { useState } from "react";
import { Field, Input } from "../../../ui/Field";
import type { StepProps } from "..";
import { useAnswers } from "../useStepStatus";
import { lines } from "./lines";

/** When the AI offers a person: keywords, low confidence (with its threshold), outside opening hours. */
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
type Hours = { timezone: string; days: number[]; start: string; end: string };

export function HandoffStep({ value, onChange, errors }: StepProps) {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const v = useAnswers<{ keywords: string[]; low_confidence: boolean; min_confidence: number; outside_hours: boolean; hours?: Hours }>(
    value,
    { keywords: [], low_confidence: true, min_confidence: 0.35, outside_hours: false },
    onChange,
  );
  const [kw, setKw] = useState(((v.keywords ?? []) as string[]).join(", "));
  const hours = v.hours ?? { timezone: tz, days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" };
  const setHours = (h: Partial<Hours>) => onChange({ ...v, hours: { ...hours, ...h } });
  return (
    <div className="grid gap-5">
      <Field
        label="Offer a person when a message mentions"
        hint="Comma-separated, e.g. refund, cancel, lawyer, complaint"
        error={errors.keywords}
      >
        <Input
          value={kw}
          onChange={(e) => {
            setKw(e.target.value);
            onChange({ ...v, keywords: lines(e.target.value) });
          }}
        />
      </Field>
      <div className="grid gap-2">
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={v.low_confidence !== false}
            onChange={(e) => onChange({ ...v, low_confidence: e.target.checked })}
          />
          When the AI is not confident (nothing relevant in the knowledge, or the best match is weak)
        </label>
        {v.low_confidence !== false && (
          <Field label={`Confidence threshold: ${Math.round(Number(v.min_confidence) * 100)}%`} error={errors.min_confidence}>
            <input
              type="range"
              min={0.05}
              max={0.95}
              step={0.05}
              value={Number(v.min_confidence)}
              onChange={(e) => onChange({ ...v, min_confidence: Number(e.target.value) })}
            />
          </Field>
        )}
      </div>
      <div className="grid gap-3">
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={v.outside_hours === true}
            onChange={(e) => onChange({ ...v, outside_hours: e.target.checked, hours: e.target.checked ? hours : undefined })}
          />
          Outside opening hours (visitors get the leave-a-message form)
        </label>
        {v.outside_hours === true && (
          <div className="grid gap-3 rounded-lg border border-line p-3 sm:grid-cols-[1fr_7rem_7rem]">
            <fieldset className="sm:col-span-3">
              <legend className="mb-1 text-sm font-medium">Open on</legend>
              <div className="flex flex-wrap gap-2">
                {DAYS.map((d, i) => (
                  <label key={d} className="flex items-center gap-1 text-sm">
                    <input
                      type="checkbox"
                      checked={hours.days.includes(i)}
                      onChange={(e) => setHours({ days: e.target.checked ? [...hours.days, i].sort() : hours.days.filter((x) => x !== i) })}
                    />
                    {d}
                  </label>
                ))}
              </div>
              {errors["hours.days"] && <p className="text-sm text-danger">{errors["hours.days"]}</p>}
            </fieldset>
            <Field label="Time zone" error={errors["hours.timezone"]}>
              <Input value={hours.timezone} onChange={(e) => setHours({ timezone: e.target.value })} />
            </Field>
            <Field label="Opens" error={errors["hours.start"]}>
              <Input type="time" value={hours.start} onChange={(e) => setHours({ start: e.target.value })} />
            </Field>
            <Field label="Closes" error={errors["hours.end"]}>
              <Input type="time" value={hours.end} onChange={(e) => setHours({ end: e.target.value })} />
            </Field>
          </div>
        )}
        {errors.hours && <p className="text-sm text-danger">{errors.hours}</p>}
      </div>
    </div>
  );
}

import { clock, type Segment } from "./types";

/** Speaker colours: the same speaker keeps one colour through the call. */
const TONES = ["text-accent", "text-success", "text-warning", "text-danger"];

/** The transcript, one row per segment: time, speaker, what was said. */
export function Transcript({ segments }: { segments: Segment[] }) {
  const speakers = [...new Set(segments.map((s) => s.speaker).filter((s): s is string => !!s))];
  return (
    <ol className="max-h-[32rem] divide-y divide-line overflow-y-auto" aria-label="Transcript">
      {segments.map((s, i) => (
        // Segments have no ids; their order is fixed.
        // biome-ignore lint/suspicious/noArrayIndexKey: the transcript never reorders
        <li key={i} className="grid grid-cols-[4rem_minmax(0,1fr)] gap-3 px-5 py-2 text-sm">
          <span className="pt-0.5 font-mono text-xs text-muted tabular-nums">{clock(s.start_ms)}</span>
          <p>
            {s.speaker && <span className={`mr-1 font-semibold ${TONES[speakers.indexOf(s.speaker) % TONES.length]}`}>{s.speaker}:</span>}
            {s.text}
          </p>
        </li>
      ))}
    </ol>
  );
}

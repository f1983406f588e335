import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useRef, useState, type DragEvent } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { UploadIcon } from "../sales/icons";
import { call, rawSales, type Page } from "../sales/request";
import { Button } from "../ui/Button";
import { cx } from "../ui/cx";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Textarea } from "../ui/Field";
import type { Call, SpeechStatus } from "./types";

interface LeadOption {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  company_name: string | null;
}
const leadName = (l: LeadOption) => [l.first_name, l.last_name].filter(Boolean).join(" ") || l.email || l.id;

const TRANSCRIPT_EXT = /\.(vtt|srt|txt|text)$/i;
const AUDIO_EXT = /\.(mp3|mp4|m4a|mpeg|mpga|wav|webm|ogg|oga|flac)$/i;

/** Upload a call: drop or pick a transcript or recording, or paste a transcript; link a lead. */
export function UploadCall({ open, onClose, leadId }: { open: boolean; onClose: () => void; leadId?: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [pasted, setPasted] = useState("");
  const [title, setTitle] = useState("");
  const [lead, setLead] = useState<LeadOption | null>(null);
  const [leadQuery, setLeadQuery] = useState("");
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const speech = useQuery({
    queryKey: tkey(ws.id, "voice", "speech"),
    queryFn: () => call<SpeechStatus>("GET", "/sales/calls/speech"),
    enabled: open,
    staleTime: 60_000,
  });
  const leads = useQuery({
    queryKey: tkey(ws.id, "voice", "lead-search", leadQuery),
    queryFn: () => call<Page<LeadOption>>("GET", "/sales/leads", { query: { q: leadQuery, limit: 6 } }),
    enabled: open && !lead && !leadId && leadQuery.trim().length > 0,
  });
  const isAudio = !!file && (file.type.startsWith("audio/") || file.type.startsWith("video/") || AUDIO_EXT.test(file.name));
  const audioRefused = isAudio && speech.data && !speech.data.accepts_recordings;

  const reset = () => {
    setFile(null);
    setPasted("");
    setTitle("");
    setLead(null);
    setLeadQuery("");
    setError(null);
  };
  const upload = useMutation({
    mutationFn: async () => {
      const form = new FormData();
      if (file) form.append("file", file);
      else form.append("transcript", pasted);
      if (title.trim()) form.append("title", title.trim());
      const linked = leadId ?? lead?.id;
      if (linked) form.append("lead_id", linked);
      const res = await rawSales("POST", "/sales/calls", { body: form });
      const body = await res.json().catch(() => null);
      if (!res.ok) throw new ApiError(body ?? { type: "about:blank", title: "Upload failed", status: res.status });
      return body as Call;
    },
    onSuccess: (c) => {
      qc.invalidateQueries({ queryKey: tkey(ws.id, "voice") });
      reset();
      onClose();
      navigate({ to: "/sales/calls/$id", params: { id: c.id } });
    },
    // A malformed transcript's message names the line ("Line 12: …").
    onError: (e) => setError(errorMessage(e)),
  });

  const pick = (f: File | undefined) => {
    if (!f) return;
    setError(null);
    setFile(f);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    pick(e.dataTransfer.files[0]);
  };
  const ready = (file || pasted.trim()) && !audioRefused;

  return (
    <Dialog
      open={open}
      onClose={() => {
        reset();
        onClose();
      }}
      title="Upload a call"
      description="A transcript (WebVTT, SRT, or plain text with “Speaker: line”) or a recording. The AI proposes a summary, tasks, tickets and a follow-up email; nothing is created until you accept it."
      size="lg"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => upload.mutate()} loading={upload.isPending} disabled={!ready}>
            Upload and analyse
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        {speech.data && !speech.data.accepts_recordings && (
          <p className="rounded-lg border border-line bg-subtle px-3 py-2 text-sm text-muted" data-testid="speech-note">
            Recordings need a speech provider; upload the transcript. No speech provider (Workers AI or OpenAI) is configured here, so only
            transcripts can be analysed.
          </p>
        )}
        <button
          type="button"
          aria-label="Choose a transcript or recording file, or drop it here"
          onClick={() => input.current?.click()}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          className={cx(
            "flex w-full cursor-pointer flex-col items-center justify-center rounded-xl border-2 border-dashed px-4 py-8 text-center",
            dragging ? "border-accent bg-accent-soft" : "border-line hover:bg-subtle",
          )}
        >
          <UploadIcon />
          {file ? (
            <span className="mt-2 block text-sm font-medium">
              {file.name} <span className="text-muted">({Math.ceil(file.size / 1024)} KB)</span>
            </span>
          ) : (
            <span className="mt-2 block text-sm">
              <span className="font-medium text-accent">Choose a file</span> or drop it here
            </span>
          )}
          <span className="mt-1 block text-xs text-muted">
            .vtt, .srt or .txt transcripts; .mp3, .m4a, .wav, .webm recordings up to 25 MB
          </span>
        </button>
        <input
          ref={input}
          type="file"
          className="sr-only"
          accept=".vtt,.srt,.txt,audio/*,.m4a,.mp3,.wav,.webm"
          data-testid="call-file"
          onChange={(e) => pick(e.target.files?.[0])}
        />
        {audioRefused && (
          <p role="alert" className="text-sm text-danger">
            This is a recording, and recordings need a speech provider; upload the transcript.
          </p>
        )}
        {file && (
          <Button variant="ghost" size="sm" onClick={() => setFile(null)}>
            Remove the file
          </Button>
        )}
        {!file && (
          <Field label="…or paste the transcript" hint="One line per turn: “Dana: Can you send the pricing by Friday?”">
            <Textarea rows={6} value={pasted} onChange={(e) => setPasted(e.target.value)} placeholder="Sam: Thanks for your time today…" />
          </Field>
        )}
        <Field label="Title" hint={file && TRANSCRIPT_EXT.test(file.name) ? "Default: the file name" : "Default: the date of the call"}>
          <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
        </Field>
        {!leadId && (
          <div className="space-y-1.5">
            {lead ? (
              <p className="text-sm">
                Lead: <strong>{leadName(lead)}</strong>{" "}
                <Button variant="ghost" size="sm" onClick={() => setLead(null)}>
                  Change
                </Button>
              </p>
            ) : (
              <Field label="Lead (optional)" hint="Needed for a ticket and the follow-up email; the call goes on the lead's timeline.">
                <Input value={leadQuery} onChange={(e) => setLeadQuery(e.target.value)} placeholder="Search by name, email or company" />
              </Field>
            )}
            {!lead && (leads.data?.data.length ?? 0) > 0 && (
              <ul className="divide-y divide-line rounded-lg border border-line" aria-label="Matching leads">
                {leads.data?.data.map((l) => (
                  <li key={l.id}>
                    <button type="button" className="block w-full px-3 py-2 text-left text-sm hover:bg-subtle" onClick={() => setLead(l)}>
                      {leadName(l)}
                      <span className="ml-2 text-muted">{[l.email, l.company_name].filter(Boolean).join(" · ")}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {error && (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
      </div>
    </Dialog>
  );
}

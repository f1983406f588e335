import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";

/**
 * Staff share a workspace file (from Files) with one end user: it appears under Files in their portal
 * with the note. Lists what is shared already, each with "Stop sharing".
 */
export function ShareFileDialog({ user, onClose }: { user: { id: string; name: string; email: string } | null; onClose: () => void }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [q, setQ] = useState("");
  const [fileId, setFileId] = useState("");
  const [note, setNote] = useState("");
  const id = user?.id ?? "";
  const files = useQuery({
    queryKey: tkey(ws.id, "files", "share-picker", q),
    queryFn: () => api("GET /api/v1/files", { query: { q: q || undefined, limit: 50 } }),
    enabled: Boolean(user),
  });
  const shared = useQuery({
    queryKey: tkey(ws.id, "end-users", "files", id),
    queryFn: () => api("GET /api/v1/end-users/{id}/files", { params: { id }, query: { origin: "staff", limit: 50 } }),
    enabled: Boolean(user),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "end-users", "files", id) });
  const share = useMutation({
    mutationFn: () => api("POST /api/v1/end-users/{id}/files", { params: { id }, body: { file_id: fileId, note: note.trim() || null } }),
    onSuccess: (f) => {
      toast.success(`${f.name} is in their portal`);
      setFileId("");
      setNote("");
      void refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const unshare = useMutation({
    mutationFn: (file: string) => api("DELETE /api/v1/end-users/{id}/files/{fileId}", { params: { id, fileId: file } }),
    onSuccess: () => void refresh(),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (fileId) share.mutate();
  };
  return (
    <Dialog open={Boolean(user)} onClose={onClose} title={`Share a file with ${user?.name || user?.email || ""}`}>
      <form onSubmit={submit} className="space-y-3">
        <Field label="Find a file">
          <Input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="File name" />
        </Field>
        <Field label="File">
          <Select value={fileId} onChange={(e) => setFileId(e.target.value)} required>
            <option value="">{files.isPending ? "Loading…" : "Choose a file"}</option>
            {files.data?.data.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Note for them (optional)">
          <Input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Done
          </Button>
          <Button type="submit" loading={share.isPending} disabled={!fileId}>
            Share
          </Button>
        </div>
      </form>
      <h3 className="mt-6 text-sm font-semibold">Shared with them</h3>
      {shared.data?.data.length ? (
        <ul className="mt-2 divide-y divide-line text-sm">
          {shared.data.data.map((f) => (
            <li key={f.file_id} className="flex items-center justify-between gap-2 py-2">
              <span className="truncate">
                {f.name}
                {f.note ? <span className="text-muted"> — {f.note}</span> : null}
              </span>
              <Button
                size="sm"
                variant="ghost"
                loading={unshare.isPending && unshare.variables === f.file_id}
                onClick={() => unshare.mutate(f.file_id)}
              >
                Stop sharing
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-muted">Nothing yet.</p>
      )}
    </Dialog>
  );
}

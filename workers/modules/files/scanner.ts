import { createLogger } from "../../platform/logger";
import type { FilesEnv } from "./config";

/**
 * The malware check every upload passes before it becomes a file. `scanHead` sees the first bytes
 * before anything is written; `scanStored` sees the SHA-256 (and can read the stored object) once
 * the bytes are in R2 but before the file row exists — a refusal there deletes the object.
 *
 * Embedded default (`embeddedScanner`): refuses the EICAR test file and a SHA-256 blocklist. It is
 * not an antivirus. The adapter slot for a real one is `httpScanner` (FILES_SCANNER_URL): it POSTs the
 * stored bytes to a scanning service that answers `{ "clean": boolean, "signature"?: string }` —
 * e.g. a ClamAV REST wrapper run beside the deployment — and fails closed when it cannot answer.
 */
export interface ScanVerdict {
  clean: boolean;
  scanner: string;
  signature?: string;
}
export interface StoredObject {
  sha256: string;
  size: number;
  read(): Promise<ReadableStream<Uint8Array> | null>;
}
export interface MalwareScanner {
  name: string;
  scanHead(head: Uint8Array): Promise<ScanVerdict>;
  scanStored(obj: StoredObject): Promise<ScanVerdict>;
}

/** The EICAR anti-virus test string (a harmless file every scanner must flag). */
export const EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
const EICAR_BYTES = new TextEncoder().encode(EICAR);

/** SHA-256 of known-bad files (the EICAR file itself, with and without a trailing newline). */
export const SHA256_BLOCKLIST = new Set([
  "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
  "131f95c51cc819465fa1797f6ccacf9d494aaaff46fa3eac73ae63ffbdfd8267",
]);

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  outer: for (let i = hay.indexOf(first as number); i !== -1 && i <= hay.length - needle.length; i = hay.indexOf(first as number, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

export function embeddedScanner(extraBlocklist: Iterable<string> = []): MalwareScanner {
  const blocklist = new Set([...SHA256_BLOCKLIST, ...[...extraBlocklist].map((h) => h.toLowerCase())]);
  return {
    name: "embedded",
    async scanHead(head) {
      return indexOfBytes(head, EICAR_BYTES) >= 0
        ? { clean: false, scanner: "embedded", signature: "EICAR-Test-File" }
        : { clean: true, scanner: "embedded" };
    },
    async scanStored(obj) {
      return blocklist.has(obj.sha256)
        ? { clean: false, scanner: "embedded", signature: "SHA256-Blocklist" }
        : { clean: true, scanner: "embedded" };
    },
  };
}

/** The adapter slot: a scanning service over HTTP, after the embedded checks. */
export function httpScanner(url: string, token: string | undefined, fetcher: typeof fetch = fetch): MalwareScanner {
  const log = createLogger({ component: "files-scanner" });
  const inner = embeddedScanner();
  return {
    name: "http",
    scanHead: (head) => inner.scanHead(head),
    async scanStored(obj) {
      const local = await inner.scanStored(obj);
      if (!local.clean) return local;
      const body = await obj.read();
      const res = await fetcher(url, {
        method: "POST",
        headers: {
          "Content-Type": "application/octet-stream",
          "X-Content-SHA256": obj.sha256,
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body,
      }).catch((e: unknown) => {
        log.error("scanner_unreachable", { error: String(e) });
        return null;
      });
      const verdict = res?.ok ? ((await res.json().catch(() => null)) as { clean?: unknown; signature?: unknown } | null) : null;
      if (!verdict || typeof verdict.clean !== "boolean") return { clean: false, scanner: "http", signature: "Scanner-Unavailable" };
      return { clean: verdict.clean, scanner: "http", signature: typeof verdict.signature === "string" ? verdict.signature : undefined };
    },
  };
}

export function scannerFor(env: FilesEnv): MalwareScanner {
  return env.FILES_SCANNER_URL ? httpScanner(env.FILES_SCANNER_URL, env.FILES_SCANNER_TOKEN) : embeddedScanner();
}

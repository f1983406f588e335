import { toast } from "../ui/Toast";

/** Copies to the clipboard; where the browser refuses (no permission, not focused), says how to copy by hand. */
export async function copyText(text: string, what: string) {
  try {
    await navigator.clipboard.writeText(text);
    toast.success(`${what} copied`);
  } catch {
    toast.info(`Select the ${what.toLowerCase()} and copy it`);
  }
}

// Public entry of the voice module (voice-to-action, docs/sales.md): what other modules use.
// Knowledge fusion reads call transcripts through these two.
export { getTranscriptText, listTranscriptsForFusion } from "./transcripts.service";
export type { TranscriptForFusion } from "./transcripts.service";

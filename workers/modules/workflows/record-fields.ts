/** What an update_record step may change, per record type (the updaters live in record-updaters.ts). */
export const RECORD_FIELDS = {
  lead: ["status", "owner_id", "add_tags", "remove_tags"],
  order: ["status", "note"],
} as const;

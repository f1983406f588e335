/** What an update_record step may change, per record type (each module's updater checks the values). */
export const RECORD_FIELDS = {
  lead: ["status", "owner_id", "add_tags", "remove_tags"],
  order: ["status", "note"],
  member: ["role"],
  ticket: ["status", "assignee_id"],
} as const;

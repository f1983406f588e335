ALTER TABLE `sales_leads` ADD `tracked_visits` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sales_icp` ADD `visits_cursor` text;--> statement-breakpoint
ALTER TABLE `sales_icp` ADD `visits_synced_at` integer;--> statement-breakpoint
ALTER TABLE `sales_drafts` ADD `reject_reason` text;
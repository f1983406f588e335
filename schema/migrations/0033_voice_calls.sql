CREATE TABLE `sales_call_proposals` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`call_id` text NOT NULL,
	`kind` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'proposed' NOT NULL,
	`proposed` text NOT NULL,
	`accepted` text,
	`created_type` text,
	`created_id` text,
	`decided_by` text,
	`decided_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sales_call_proposals_call_idx` ON `sales_call_proposals` (`tenant_id`,`call_id`,`position`);--> statement-breakpoint
CREATE UNIQUE INDEX `sales_call_proposals_created_uq` ON `sales_call_proposals` (`tenant_id`,`created_type`,`created_id`);--> statement-breakpoint
CREATE TABLE `sales_calls` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`lead_id` text,
	`deal_id` text,
	`source` text NOT NULL,
	`file_id` text,
	`format` text NOT NULL,
	`status` text NOT NULL,
	`failure_reason` text,
	`speech_provider` text,
	`segments` text DEFAULT '[]' NOT NULL,
	`transcript_text` text DEFAULT '' NOT NULL,
	`duration_ms` integer,
	`summary` text,
	`action_items` text DEFAULT '[]' NOT NULL,
	`analysed_by` text,
	`analysis_local` integer DEFAULT false NOT NULL,
	`ai_call_id` text,
	`activity_id` text,
	`occurred_at` integer NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sales_calls_created_idx` ON `sales_calls` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `sales_calls_status_idx` ON `sales_calls` (`tenant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `sales_calls_lead_idx` ON `sales_calls` (`tenant_id`,`lead_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `sales_calls_occurred_idx` ON `sales_calls` (`tenant_id`,`occurred_at`);
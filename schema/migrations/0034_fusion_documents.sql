CREATE TABLE `fusion_documents` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`topic_key` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`sources` text DEFAULT '[]' NOT NULL,
	`confidence` real DEFAULT 0 NOT NULL,
	`confidence_basis` text NOT NULL,
	`ai_generated` integer DEFAULT true NOT NULL,
	`generator` text NOT NULL,
	`safety_action` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`knowledge_source_id` text,
	`view_count` integer DEFAULT 0 NOT NULL,
	`run_id` text,
	`edited_by` text,
	`edited_at` integer,
	`reviewed_by` text,
	`reviewed_at` integer,
	`published_by` text,
	`published_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fusion_documents_topic_uq` ON `fusion_documents` (`tenant_id`,`kind`,`topic_key`);--> statement-breakpoint
CREATE INDEX `fusion_documents_list_idx` ON `fusion_documents` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `fusion_documents_status_idx` ON `fusion_documents` (`tenant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `fusion_runs` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`scope` text NOT NULL,
	`since` integer,
	`chosen` text,
	`progress` integer DEFAULT 0 NOT NULL,
	`stage` text DEFAULT 'queued' NOT NULL,
	`transcripts` integer DEFAULT 0 NOT NULL,
	`threads` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`unchanged` integer DEFAULT 0 NOT NULL,
	`kept` integer DEFAULT 0 NOT NULL,
	`generator` text,
	`transcripts_available` integer DEFAULT true NOT NULL,
	`latest_source_at` integer,
	`error` text,
	`created_by` text,
	`started_at` integer,
	`finished_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fusion_runs_list_idx` ON `fusion_runs` (`tenant_id`,`created_at`);
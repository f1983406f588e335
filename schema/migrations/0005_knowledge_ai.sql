CREATE TABLE `kb_chunks` (
	`seq` integer PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`source_id` text NOT NULL,
	`collection` text NOT NULL,
	`position` integer NOT NULL,
	`heading` text DEFAULT '' NOT NULL,
	`text` text NOT NULL,
	`tokens` integer NOT NULL,
	`fts_scope` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_chunks_tenant_id_uq` ON `kb_chunks` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `kb_chunks_tenant_source_idx` ON `kb_chunks` (`tenant_id`,`source_id`,`position`);--> statement-breakpoint
CREATE INDEX `kb_chunks_tenant_collection_idx` ON `kb_chunks` (`tenant_id`,`collection`);--> statement-breakpoint
CREATE TABLE `kb_indexes` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`backend` text NOT NULL,
	`model` text NOT NULL,
	`dimensions` integer NOT NULL,
	`generation` integer DEFAULT 1 NOT NULL,
	`rebuilding_since` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `kb_sources` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`collection` text DEFAULT 'default' NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`mime_type` text NOT NULL,
	`r2_key` text,
	`url` text,
	`size_bytes` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`progress` integer DEFAULT 0 NOT NULL,
	`error` text,
	`version` integer DEFAULT 1 NOT NULL,
	`chunk_count` integer DEFAULT 0 NOT NULL,
	`created_by` text NOT NULL,
	`indexed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `kb_sources_tenant_created_idx` ON `kb_sources` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `kb_sources_tenant_collection_idx` ON `kb_sources` (`tenant_id`,`collection`);--> statement-breakpoint
CREATE TABLE `kb_term_stats` (
	`tenant_id` text NOT NULL,
	`term` text NOT NULL,
	`df` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `term`)
);
--> statement-breakpoint
CREATE TABLE `kb_vectors` (
	`tenant_id` text NOT NULL,
	`chunk_id` text NOT NULL,
	`source_id` text NOT NULL,
	`collection` text NOT NULL,
	`vector` blob NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `chunk_id`)
);
--> statement-breakpoint
CREATE INDEX `kb_vectors_tenant_source_idx` ON `kb_vectors` (`tenant_id`,`source_id`);--> statement-breakpoint
CREATE TABLE `ai_breakers` (
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`open_until` integer,
	`last_error` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `provider`)
);
--> statement-breakpoint
CREATE TABLE `ai_calls` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`operation` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`status` text NOT NULL,
	`latency_ms` integer NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`attempts` text NOT NULL,
	`fallback` integer DEFAULT false NOT NULL,
	`redactions` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ai_calls_tenant_created_idx` ON `ai_calls` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `ai_provider_keys` (
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`sealed_key` text NOT NULL,
	`hint` text NOT NULL,
	`base_url` text,
	`last_tested_at` integer,
	`last_test_ok` integer,
	`last_test_error` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `provider`)
);
--> statement-breakpoint
CREATE TABLE `ai_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`chain` text NOT NULL,
	`temperature` real DEFAULT 0.2 NOT NULL,
	`max_output_tokens` integer DEFAULT 600 NOT NULL,
	`persona` text DEFAULT '' NOT NULL,
	`redact_pii` integer DEFAULT true NOT NULL,
	`timeout_ms` integer DEFAULT 20000 NOT NULL,
	`updated_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);

CREATE TABLE `sales_activities` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`lead_id` text,
	`company_id` text,
	`deal_id` text,
	`kind` text NOT NULL,
	`actor_id` text,
	`summary` text NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	`dedupe_key` text,
	`occurred_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sales_activities_lead_idx` ON `sales_activities` (`tenant_id`,`lead_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `sales_activities_deal_idx` ON `sales_activities` (`tenant_id`,`deal_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `sales_activities_kind_idx` ON `sales_activities` (`tenant_id`,`kind`,`occurred_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `sales_activities_dedupe_uq` ON `sales_activities` (`tenant_id`,`dedupe_key`);--> statement-breakpoint
CREATE TABLE `sales_companies` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`domain` text,
	`industry` text,
	`employees` integer,
	`country` text,
	`region` text,
	`city` text,
	`owner_id` text,
	`source` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`custom_fields` text DEFAULT '{}' NOT NULL,
	`enriched_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sales_companies_domain_idx` ON `sales_companies` (`tenant_id`,`domain`);--> statement-breakpoint
CREATE INDEX `sales_companies_name_idx` ON `sales_companies` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `sales_deals` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`lead_id` text,
	`company_id` text,
	`stage_id` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`amount_minor` integer DEFAULT 0 NOT NULL,
	`currency` text DEFAULT 'USD' NOT NULL,
	`owner_id` text,
	`source` text,
	`expected_close_at` integer,
	`outcome` text DEFAULT 'open' NOT NULL,
	`lost_reason` text,
	`closed_at` integer,
	`stage_changed_at` integer NOT NULL,
	`custom_fields` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sales_deals_stage_idx` ON `sales_deals` (`tenant_id`,`stage_id`,`position`);--> statement-breakpoint
CREATE INDEX `sales_deals_lead_idx` ON `sales_deals` (`tenant_id`,`lead_id`);--> statement-breakpoint
CREATE INDEX `sales_deals_outcome_idx` ON `sales_deals` (`tenant_id`,`outcome`,`closed_at`);--> statement-breakpoint
CREATE TABLE `sales_field_defs` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`entity` text NOT NULL,
	`key` text NOT NULL,
	`label` text NOT NULL,
	`type` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_field_defs_key_uq` ON `sales_field_defs` (`tenant_id`,`entity`,`key`);--> statement-breakpoint
CREATE TABLE `sales_imports` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`file_name` text NOT NULL,
	`file_key` text NOT NULL,
	`status` text NOT NULL,
	`headers` text NOT NULL,
	`mapping` text DEFAULT '{}' NOT NULL,
	`duplicates` text DEFAULT 'update' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`total_rows` integer DEFAULT 0 NOT NULL,
	`processed_rows` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`errors` text DEFAULT '[]' NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `sales_imports_created_idx` ON `sales_imports` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `sales_leads` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`email` text,
	`first_name` text,
	`last_name` text,
	`title` text,
	`phone` text,
	`company_id` text,
	`company_name` text,
	`domain` text,
	`industry` text,
	`employees` integer,
	`country` text,
	`region` text,
	`city` text,
	`timezone` text,
	`linkedin_url` text,
	`source` text,
	`owner_id` text,
	`status` text DEFAULT 'new' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`custom_fields` text DEFAULT '{}' NOT NULL,
	`score` integer,
	`score_lines` text,
	`scored_at` integer,
	`emails_sent` integer DEFAULT 0 NOT NULL,
	`opens` integer DEFAULT 0 NOT NULL,
	`replies` integer DEFAULT 0 NOT NULL,
	`site_visits` integer DEFAULT 0 NOT NULL,
	`last_contacted_at` integer,
	`last_replied_at` integer,
	`unsubscribed_at` integer,
	`bounced_at` integer,
	`merged_into` text,
	`import_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_leads_email_uq` ON `sales_leads` (`tenant_id`,`email`);--> statement-breakpoint
CREATE INDEX `sales_leads_created_idx` ON `sales_leads` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `sales_leads_company_idx` ON `sales_leads` (`tenant_id`,`company_id`);--> statement-breakpoint
CREATE INDEX `sales_leads_domain_idx` ON `sales_leads` (`tenant_id`,`domain`);--> statement-breakpoint
CREATE INDEX `sales_leads_score_idx` ON `sales_leads` (`tenant_id`,`score`);--> statement-breakpoint
CREATE INDEX `sales_leads_owner_idx` ON `sales_leads` (`tenant_id`,`owner_id`);--> statement-breakpoint
CREATE TABLE `sales_stages` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`probability` integer DEFAULT 0 NOT NULL,
	`outcome` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sales_stages_position_idx` ON `sales_stages` (`tenant_id`,`position`);--> statement-breakpoint
CREATE TABLE `sales_tasks` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`kind` text DEFAULT 'todo' NOT NULL,
	`lead_id` text,
	`deal_id` text,
	`owner_id` text,
	`due_at` integer,
	`done_at` integer,
	`enrollment_id` text,
	`origin` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sales_tasks_owner_due_idx` ON `sales_tasks` (`tenant_id`,`owner_id`,`done_at`,`due_at`);--> statement-breakpoint
CREATE INDEX `sales_tasks_lead_idx` ON `sales_tasks` (`tenant_id`,`lead_id`);--> statement-breakpoint
CREATE TABLE `sales_icp` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`definition` text NOT NULL,
	`weights` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sales_score_models` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`weights` text NOT NULL,
	`previous_weights` text NOT NULL,
	`coefficients` text NOT NULL,
	`intercept` real DEFAULT 0 NOT NULL,
	`wins` integer NOT NULL,
	`losses` integer NOT NULL,
	`metrics` text NOT NULL,
	`created_by` text,
	`decided_by` text,
	`decided_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sales_score_models_created_idx` ON `sales_score_models` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `sales_drafts` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`enrollment_id` text NOT NULL,
	`sequence_id` text NOT NULL,
	`step_id` text NOT NULL,
	`variant_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`sources` text DEFAULT '[]' NOT NULL,
	`writer` text NOT NULL,
	`status` text NOT NULL,
	`held_for` text DEFAULT '[]' NOT NULL,
	`edited_by` text,
	`decided_by` text,
	`decided_at` integer,
	`send_at` integer,
	`sent_at` integer,
	`message_id` text,
	`outcome` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sales_drafts_status_idx` ON `sales_drafts` (`tenant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `sales_drafts_enrollment_idx` ON `sales_drafts` (`tenant_id`,`enrollment_id`);--> statement-breakpoint
CREATE INDEX `sales_drafts_send_idx` ON `sales_drafts` (`status`,`send_at`);--> statement-breakpoint
CREATE TABLE `sales_enrollments` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`sequence_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`stop_reason` text,
	`next_step` integer DEFAULT 1 NOT NULL,
	`next_run_at` integer,
	`last_sent_at` integer,
	`thread_id` text,
	`enrolled_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_enrollments_lead_uq` ON `sales_enrollments` (`tenant_id`,`sequence_id`,`lead_id`);--> statement-breakpoint
CREATE INDEX `sales_enrollments_due_idx` ON `sales_enrollments` (`status`,`next_run_at`);--> statement-breakpoint
CREATE INDEX `sales_enrollments_lead_idx` ON `sales_enrollments` (`tenant_id`,`lead_id`);--> statement-breakpoint
CREATE TABLE `sales_inbound` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`provider_message_id` text NOT NULL,
	`from_email` text NOT NULL,
	`to_email` text NOT NULL,
	`subject` text DEFAULT '' NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`in_reply_to` text,
	`lead_id` text,
	`enrollment_id` text,
	`draft_id` text,
	`sentiment` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_inbound_message_uq` ON `sales_inbound` (`tenant_id`,`provider`,`provider_message_id`);--> statement-breakpoint
CREATE INDEX `sales_inbound_lead_idx` ON `sales_inbound` (`tenant_id`,`lead_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `sales_mailboxes` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`from_email` text NOT NULL,
	`from_name` text NOT NULL,
	`daily_limit` integer DEFAULT 50 NOT NULL,
	`window_start` integer DEFAULT 540 NOT NULL,
	`window_end` integer DEFAULT 1020 NOT NULL,
	`send_days` text DEFAULT '[1,2,3,4,5]' NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`signature` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_mailboxes_email_uq` ON `sales_mailboxes` (`tenant_id`,`from_email`);--> statement-breakpoint
CREATE TABLE `sales_sequence_steps` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`sequence_id` text NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`delay_minutes` integer DEFAULT 0 NOT NULL,
	`condition` text DEFAULT 'always' NOT NULL,
	`task_title` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sales_sequence_steps_seq_idx` ON `sales_sequence_steps` (`tenant_id`,`sequence_id`,`position`);--> statement-breakpoint
CREATE TABLE `sales_sequences` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`mailbox_id` text,
	`auto_send` integer DEFAULT false NOT NULL,
	`enrol_filter` text DEFAULT '{}' NOT NULL,
	`enrolled` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT 0 NOT NULL,
	`replied` integer DEFAULT 0 NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sales_sequences_status_idx` ON `sales_sequences` (`tenant_id`,`status`);--> statement-breakpoint
CREATE TABLE `sales_step_variants` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`step_id` text NOT NULL,
	`label` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`instructions` text DEFAULT '' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`replies` integer DEFAULT 0 NOT NULL,
	`positive_replies` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sales_step_variants_step_idx` ON `sales_step_variants` (`tenant_id`,`step_id`);--> statement-breakpoint
CREATE TABLE `sales_writer_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`tone` text DEFAULT 'friendly' NOT NULL,
	`persona` text DEFAULT '' NOT NULL,
	`value_props` text DEFAULT '[]' NOT NULL,
	`max_words` integer DEFAULT 120 NOT NULL,
	`use_knowledge` integer DEFAULT true NOT NULL,
	`collection` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ai_eval_cases` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`prompt` text NOT NULL,
	`grounded` integer DEFAULT false NOT NULL,
	`expectations` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ai_eval_cases_created_idx` ON `ai_eval_cases` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `ai_eval_runs` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`status` text NOT NULL,
	`cases` integer DEFAULT 0 NOT NULL,
	`passed` integer DEFAULT 0 NOT NULL,
	`pass_rate` real,
	`results` text DEFAULT '[]' NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `ai_eval_runs_created_idx` ON `ai_eval_runs` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `ai_guardrails` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`blocked_topics` text DEFAULT '[]' NOT NULL,
	`blocked_phrases` text DEFAULT '[]' NOT NULL,
	`disclaimers` text DEFAULT '[]' NOT NULL,
	`claim_rules` text DEFAULT '[]' NOT NULL,
	`on_blocked` text DEFAULT 'hold' NOT NULL,
	`daily_send_cap` integer,
	`log_retention_days` integer,
	`updated_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ai_holds` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`surface` text NOT NULL,
	`ref_type` text NOT NULL,
	`ref_id` text NOT NULL,
	`content` text NOT NULL,
	`rules_fired` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`comment` text,
	`decided_by` text,
	`decided_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ai_holds_status_idx` ON `ai_holds` (`tenant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `ai_holds_ref_idx` ON `ai_holds` (`tenant_id`,`ref_type`,`ref_id`);--> statement-breakpoint
ALTER TABLE `ai_calls` ADD `surface` text DEFAULT 'other' NOT NULL;--> statement-breakpoint
ALTER TABLE `ai_calls` ADD `cost_micros` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `ai_calls` ADD `rules_fired` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `ai_calls` ADD `action` text DEFAULT 'allowed' NOT NULL;--> statement-breakpoint
CREATE INDEX `ai_calls_surface_idx` ON `ai_calls` (`tenant_id`,`surface`,`created_at`);
CREATE TABLE `survey_feedback` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`client_id` text,
	`category` text NOT NULL,
	`message` text NOT NULL,
	`page_url` text,
	`email` text,
	`distinct_id` text,
	`user_agent` text,
	`status` text DEFAULT 'open' NOT NULL,
	`assignee_id` text,
	`tags` text NOT NULL,
	`screenshot_key` text,
	`screenshot_type` text,
	`screenshot_bytes` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_feedback_client_uq` ON `survey_feedback` (`tenant_id`,`client_id`);--> statement-breakpoint
CREATE INDEX `survey_feedback_tenant_created_idx` ON `survey_feedback` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `survey_feedback_tenant_status_idx` ON `survey_feedback` (`tenant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `survey_feedback_replies` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`feedback_id` text NOT NULL,
	`author_id` text,
	`body` text NOT NULL,
	`message_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `survey_feedback_replies_item_idx` ON `survey_feedback_replies` (`tenant_id`,`feedback_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `survey_nps_respondents` (
	`tenant_id` text NOT NULL,
	`distinct_id` text NOT NULL,
	`last_asked_at` integer NOT NULL,
	`last_outcome` text NOT NULL,
	`dismissals` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `distinct_id`)
);
--> statement-breakpoint
CREATE TABLE `survey_nps_responses` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`client_id` text NOT NULL,
	`distinct_id` text NOT NULL,
	`score` integer NOT NULL,
	`comment` text,
	`plan` text,
	`signed_up_at` integer,
	`cohort` text,
	`traits` text,
	`page_url` text,
	`follow_up` integer DEFAULT false NOT NULL,
	`follow_up_done_at` integer,
	`follow_up_done_by` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_nps_responses_client_uq` ON `survey_nps_responses` (`tenant_id`,`client_id`);--> statement-breakpoint
CREATE INDEX `survey_nps_responses_tenant_created_idx` ON `survey_nps_responses` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `survey_nps_responses_tenant_distinct_idx` ON `survey_nps_responses` (`tenant_id`,`distinct_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `survey_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`nps_enabled` integer DEFAULT false NOT NULL,
	`nps_question` text,
	`min_days_since_signup` integer DEFAULT 14 NOT NULL,
	`ask_every_days` integer DEFAULT 90 NOT NULL,
	`sampling_percent` integer DEFAULT 100 NOT NULL,
	`feedback_enabled` integer DEFAULT true NOT NULL,
	`notify_email` text,
	`updated_at` integer NOT NULL
);

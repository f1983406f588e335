CREATE TABLE `workflow_approvals` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`workflow_id` text NOT NULL,
	`node_id` text NOT NULL,
	`step_key` text NOT NULL,
	`event_type` text NOT NULL,
	`status` text NOT NULL,
	`title` text NOT NULL,
	`message` text DEFAULT '' NOT NULL,
	`context` text NOT NULL,
	`approver_user_ids` text NOT NULL,
	`approver_roles` text NOT NULL,
	`escalation_user_ids` text NOT NULL,
	`token_hash` text NOT NULL,
	`token_used_at` integer,
	`decided_by` text,
	`decided_via` text,
	`comment` text,
	`decided_at` integer,
	`expires_at` integer,
	`escalated_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `workflow_approvals_tenant_status_created_idx` ON `workflow_approvals` (`tenant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_approvals_run_step_uq` ON `workflow_approvals` (`tenant_id`,`run_id`,`step_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_approvals_token_uq` ON `workflow_approvals` (`token_hash`);--> statement-breakpoint
CREATE TABLE `workflow_run_steps` (
	`tenant_id` text NOT NULL,
	`run_id` text NOT NULL,
	`step_key` text NOT NULL,
	`attempt` integer NOT NULL,
	`node_id` text NOT NULL,
	`node_type` text NOT NULL,
	`status` text NOT NULL,
	`input` text,
	`output` text,
	`port` text,
	`error` text,
	`replayed` integer DEFAULT false NOT NULL,
	`duration_ms` integer,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	PRIMARY KEY(`tenant_id`, `run_id`, `step_key`, `attempt`)
);
--> statement-breakpoint
CREATE INDEX `workflow_run_steps_tenant_run_started_idx` ON `workflow_run_steps` (`tenant_id`,`run_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `workflow_runs` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`trigger_type` text NOT NULL,
	`dedupe_key` text,
	`input` text NOT NULL,
	`output` text,
	`error` text,
	`current_node_id` text,
	`retry_of` text,
	`started_by` text,
	`started_at` integer,
	`finished_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `workflow_runs_tenant_workflow_created_idx` ON `workflow_runs` (`tenant_id`,`workflow_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `workflow_runs_tenant_status_created_idx` ON `workflow_runs` (`tenant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `workflow_runs_tenant_created_idx` ON `workflow_runs` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_runs_dedupe_uq` ON `workflow_runs` (`tenant_id`,`workflow_id`,`dedupe_key`);--> statement-breakpoint
CREATE TABLE `workflow_secrets` (
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`sealed` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `name`)
);
--> statement-breakpoint
CREATE TABLE `workflow_versions` (
	`tenant_id` text NOT NULL,
	`workflow_id` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`published_by` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `workflow_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `workflows` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`draft` text NOT NULL,
	`draft_updated_at` integer NOT NULL,
	`published_version` integer,
	`published_at` integer,
	`trigger_type` text,
	`trigger_event` text,
	`schedule_cron` text,
	`schedule_timezone` text,
	`next_run_at` integer,
	`webhook_secret` text NOT NULL,
	`template_id` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `workflows_tenant_created_idx` ON `workflows` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `workflows_tenant_trigger_event_idx` ON `workflows` (`tenant_id`,`trigger_event`);--> statement-breakpoint
CREATE INDEX `workflows_schedule_due_idx` ON `workflows` (`trigger_type`,`next_run_at`);
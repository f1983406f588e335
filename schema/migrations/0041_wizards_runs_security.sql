CREATE TABLE `team_buddies` (
	`tenant_id` text NOT NULL,
	`invitation_id` text NOT NULL,
	`email` text NOT NULL,
	`buddy_user_id` text NOT NULL,
	`newcomer_user_id` text,
	`notified_at` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `invitation_id`)
);
--> statement-breakpoint
CREATE INDEX `team_buddies_tenant_email_idx` ON `team_buddies` (`tenant_id`,`email`);--> statement-breakpoint
CREATE INDEX `team_buddies_tenant_newcomer_idx` ON `team_buddies` (`tenant_id`,`newcomer_user_id`);--> statement-breakpoint
CREATE TABLE `wizard_runs` (
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`current_step` text NOT NULL,
	`completed_steps` text NOT NULL,
	`state` text NOT NULL,
	`objects` text,
	`started_by` text NOT NULL,
	`updated_by` text NOT NULL,
	`completed_at` integer,
	`abandoned_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `workspace_security_policies` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`mfa_required` integer DEFAULT false NOT NULL,
	`session_max_age_ms` integer,
	`api_keys_allowed` integer DEFAULT true NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);

CREATE TABLE `analytics_dashboards` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`charts` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `analytics_dashboards_tenant_idx` ON `analytics_dashboards` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `portal_domain_verifications` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`domain` text NOT NULL,
	`token` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`last_checked_at` integer,
	`last_result` text,
	`verified_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `portal_domain_verifications_domain_idx` ON `portal_domain_verifications` (`domain`,`status`);--> statement-breakpoint
CREATE TABLE `chat_handoff_rules` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`keywords` text NOT NULL,
	`low_confidence` integer DEFAULT true NOT NULL,
	`min_confidence` real DEFAULT 0.35 NOT NULL,
	`outside_hours` integer DEFAULT false NOT NULL,
	`hours` text,
	`updated_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `tenants` ADD `parent_tenant_id` text;--> statement-breakpoint
CREATE INDEX `tenants_parent_idx` ON `tenants` (`parent_tenant_id`,`created_at`);
CREATE TABLE `analytics_destinations` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`provider` text NOT NULL,
	`name` text NOT NULL,
	`config` text NOT NULL,
	`secret` text,
	`secret_hint` text,
	`event_names` text,
	`enabled` integer DEFAULT true NOT NULL,
	`last_success_at` integer,
	`last_failure_at` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `analytics_destinations_tenant_created_idx` ON `analytics_destinations` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `analytics_forward_batches` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`destination_id` text NOT NULL,
	`status` text NOT NULL,
	`event_count` integer NOT NULL,
	`sent_count` integer DEFAULT 0 NOT NULL,
	`failed_count` integer DEFAULT 0 NOT NULL,
	`skipped_count` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`requests_done` integer DEFAULT 0 NOT NULL,
	`last_status_code` integer,
	`error` text,
	`details` text,
	`next_attempt_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `analytics_forward_batches_dest_idx` ON `analytics_forward_batches` (`tenant_id`,`destination_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `analytics_forward_daily` (
	`tenant_id` text NOT NULL,
	`destination_id` text NOT NULL,
	`day` text NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `destination_id`, `day`)
);

CREATE TABLE `insight_alerts` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`metric` text NOT NULL,
	`day` text NOT NULL,
	`direction` text NOT NULL,
	`value` real NOT NULL,
	`median` real NOT NULL,
	`mad` real NOT NULL,
	`low` real NOT NULL,
	`high` real NOT NULL,
	`history_days` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`notified_at` integer,
	`acknowledged_by` text,
	`acknowledged_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `insight_alerts_metric_day_uq` ON `insight_alerts` (`tenant_id`,`metric`,`day`);--> statement-breakpoint
CREATE INDEX `insight_alerts_tenant_created_idx` ON `insight_alerts` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `insight_alerts_tenant_status_idx` ON `insight_alerts` (`tenant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `insight_cron_state` (
	`key` text PRIMARY KEY NOT NULL,
	`day` text NOT NULL,
	`after_tenant_id` text DEFAULT '' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `insight_digest_prefs` (
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`subscribed` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `insight_digest_sends` (
	`tenant_id` text NOT NULL,
	`period_key` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`recipients` integer NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `period_key`)
);
--> statement-breakpoint
CREATE TABLE `insight_dismissals` (
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`suggestion_id` text NOT NULL,
	`until` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `user_id`, `suggestion_id`)
);
--> statement-breakpoint
CREATE TABLE `insight_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`digest_enabled` integer DEFAULT true NOT NULL,
	`digest_frequency` text DEFAULT 'weekly' NOT NULL,
	`digest_weekday` integer DEFAULT 1 NOT NULL,
	`digest_hour` integer DEFAULT 8 NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`alerts_enabled` integer DEFAULT true NOT NULL,
	`snapshot_day` text,
	`next_digest_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `insight_settings_next_digest_idx` ON `insight_settings` (`next_digest_at`);--> statement-breakpoint
CREATE TABLE `insight_snapshots` (
	`tenant_id` text NOT NULL,
	`metric` text NOT NULL,
	`day` text NOT NULL,
	`value` real NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `metric`, `day`)
);

CREATE TABLE `message_events` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text,
	`account` text NOT NULL,
	`provider` text NOT NULL,
	`event_id` text NOT NULL,
	`message_id` text,
	`provider_message_id` text,
	`type` text NOT NULL,
	`recipient` text,
	`detail` text,
	`applied` integer DEFAULT false NOT NULL,
	`occurred_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_events_account_event_uq` ON `message_events` (`account`,`event_id`);--> statement-breakpoint
CREATE INDEX `message_events_message_idx` ON `message_events` (`message_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `message_suppressions` (
	`tenant_id` text NOT NULL,
	`recipient` text NOT NULL,
	`channel` text NOT NULL,
	`reason` text NOT NULL,
	`provider` text,
	`message_id` text,
	`detail` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `recipient`, `channel`)
);

CREATE TABLE `analytics_recovery` (
	`tenant_id` text NOT NULL,
	`person_id` text NOT NULL,
	`email` text NOT NULL,
	`started_at` integer NOT NULL,
	`step` integer NOT NULL,
	`last_sent_at` integer NOT NULL,
	`recovered_at` integer,
	PRIMARY KEY(`tenant_id`, `person_id`)
);
--> statement-breakpoint
ALTER TABLE `analytics_settings` ADD `recovery` text;
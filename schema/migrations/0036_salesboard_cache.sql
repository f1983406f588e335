CREATE TABLE `salesboard_cache` (
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`payload` text NOT NULL,
	`computed_at` integer NOT NULL,
	`elapsed_ms` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `key`)
);

CREATE TABLE `billing_simulator_clocks` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`offset_ms` integer NOT NULL,
	`advanced_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);

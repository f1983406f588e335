CREATE TABLE `onboarding_progress` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`step` text NOT NULL,
	`completed_steps` text NOT NULL,
	`focus` text,
	`invites_sent` integer DEFAULT 0 NOT NULL,
	`completed_at` integer,
	`updated_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);

CREATE TABLE `release_notes` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`version` text,
	`type` text NOT NULL,
	`body_md` text NOT NULL,
	`body_html` text NOT NULL,
	`featured` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`publish_at` integer,
	`published_at` integer,
	`created_by` text,
	`updated_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `release_notes_slug_uq` ON `release_notes` (`tenant_id`,`slug`);--> statement-breakpoint
CREATE INDEX `release_notes_tenant_created_idx` ON `release_notes` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `release_notes_tenant_status_published_idx` ON `release_notes` (`tenant_id`,`status`,`published_at`);--> statement-breakpoint
CREATE INDEX `release_notes_due_idx` ON `release_notes` (`status`,`publish_at`);--> statement-breakpoint
CREATE TABLE `release_reads` (
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`read_through` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `user_id`)
);

CREATE TABLE `file_folders` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`parent_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `file_folders_tenant_parent_name_idx` ON `file_folders` (`tenant_id`,`parent_id`,`name`);--> statement-breakpoint
CREATE TABLE `file_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`allowed_types` text NOT NULL,
	`max_file_size` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `file_upload_parts` (
	`tenant_id` text NOT NULL,
	`upload_id` text NOT NULL,
	`part_number` integer NOT NULL,
	`etag` text NOT NULL,
	`size` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `upload_id`, `part_number`)
);
--> statement-breakpoint
CREATE TABLE `file_uploads` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`file_id` text NOT NULL,
	`r2_key` text NOT NULL,
	`r2_upload_id` text NOT NULL,
	`name` text NOT NULL,
	`size` integer NOT NULL,
	`part_size` integer NOT NULL,
	`part_count` integer NOT NULL,
	`folder_id` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`uploaded_by` text,
	`content_type` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `file_uploads_tenant_created_idx` ON `file_uploads` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `files` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`folder_id` text,
	`r2_key` text NOT NULL,
	`size` integer NOT NULL,
	`content_type` text NOT NULL,
	`sha256` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`public` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'ready' NOT NULL,
	`uploaded_by` text,
	`module` text,
	`duplicate_of` text,
	`trashed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `files_tenant_folder_created_idx` ON `files` (`tenant_id`,`folder_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `files_tenant_folder_name_idx` ON `files` (`tenant_id`,`folder_id`,`name`);--> statement-breakpoint
CREATE INDEX `files_tenant_created_idx` ON `files` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `files_tenant_sha_idx` ON `files` (`tenant_id`,`sha256`);--> statement-breakpoint
CREATE INDEX `files_tenant_trashed_idx` ON `files` (`tenant_id`,`trashed_at`);--> statement-breakpoint
CREATE INDEX `files_trash_due_idx` ON `files` (`trashed_at`) WHERE trashed_at is not null;
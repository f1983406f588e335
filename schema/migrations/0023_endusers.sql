CREATE TABLE `end_user_codes` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`purpose` text NOT NULL,
	`email` text NOT NULL,
	`end_user_id` text,
	`token_hash` text NOT NULL,
	`code_hash` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `end_user_codes_tenant_token_uq` ON `end_user_codes` (`tenant_id`,`token_hash`);--> statement-breakpoint
CREATE INDEX `end_user_codes_tenant_email_idx` ON `end_user_codes` (`tenant_id`,`email`,`purpose`,`created_at`);--> statement-breakpoint
CREATE TABLE `end_user_refresh_tokens` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`rotated_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `end_user_refresh_tokens_tenant_hash_uq` ON `end_user_refresh_tokens` (`tenant_id`,`token_hash`);--> statement-breakpoint
CREATE INDEX `end_user_refresh_tokens_tenant_session_idx` ON `end_user_refresh_tokens` (`tenant_id`,`session_id`);--> statement-breakpoint
CREATE TABLE `end_user_sessions` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`end_user_id` text NOT NULL,
	`method` text NOT NULL,
	`ip` text,
	`user_agent` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`revoked_reason` text
);
--> statement-breakpoint
CREATE INDEX `end_user_sessions_tenant_user_idx` ON `end_user_sessions` (`tenant_id`,`end_user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `end_users` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`password_hash` text,
	`email_verified_at` integer,
	`blocked_at` integer,
	`blocked_reason` text,
	`external_id` text,
	`source` text NOT NULL,
	`invited_at` integer,
	`last_seen_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `end_users_tenant_email_uq` ON `end_users` (`tenant_id`,`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `end_users_tenant_external_uq` ON `end_users` (`tenant_id`,`external_id`) WHERE external_id is not null;--> statement-breakpoint
CREATE INDEX `end_users_tenant_created_idx` ON `end_users` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `portal_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`signup_policy` text DEFAULT 'open' NOT NULL,
	`brand_name` text,
	`logo_file_id` text,
	`primary_color` text,
	`accent_color` text,
	`custom_domain` text,
	`handover_secret_enc` text,
	`updated_at` integer NOT NULL
);

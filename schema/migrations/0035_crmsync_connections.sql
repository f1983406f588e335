CREATE TABLE `crm_connections` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`auth_kind` text NOT NULL,
	`credentials` text NOT NULL,
	`credentials_hint` text NOT NULL,
	`account_label` text,
	`status` text DEFAULT 'active' NOT NULL,
	`last_error` text,
	`direction` text DEFAULT 'two_way' NOT NULL,
	`conflict_rule` text DEFAULT 'last_modified' NOT NULL,
	`interval_minutes` integer,
	`lead_mapping` text NOT NULL,
	`deal_mapping` text NOT NULL,
	`stage_map` text DEFAULT '{}' NOT NULL,
	`remote_stages` text DEFAULT '[]' NOT NULL,
	`pulled_through` text DEFAULT '{}' NOT NULL,
	`pushed_through` text DEFAULT '{}' NOT NULL,
	`last_sync_at` integer,
	`next_sync_at` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `crm_connections_tenant_idx` ON `crm_connections` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `crm_connections_due_idx` ON `crm_connections` (`next_sync_at`);--> statement-breakpoint
CREATE TABLE `crm_links` (
	`tenant_id` text NOT NULL,
	`connection_id` text NOT NULL,
	`entity` text NOT NULL,
	`local_id` text NOT NULL,
	`remote_id` text NOT NULL,
	`remote_modified_at` integer NOT NULL,
	`local_modified_at` integer NOT NULL,
	`synced_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `crm_links_remote_uq` ON `crm_links` (`tenant_id`,`connection_id`,`entity`,`remote_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `crm_links_local_uq` ON `crm_links` (`tenant_id`,`connection_id`,`entity`,`local_id`);--> statement-breakpoint
CREATE TABLE `crm_sync_runs` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`connection_id` text NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`phase` text,
	`pulled` integer DEFAULT 0 NOT NULL,
	`pushed` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`unchanged` integer DEFAULT 0 NOT NULL,
	`conflicts` integer DEFAULT 0 NOT NULL,
	`errors` integer DEFAULT 0 NOT NULL,
	`records` text DEFAULT '[]' NOT NULL,
	`error` text,
	`started_at` integer,
	`finished_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `crm_sync_runs_connection_idx` ON `crm_sync_runs` (`tenant_id`,`connection_id`,`created_at`);
CREATE TABLE `list_sync_connections` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`list_id` text NOT NULL,
	`provider` text NOT NULL,
	`credentials` text NOT NULL,
	`credentials_hint` text NOT NULL,
	`remote_list_id` text NOT NULL,
	`remote_target` text DEFAULT 'list' NOT NULL,
	`field_map` text NOT NULL,
	`direction` text DEFAULT 'push' NOT NULL,
	`schedule` text DEFAULT 'daily' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`last_error` text,
	`last_sync_at` integer,
	`next_sync_at` integer,
	`pulled_through` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `list_sync_connections_list_idx` ON `list_sync_connections` (`tenant_id`,`list_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `list_sync_connections_due_idx` ON `list_sync_connections` (`enabled`,`next_sync_at`);--> statement-breakpoint
CREATE TABLE `list_sync_contacts` (
	`tenant_id` text NOT NULL,
	`connection_id` text NOT NULL,
	`email` text NOT NULL,
	`fingerprint` text NOT NULL,
	`remote_id` text,
	`synced_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `connection_id`, `email`)
);
--> statement-breakpoint
CREATE TABLE `list_sync_runs` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`connection_id` text NOT NULL,
	`list_id` text NOT NULL,
	`trigger` text NOT NULL,
	`mode` text NOT NULL,
	`status` text NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`processed` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`unsubscribed` integer DEFAULT 0 NOT NULL,
	`pulled` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`errors` text NOT NULL,
	`error` text,
	`started_at` integer,
	`finished_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `list_sync_runs_connection_idx` ON `list_sync_runs` (`tenant_id`,`connection_id`,`created_at`);
CREATE TABLE `dev_sms` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`to_number` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dev_sms_message_uq` ON `dev_sms` (`message_id`);--> statement-breakpoint
CREATE INDEX `dev_sms_to_idx` ON `dev_sms` (`to_number`,`created_at`);--> statement-breakpoint
CREATE TABLE `email_lists` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`double_opt_in` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `email_lists_tenant_idx` ON `email_lists` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `list_subscribers` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`list_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`status` text NOT NULL,
	`confirm_token_hash` text,
	`source` text,
	`consent_ip` text,
	`confirmed_at` integer,
	`unsubscribed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `list_subscribers_email_uq` ON `list_subscribers` (`tenant_id`,`list_id`,`email`);--> statement-breakpoint
CREATE INDEX `list_subscribers_list_idx` ON `list_subscribers` (`tenant_id`,`list_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `list_subscribers_token_idx` ON `list_subscribers` (`confirm_token_hash`);--> statement-breakpoint
CREATE TABLE `message_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text,
	`message_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`provider` text NOT NULL,
	`outcome` text NOT NULL,
	`status_code` integer,
	`response` text,
	`error` text,
	`duration_ms` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `message_attempts_message_idx` ON `message_attempts` (`message_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `message_preferences` (
	`tenant_id` text NOT NULL,
	`recipient` text NOT NULL,
	`category` text NOT NULL,
	`channel` text NOT NULL,
	`opted_out` integer NOT NULL,
	`source` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `recipient`, `category`, `channel`)
);
--> statement-breakpoint
CREATE TABLE `message_templates` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`channel` text NOT NULL,
	`version` integer NOT NULL,
	`subject` text DEFAULT '' NOT NULL,
	`body` text NOT NULL,
	`html` text,
	`description` text,
	`created_by` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_templates_version_uq` ON `message_templates` (`tenant_id`,`key`,`channel`,`version`);--> statement-breakpoint
CREATE INDEX `message_templates_tenant_idx` ON `message_templates` (`tenant_id`,`key`);--> statement-breakpoint
CREATE TABLE `messaging_providers` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`provider` text NOT NULL,
	`priority` integer NOT NULL,
	`credentials` text NOT NULL,
	`from_address` text NOT NULL,
	`rate_per_second` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `messaging_providers_tenant_idx` ON `messaging_providers` (`tenant_id`,`channel`,`priority`);--> statement-breakpoint
CREATE TABLE `messaging_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`vapid_public_key` text NOT NULL,
	`vapid_private_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`message_id` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`link` text,
	`category` text NOT NULL,
	`read_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_message_uq` ON `notifications` (`message_id`);--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`tenant_id`,`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_unread_idx` ON `notifications` (`tenant_id`,`user_id`,`read_at`);--> statement-breakpoint
CREATE TABLE `push_subscriptions` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`endpoint` text NOT NULL,
	`p256dh` text NOT NULL,
	`auth` text NOT NULL,
	`user_agent` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `push_subscriptions_endpoint_uq` ON `push_subscriptions` (`tenant_id`,`endpoint`);--> statement-breakpoint
CREATE INDEX `push_subscriptions_user_idx` ON `push_subscriptions` (`tenant_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`description` text,
	`event_types` text NOT NULL,
	`secret` text NOT NULL,
	`previous_secret` text,
	`previous_secret_expires_at` integer,
	`status` text NOT NULL,
	`disabled_reason` text,
	`failing_since` integer,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`last_success_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_tenant_idx` ON `webhook_endpoints` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_events_tenant_idx` ON `webhook_events` (`tenant_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `tenant_id` text;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `outbox_id` text;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `reason` text;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `replayed_at` integer;--> statement-breakpoint
CREATE INDEX `dead_letters_tenant_idx` ON `dead_letters` (`tenant_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `subject` text;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `next_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `delivered_at` integer;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `updated_at` integer;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `batch_id` text;--> statement-breakpoint
CREATE INDEX `outbox_tenant_recipient_idx` ON `outbox_messages` (`tenant_id`,`recipient`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_status_send_at_idx` ON `outbox_messages` (`status`,`send_at`);--> statement-breakpoint
CREATE INDEX `outbox_provider_message_idx` ON `outbox_messages` (`provider_message_id`);
CREATE TABLE `portal_assistant_actions` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`end_user_id` text NOT NULL,
	`tool` text NOT NULL,
	`args` text NOT NULL,
	`status` text NOT NULL,
	`result` text,
	`created_at` integer NOT NULL,
	`decided_at` integer
);
--> statement-breakpoint
CREATE INDEX `portal_assistant_actions_tenant_user_idx` ON `portal_assistant_actions` (`tenant_id`,`end_user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `portal_file_shares` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`end_user_id` text NOT NULL,
	`file_id` text NOT NULL,
	`origin` text NOT NULL,
	`shared_by` text,
	`note` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `portal_file_shares_tenant_user_idx` ON `portal_file_shares` (`tenant_id`,`end_user_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `portal_file_shares_tenant_user_file_uq` ON `portal_file_shares` (`tenant_id`,`end_user_id`,`file_id`);--> statement-breakpoint
CREATE INDEX `portal_file_shares_tenant_file_idx` ON `portal_file_shares` (`tenant_id`,`file_id`);--> statement-breakpoint
CREATE TABLE `support_ticket_messages` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`author` text NOT NULL,
	`author_id` text,
	`author_name` text,
	`body` text NOT NULL,
	`attachments` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `support_ticket_messages_ticket_idx` ON `support_ticket_messages` (`tenant_id`,`ticket_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `support_tickets` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`end_user_id` text NOT NULL,
	`kind` text DEFAULT 'support' NOT NULL,
	`order_id` text,
	`subject` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`assignee_id` text,
	`last_message` text NOT NULL,
	`last_message_at` integer NOT NULL,
	`message_count` integer DEFAULT 1 NOT NULL,
	`unread_agent` integer DEFAULT 1 NOT NULL,
	`unread_end_user` integer DEFAULT 0 NOT NULL,
	`closed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `support_tickets_tenant_user_idx` ON `support_tickets` (`tenant_id`,`end_user_id`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `support_tickets_tenant_status_idx` ON `support_tickets` (`tenant_id`,`status`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `support_tickets_tenant_created_idx` ON `support_tickets` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `support_tickets_tenant_number_uq` ON `support_tickets` (`tenant_id`,`number`);
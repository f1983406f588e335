CREATE TABLE `chat_canned_responses` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`shortcut` text NOT NULL,
	`body` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `chat_canned_tenant_created_idx` ON `chat_canned_responses` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `chat_canned_tenant_shortcut_uq` ON `chat_canned_responses` (`tenant_id`,`shortcut`);--> statement-breakpoint
CREATE TABLE `chat_conversations` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`visitor_id` text NOT NULL,
	`user_id` text,
	`status` text NOT NULL,
	`assignee_id` text,
	`visitor_name` text,
	`visitor_email` text,
	`page_url` text,
	`prechat` text,
	`last_message` text,
	`last_message_at` integer NOT NULL,
	`message_count` integer DEFAULT 0 NOT NULL,
	`unread_agent` integer DEFAULT 0 NOT NULL,
	`csat_rating` integer,
	`csat_comment` text,
	`closed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `chat_conversations_tenant_created_idx` ON `chat_conversations` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `chat_conversations_tenant_status_idx` ON `chat_conversations` (`tenant_id`,`status`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `chat_conversations_tenant_visitor_idx` ON `chat_conversations` (`tenant_id`,`visitor_id`);--> statement-breakpoint
CREATE INDEX `chat_conversations_tenant_user_idx` ON `chat_conversations` (`tenant_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `chat_messages` (
	`tenant_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`seq` integer NOT NULL,
	`id` text NOT NULL,
	`role` text NOT NULL,
	`author_id` text,
	`author_name` text,
	`body` text NOT NULL,
	`citations` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `conversation_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `chat_messages_tenant_created_idx` ON `chat_messages` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `chat_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`color` text DEFAULT '#4f46e5' NOT NULL,
	`position` text DEFAULT 'right' NOT NULL,
	`theme` text DEFAULT 'auto' NOT NULL,
	`locale` text DEFAULT 'auto' NOT NULL,
	`title` text,
	`logo_url` text,
	`greeting` text DEFAULT 'Hi! How can we help?' NOT NULL,
	`prechat` text NOT NULL,
	`ai_enabled` integer DEFAULT true NOT NULL,
	`notify_email` text,
	`identity_secret_enc` text,
	`identity_required` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `chat_visitors` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` text,
	`email` text,
	`name` text,
	`verified_at` integer,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_visitors_token_uq` ON `chat_visitors` (`token_hash`);--> statement-breakpoint
CREATE INDEX `chat_visitors_tenant_user_idx` ON `chat_visitors` (`tenant_id`,`user_id`);
CREATE TABLE `billing_provider_refs` (
	`provider` text NOT NULL,
	`ref` text NOT NULL,
	`tenant_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `ref`)
);
--> statement-breakpoint
CREATE INDEX `billing_provider_refs_tenant_idx` ON `billing_provider_refs` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `billing_subscriptions` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`plan` text NOT NULL,
	`interval` text NOT NULL,
	`status` text NOT NULL,
	`seats` integer NOT NULL,
	`provider` text NOT NULL,
	`provider_customer_id` text,
	`provider_subscription_id` text,
	`trial_ends_at` integer,
	`trial_used_at` integer,
	`period_start` integer NOT NULL,
	`period_end` integer NOT NULL,
	`cancel_at_period_end` integer DEFAULT false NOT NULL,
	`grace_ends_at` integer,
	`allow_overage` integer DEFAULT false NOT NULL,
	`state_at` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `billing_webhook_events` (
	`provider` text NOT NULL,
	`event_id` text NOT NULL,
	`type` text NOT NULL,
	`tenant_id` text,
	`occurred_at` integer NOT NULL,
	`payload` text NOT NULL,
	`outcome` text,
	`processed_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `event_id`)
);
--> statement-breakpoint
CREATE INDEX `billing_webhook_events_tenant_idx` ON `billing_webhook_events` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `billing_invoice_lines` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`invoice_id` text NOT NULL,
	`kind` text NOT NULL,
	`description` text NOT NULL,
	`meter` text,
	`quantity` integer NOT NULL,
	`unit_amount_cents` integer NOT NULL,
	`unit_size` integer DEFAULT 1 NOT NULL,
	`amount_cents` integer NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `billing_invoice_lines_invoice_idx` ON `billing_invoice_lines` (`tenant_id`,`invoice_id`,`position`);--> statement-breakpoint
CREATE TABLE `billing_invoices` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`period_start` integer NOT NULL,
	`period_end` integer NOT NULL,
	`plan` text NOT NULL,
	`currency` text DEFAULT 'usd' NOT NULL,
	`subtotal_cents` integer NOT NULL,
	`total_cents` integer NOT NULL,
	`status` text NOT NULL,
	`provider` text NOT NULL,
	`provider_invoice_id` text,
	`hosted_url` text,
	`paid_at` integer,
	`state_at` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `billing_invoices_tenant_created_idx` ON `billing_invoices` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `billing_invoices_tenant_period_uq` ON `billing_invoices` (`tenant_id`,`period_start`);--> statement-breakpoint
CREATE INDEX `billing_invoices_provider_idx` ON `billing_invoices` (`tenant_id`,`provider_invoice_id`);--> statement-breakpoint
CREATE TABLE `billing_pending_items` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`description` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`invoice_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `billing_pending_items_tenant_idx` ON `billing_pending_items` (`tenant_id`,`invoice_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `billing_simulator_checkouts` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`plan` text NOT NULL,
	`interval` text NOT NULL,
	`seats` integer NOT NULL,
	`trial` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`return_url` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `billing_simulator_checkouts_tenant_idx` ON `billing_simulator_checkouts` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `usage_counters` (
	`tenant_id` text NOT NULL,
	`meter` text NOT NULL,
	`period` text NOT NULL,
	`quantity` integer NOT NULL,
	`reported` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `meter`, `period`)
);
--> statement-breakpoint
CREATE TABLE `usage_daily` (
	`tenant_id` text NOT NULL,
	`meter` text NOT NULL,
	`day` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `meter`, `day`)
);
--> statement-breakpoint
CREATE TABLE `usage_events` (
	`tenant_id` text NOT NULL,
	`event_id` text NOT NULL,
	`meter` text NOT NULL,
	`quantity` integer NOT NULL,
	`period` text NOT NULL,
	`day` text NOT NULL,
	`user_id` text,
	`batch_id` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `event_id`)
);
--> statement-breakpoint
CREATE INDEX `usage_events_batch_idx` ON `usage_events` (`tenant_id`,`batch_id`);--> statement-breakpoint
CREATE INDEX `usage_events_created_idx` ON `usage_events` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `usage_seats` (
	`tenant_id` text NOT NULL,
	`period` text NOT NULL,
	`user_id` text NOT NULL,
	`meter` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `period`, `user_id`, `meter`)
);

CREATE TABLE `commerce_subscription_invoices` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`subscription_id` text NOT NULL,
	`provider_invoice_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`period_start` integer,
	`period_end` integer,
	`failure_reason` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commerce_subscription_invoices_tenant_invoice_uq` ON `commerce_subscription_invoices` (`tenant_id`,`provider_invoice_id`,`status`);--> statement-breakpoint
CREATE INDEX `commerce_subscription_invoices_tenant_sub_idx` ON `commerce_subscription_invoices` (`tenant_id`,`subscription_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `commerce_subscription_plans` (
	`tenant_id` text NOT NULL,
	`product_id` text NOT NULL,
	`interval` text NOT NULL,
	`interval_count` integer DEFAULT 1 NOT NULL,
	`trial_days` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `product_id`),
	CONSTRAINT "commerce_subscription_plans_check" CHECK("commerce_subscription_plans"."interval_count" BETWEEN 1 AND 12 AND "commerce_subscription_plans"."trial_days" BETWEEN 0 AND 730)
);
--> statement-breakpoint
CREATE TABLE `commerce_subscriptions` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`checkout_id` text NOT NULL,
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`variant_id` text NOT NULL,
	`title` text NOT NULL,
	`variant_title` text DEFAULT '' NOT NULL,
	`quantity` integer DEFAULT 1 NOT NULL,
	`end_user_id` text,
	`email` text NOT NULL,
	`customer_key` text NOT NULL,
	`currency` text NOT NULL,
	`amount` integer NOT NULL,
	`interval` text NOT NULL,
	`interval_count` integer DEFAULT 1 NOT NULL,
	`trial_days` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'incomplete' NOT NULL,
	`provider` text NOT NULL,
	`provider_subscription_id` text,
	`provider_customer_id` text,
	`cancel_at_period_end` integer DEFAULT false NOT NULL,
	`current_period_start` integer,
	`current_period_end` integer,
	`trial_end` integer,
	`canceled_at` integer,
	`ended_at` integer,
	`cancel_reason` text,
	`canceled_by` text,
	`idempotency_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "commerce_subscriptions_amount_check" CHECK("commerce_subscriptions"."amount" >= 0 AND "commerce_subscriptions"."quantity" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commerce_subscriptions_tenant_checkout_uq` ON `commerce_subscriptions` (`tenant_id`,`checkout_id`);--> statement-breakpoint
CREATE INDEX `commerce_subscriptions_tenant_created_idx` ON `commerce_subscriptions` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `commerce_subscriptions_tenant_status_created_idx` ON `commerce_subscriptions` (`tenant_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `commerce_subscriptions_tenant_user_idx` ON `commerce_subscriptions` (`tenant_id`,`end_user_id`) WHERE end_user_id is not null;--> statement-breakpoint
CREATE INDEX `commerce_subscriptions_tenant_email_idx` ON `commerce_subscriptions` (`tenant_id`,`email`);--> statement-breakpoint
CREATE INDEX `commerce_subscriptions_tenant_provider_idx` ON `commerce_subscriptions` (`tenant_id`,`provider_subscription_id`);
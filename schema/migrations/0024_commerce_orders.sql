CREATE TABLE `commerce_checkouts` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`cart_id` text,
	`end_user_id` text,
	`email` text,
	`customer_key` text,
	`currency` text NOT NULL,
	`shipping_address` text,
	`shipping_rate_id` text,
	`coupon_code` text,
	`lines` text DEFAULT '[]' NOT NULL,
	`totals` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`order_id` text,
	`success_url` text,
	`cancel_url` text,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `commerce_checkouts_tenant_created_idx` ON `commerce_checkouts` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `commerce_checkouts_tenant_cart_idx` ON `commerce_checkouts` (`tenant_id`,`cart_id`);--> statement-breakpoint
CREATE INDEX `commerce_checkouts_due_idx` ON `commerce_checkouts` (`expires_at`) WHERE status in ('open', 'paying');--> statement-breakpoint
CREATE TABLE `commerce_fulfilments` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`lines` text DEFAULT '[]' NOT NULL,
	`carrier` text,
	`tracking_number` text,
	`tracking_url` text,
	`created_by` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `commerce_fulfilments_tenant_order_idx` ON `commerce_fulfilments` (`tenant_id`,`order_id`);--> statement-breakpoint
CREATE TABLE `commerce_order_events` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`type` text NOT NULL,
	`actor` text DEFAULT 'system' NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `commerce_order_events_tenant_order_idx` ON `commerce_order_events` (`tenant_id`,`order_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `commerce_order_lines` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`variant_id` text NOT NULL,
	`title` text NOT NULL,
	`variant_title` text DEFAULT '' NOT NULL,
	`sku` text NOT NULL,
	`type` text NOT NULL,
	`digital_file_id` text,
	`quantity` integer NOT NULL,
	`unit_amount` integer NOT NULL,
	`discount` integer DEFAULT 0 NOT NULL,
	`tax` integer DEFAULT 0 NOT NULL,
	`total` integer NOT NULL,
	`fulfilled_quantity` integer DEFAULT 0 NOT NULL,
	`refunded_quantity` integer DEFAULT 0 NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "commerce_order_lines_quantity_check" CHECK("commerce_order_lines"."quantity" > 0 AND "commerce_order_lines"."fulfilled_quantity" >= 0 AND "commerce_order_lines"."fulfilled_quantity" <= "commerce_order_lines"."quantity" AND "commerce_order_lines"."refunded_quantity" >= 0 AND "commerce_order_lines"."refunded_quantity" <= "commerce_order_lines"."quantity")
);
--> statement-breakpoint
CREATE INDEX `commerce_order_lines_tenant_order_idx` ON `commerce_order_lines` (`tenant_id`,`order_id`,`position`);--> statement-breakpoint
CREATE INDEX `commerce_order_lines_tenant_product_idx` ON `commerce_order_lines` (`tenant_id`,`product_id`);--> statement-breakpoint
CREATE TABLE `commerce_orders` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`checkout_id` text NOT NULL,
	`cart_id` text,
	`end_user_id` text,
	`email` text NOT NULL,
	`customer_key` text NOT NULL,
	`currency` text NOT NULL,
	`subtotal` integer NOT NULL,
	`discount` integer DEFAULT 0 NOT NULL,
	`shipping` integer DEFAULT 0 NOT NULL,
	`tax` integer DEFAULT 0 NOT NULL,
	`total` integer NOT NULL,
	`refunded` integer DEFAULT 0 NOT NULL,
	`coupon_code` text,
	`shipping_address` text,
	`shipping_rate_id` text,
	`shipping_name` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`fulfilment_status` text DEFAULT 'unfulfilled' NOT NULL,
	`provider` text NOT NULL,
	`provider_payment_id` text,
	`provider_capture_id` text,
	`idempotency_key` text NOT NULL,
	`access_token` text NOT NULL,
	`failure_reason` text,
	`receipt_sent_at` integer,
	`paid_at` integer,
	`fulfilled_at` integer,
	`cancelled_at` integer,
	`refunded_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "commerce_orders_amounts_check" CHECK("commerce_orders"."total" >= 0 AND "commerce_orders"."refunded" >= 0 AND "commerce_orders"."refunded" <= "commerce_orders"."total")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commerce_orders_tenant_number_uq` ON `commerce_orders` (`tenant_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `commerce_orders_tenant_checkout_uq` ON `commerce_orders` (`tenant_id`,`checkout_id`);--> statement-breakpoint
CREATE INDEX `commerce_orders_tenant_created_idx` ON `commerce_orders` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `commerce_orders_tenant_status_created_idx` ON `commerce_orders` (`tenant_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `commerce_orders_tenant_customer_idx` ON `commerce_orders` (`tenant_id`,`customer_key`,`created_at`);--> statement-breakpoint
CREATE INDEX `commerce_orders_tenant_email_idx` ON `commerce_orders` (`tenant_id`,`email`);--> statement-breakpoint
CREATE INDEX `commerce_orders_tenant_user_idx` ON `commerce_orders` (`tenant_id`,`end_user_id`) WHERE end_user_id is not null;--> statement-breakpoint
CREATE INDEX `commerce_orders_tenant_payment_idx` ON `commerce_orders` (`tenant_id`,`provider`,`provider_payment_id`);--> statement-breakpoint
CREATE INDEX `commerce_orders_tenant_paid_idx` ON `commerce_orders` (`tenant_id`,`paid_at`) WHERE paid_at is not null;--> statement-breakpoint
CREATE TABLE `commerce_payment_providers` (
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`secret_sealed` text NOT NULL,
	`webhook_secret_sealed` text,
	`last_tested_at` integer,
	`last_test_result` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `provider`)
);
--> statement-breakpoint
CREATE TABLE `commerce_provider_events` (
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`event_id` text NOT NULL,
	`type` text NOT NULL,
	`order_id` text,
	`outcome` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `provider`, `event_id`)
);
--> statement-breakpoint
CREATE TABLE `commerce_refunds` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`amount` integer NOT NULL,
	`lines` text DEFAULT '[]' NOT NULL,
	`restock` integer DEFAULT false NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`provider_refund_id` text,
	`idempotency_key` text NOT NULL,
	`failure_reason` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "commerce_refunds_amount_check" CHECK("commerce_refunds"."amount" > 0)
);
--> statement-breakpoint
CREATE INDEX `commerce_refunds_tenant_order_idx` ON `commerce_refunds` (`tenant_id`,`order_id`);--> statement-breakpoint
CREATE INDEX `commerce_refunds_tenant_provider_idx` ON `commerce_refunds` (`tenant_id`,`provider_refund_id`);
ALTER TABLE "conversations" ADD COLUMN "handoff_status" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "handoff_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "handoff_message" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "handoff_contact" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "handoff_note" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "handoff_handled_by" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "handoff_handled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_handoff_handled_by_users_id_fk" FOREIGN KEY ("handoff_handled_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversations_tenant_handoff_idx" ON "conversations" USING btree ("tenant_id","handoff_status","handoff_requested_at") WHERE "conversations"."handoff_status" is not null;
CREATE TABLE "engagement_issues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"engagement_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"summary" text NOT NULL,
	"outcome" text NOT NULL,
	"concern_id" uuid
);
--> statement-breakpoint
CREATE TABLE "engagement_referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"engagement_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"organisation_id" uuid,
	"service_name" text NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"follow_up_due" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "engagements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"officer_staff_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"area_id" uuid NOT NULL,
	"place" text NOT NULL,
	"type" text NOT NULL,
	"groups_met" text,
	"people_estimate" integer,
	"languages" text[] DEFAULT '{}' NOT NULL,
	"notes" text,
	"follow_up_due" date,
	"follow_up_note" text,
	"follow_up_done_at" timestamp with time zone,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "engagements_idempotency" UNIQUE("partnership_id","idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "tension_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"reported_on" date NOT NULL,
	"source" text NOT NULL,
	"category" text NOT NULL,
	"assessment" text NOT NULL,
	"level" text NOT NULL,
	"summary" text NOT NULL,
	"actions" text,
	"review_date" date NOT NULL,
	"reported_by_staff_id" uuid,
	"escalated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "engagement_issues" ADD CONSTRAINT "engagement_issues_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_issues" ADD CONSTRAINT "engagement_issues_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_issues" ADD CONSTRAINT "engagement_issues_concern_id_concerns_id_fk" FOREIGN KEY ("concern_id") REFERENCES "public"."concerns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_referrals" ADD CONSTRAINT "engagement_referrals_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_referrals" ADD CONSTRAINT "engagement_referrals_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_referrals" ADD CONSTRAINT "engagement_referrals_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements" ADD CONSTRAINT "engagements_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements" ADD CONSTRAINT "engagements_officer_staff_id_staff_id_fk" FOREIGN KEY ("officer_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements" ADD CONSTRAINT "engagements_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tension_reports" ADD CONSTRAINT "tension_reports_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tension_reports" ADD CONSTRAINT "tension_reports_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tension_reports" ADD CONSTRAINT "tension_reports_reported_by_staff_id_staff_id_fk" FOREIGN KEY ("reported_by_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "engagement_issues_engagement" ON "engagement_issues" USING btree ("engagement_id","position");--> statement-breakpoint
CREATE INDEX "engagement_referrals_engagement" ON "engagement_referrals" USING btree ("engagement_id","position");--> statement-breakpoint
CREATE INDEX "engagement_referrals_status" ON "engagement_referrals" USING btree ("partnership_id","status");--> statement-breakpoint
CREATE INDEX "engagements_officer" ON "engagements" USING btree ("partnership_id","officer_staff_id","occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "engagements_area" ON "engagements" USING btree ("partnership_id","area_id","occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tension_reports_area" ON "tension_reports" USING btree ("partnership_id","area_id","reported_on" DESC NULLS LAST);
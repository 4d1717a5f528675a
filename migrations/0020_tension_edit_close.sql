CREATE TABLE "tension_report_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"staff_id" uuid,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reason" text,
	"note" text,
	"merged_into_id" uuid,
	"escalated" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tension_reports" ADD COLUMN "escalated_level" text;--> statement-breakpoint
ALTER TABLE "tension_reports" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "tension_reports" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tension_reports" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tension_reports" ADD COLUMN "closed_reason" text;--> statement-breakpoint
ALTER TABLE "tension_reports" ADD COLUMN "closed_note" text;--> statement-breakpoint
ALTER TABLE "tension_reports" ADD COLUMN "closed_by_staff_id" uuid;--> statement-breakpoint
ALTER TABLE "tension_reports" ADD COLUMN "merged_into_id" uuid;--> statement-breakpoint
ALTER TABLE "tension_report_events" ADD CONSTRAINT "tension_report_events_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tension_report_events" ADD CONSTRAINT "tension_report_events_report_id_tension_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."tension_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tension_report_events" ADD CONSTRAINT "tension_report_events_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tension_report_events" ADD CONSTRAINT "tension_report_events_merged_into_id_tension_reports_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."tension_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tension_report_events_report" ON "tension_report_events" USING btree ("partnership_id","report_id","created_at");--> statement-breakpoint
ALTER TABLE "tension_reports" ADD CONSTRAINT "tension_reports_closed_by_staff_id_staff_id_fk" FOREIGN KEY ("closed_by_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tension_reports" ADD CONSTRAINT "tension_reports_merged_into_id_tension_reports_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."tension_reports"("id") ON DELETE no action ON UPDATE no action;
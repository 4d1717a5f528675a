CREATE TABLE "insight_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "insight_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"partnership_id" uuid NOT NULL,
	"day" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insight_daily" (
	"partnership_id" uuid NOT NULL,
	"day" date NOT NULL,
	"grain" text NOT NULL,
	"topic" text,
	"area_id" uuid,
	"lead_organisation_id" uuid,
	"channel" text,
	"source" text,
	"response_hours" integer,
	"concerns" integer NOT NULL,
	"urgent" integer NOT NULL,
	"responded" integer NOT NULL,
	"acknowledged_on_time" integer NOT NULL,
	"closed" integer NOT NULL,
	"closed_on_time" integer NOT NULL,
	"open" integer NOT NULL,
	"open_urgent" integer NOT NULL,
	"acknowledge_overdue" integer NOT NULL,
	"respond_overdue" integer NOT NULL,
	"open_overdue" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insight_rollup_state" (
	"partnership_id" uuid PRIMARY KEY NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "insight_changes" ADD CONSTRAINT "insight_changes_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_daily" ADD CONSTRAINT "insight_daily_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_rollup_state" ADD CONSTRAINT "insight_rollup_state_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "insight_daily_day" ON "insight_daily" USING btree ("partnership_id","day");--> statement-breakpoint
CREATE INDEX "insight_daily_topic" ON "insight_daily" USING btree ("partnership_id","topic","day") WHERE grain = 'all';--> statement-breakpoint
CREATE INDEX "insight_daily_area" ON "insight_daily" USING btree ("partnership_id","area_id","day") WHERE grain = 'all';--> statement-breakpoint
CREATE INDEX "insight_daily_lead" ON "insight_daily" USING btree ("partnership_id","lead_organisation_id","day") WHERE grain = 'all';--> statement-breakpoint
CREATE INDEX "insight_daily_open" ON "insight_daily" USING btree ("partnership_id","topic","lead_organisation_id") WHERE grain = 'all' and open > 0;
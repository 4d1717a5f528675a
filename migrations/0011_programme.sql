CREATE TABLE "concern_themes" (
	"partnership_id" uuid NOT NULL,
	"concern_id" uuid NOT NULL,
	"theme_id" uuid NOT NULL,
	"staff_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "concern_themes_concern_id_theme_id_pk" PRIMARY KEY("concern_id","theme_id")
);
--> statement-breakpoint
CREATE TABLE "programme_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"priority_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"lead_organisation_id" uuid NOT NULL,
	"lead_staff_id" uuid,
	"partner_organisation_ids" uuid[] DEFAULT '{}' NOT NULL,
	"area_ids" uuid[] DEFAULT '{}' NOT NULL,
	"start_date" date,
	"due_date" date,
	"status" text DEFAULT 'planned' NOT NULL,
	"status_reason" text,
	"progress" integer DEFAULT 0 NOT NULL,
	"rag" text DEFAULT 'green' NOT NULL,
	"rag_reason" text,
	"public" boolean DEFAULT true NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_links" (
	"partnership_id" uuid NOT NULL,
	"action_id" uuid NOT NULL,
	"concern_id" uuid NOT NULL,
	"staff_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programme_links_action_id_concern_id_pk" PRIMARY KEY("action_id","concern_id")
);
--> statement-breakpoint
CREATE TABLE "programme_milestones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"action_id" uuid NOT NULL,
	"title" text NOT NULL,
	"due_date" date NOT NULL,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_opt_outs" (
	"partnership_id" uuid NOT NULL,
	"address_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programme_opt_outs_partnership_id_address_hash_pk" PRIMARY KEY("partnership_id","address_hash")
);
--> statement-breakpoint
CREATE TABLE "programme_priorities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"title" text NOT NULL,
	"public_summary" text,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programme_priorities_title" UNIQUE("partnership_id","title")
);
--> statement-breakpoint
CREATE TABLE "programme_themes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"priority_id" uuid NOT NULL,
	"name" text NOT NULL,
	"public_summary" text,
	"retired" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programme_themes_name" UNIQUE("partnership_id","name")
);
--> statement-breakpoint
CREATE TABLE "programme_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"action_id" uuid NOT NULL,
	"body" text NOT NULL,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"figures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"visibility" text NOT NULL,
	"staff_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "concern_themes" ADD CONSTRAINT "concern_themes_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern_themes" ADD CONSTRAINT "concern_themes_concern_id_concerns_id_fk" FOREIGN KEY ("concern_id") REFERENCES "public"."concerns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern_themes" ADD CONSTRAINT "concern_themes_theme_id_programme_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."programme_themes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern_themes" ADD CONSTRAINT "concern_themes_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_actions" ADD CONSTRAINT "programme_actions_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_actions" ADD CONSTRAINT "programme_actions_priority_id_programme_priorities_id_fk" FOREIGN KEY ("priority_id") REFERENCES "public"."programme_priorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_actions" ADD CONSTRAINT "programme_actions_lead_organisation_id_organisations_id_fk" FOREIGN KEY ("lead_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_actions" ADD CONSTRAINT "programme_actions_lead_staff_id_staff_id_fk" FOREIGN KEY ("lead_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_links" ADD CONSTRAINT "programme_links_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_links" ADD CONSTRAINT "programme_links_action_id_programme_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."programme_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_links" ADD CONSTRAINT "programme_links_concern_id_concerns_id_fk" FOREIGN KEY ("concern_id") REFERENCES "public"."concerns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_links" ADD CONSTRAINT "programme_links_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_milestones" ADD CONSTRAINT "programme_milestones_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_milestones" ADD CONSTRAINT "programme_milestones_action_id_programme_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."programme_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_opt_outs" ADD CONSTRAINT "programme_opt_outs_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_priorities" ADD CONSTRAINT "programme_priorities_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_themes" ADD CONSTRAINT "programme_themes_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_themes" ADD CONSTRAINT "programme_themes_priority_id_programme_priorities_id_fk" FOREIGN KEY ("priority_id") REFERENCES "public"."programme_priorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_updates" ADD CONSTRAINT "programme_updates_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_updates" ADD CONSTRAINT "programme_updates_action_id_programme_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."programme_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_updates" ADD CONSTRAINT "programme_updates_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "concern_themes_theme" ON "concern_themes" USING btree ("partnership_id","theme_id");--> statement-breakpoint
CREATE INDEX "programme_actions_priority" ON "programme_actions" USING btree ("partnership_id","priority_id");--> statement-breakpoint
CREATE INDEX "programme_actions_lead" ON "programme_actions" USING btree ("partnership_id","lead_organisation_id");--> statement-breakpoint
CREATE INDEX "programme_links_concern" ON "programme_links" USING btree ("partnership_id","concern_id");--> statement-breakpoint
CREATE INDEX "programme_milestones_action" ON "programme_milestones" USING btree ("action_id","due_date");--> statement-breakpoint
CREATE INDEX "programme_updates_action" ON "programme_updates" USING btree ("action_id","created_at");
CREATE TABLE "area_boundaries" (
	"area_id" uuid PRIMARY KEY NOT NULL,
	"partnership_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"geometry" jsonb NOT NULL,
	"min_lng" double precision NOT NULL,
	"min_lat" double precision NOT NULL,
	"max_lng" double precision NOT NULL,
	"max_lat" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "boundary_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"attribution" text NOT NULL,
	"features" integer NOT NULL,
	"updated" integer NOT NULL,
	"added" integer NOT NULL,
	"imported_by_staff_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "concern_suggestions" (
	"concern_id" uuid PRIMARY KEY NOT NULL,
	"partnership_id" uuid NOT NULL,
	"model_id" uuid,
	"topic" text,
	"topic_confidence" double precision,
	"lead_organisation_id" uuid,
	"lead_confidence" double precision,
	"withheld_reason" text,
	"decision" text,
	"decided_topic" text,
	"decided_lead_organisation_id" uuid,
	"decided_by_staff_id" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suggestion_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"trained_by_staff_id" uuid,
	"examples" integer NOT NULL,
	"held_out" integer NOT NULL,
	"evaluation" jsonb NOT NULL,
	"model" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "area_boundaries" ADD CONSTRAINT "area_boundaries_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "area_boundaries" ADD CONSTRAINT "area_boundaries_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "area_boundaries" ADD CONSTRAINT "area_boundaries_import_id_boundary_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."boundary_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "boundary_imports" ADD CONSTRAINT "boundary_imports_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "boundary_imports" ADD CONSTRAINT "boundary_imports_imported_by_staff_id_staff_id_fk" FOREIGN KEY ("imported_by_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern_suggestions" ADD CONSTRAINT "concern_suggestions_concern_id_concerns_id_fk" FOREIGN KEY ("concern_id") REFERENCES "public"."concerns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern_suggestions" ADD CONSTRAINT "concern_suggestions_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern_suggestions" ADD CONSTRAINT "concern_suggestions_model_id_suggestion_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."suggestion_models"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern_suggestions" ADD CONSTRAINT "concern_suggestions_lead_organisation_id_organisations_id_fk" FOREIGN KEY ("lead_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern_suggestions" ADD CONSTRAINT "concern_suggestions_decided_lead_organisation_id_organisations_id_fk" FOREIGN KEY ("decided_lead_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern_suggestions" ADD CONSTRAINT "concern_suggestions_decided_by_staff_id_staff_id_fk" FOREIGN KEY ("decided_by_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suggestion_models" ADD CONSTRAINT "suggestion_models_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suggestion_models" ADD CONSTRAINT "suggestion_models_trained_by_staff_id_staff_id_fk" FOREIGN KEY ("trained_by_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "area_boundaries_bbox" ON "area_boundaries" USING btree ("partnership_id","min_lng","max_lng");--> statement-breakpoint
CREATE INDEX "boundary_imports_partnership" ON "boundary_imports" USING btree ("partnership_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "concern_suggestions_decided" ON "concern_suggestions" USING btree ("partnership_id","decided_at" DESC NULLS LAST) WHERE decided_at is not null;--> statement-breakpoint
CREATE INDEX "suggestion_models_latest" ON "suggestion_models" USING btree ("partnership_id","created_at" DESC NULLS LAST);
CREATE TABLE "insight_population" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"characteristic" text NOT NULL,
	"category" text NOT NULL,
	"people" integer NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "insight_population_category" UNIQUE("partnership_id","characteristic","category")
);
--> statement-breakpoint
ALTER TABLE "insight_population" ADD CONSTRAINT "insight_population_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;
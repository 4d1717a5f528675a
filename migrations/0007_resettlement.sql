CREATE TABLE "resettlement_bookings" (
	"partnership_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"attended" boolean,
	"feedback" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resettlement_bookings_session_id_member_id_pk" PRIMARY KEY("session_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "resettlement_goals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"goal" text NOT NULL,
	"owner" text NOT NULL,
	"due_date" date,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resettlement_hosts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"address" text,
	"check_status" text DEFAULT 'not_started' NOT NULL,
	"check_date" date,
	"arrangement_status" text DEFAULT 'active' NOT NULL,
	"notes" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resettlement_hosts_household_id_unique" UNIQUE("household_id")
);
--> statement-breakpoint
CREATE TABLE "resettlement_households" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"scheme" text NOT NULL,
	"scheme_other" text,
	"name" text NOT NULL,
	"arrival_date" date,
	"address" text,
	"area_id" uuid,
	"caseworker_staff_id" uuid,
	"interpreter_needed" boolean DEFAULT false NOT NULL,
	"interpreter_language" text,
	"move_on_deadline" date,
	"lawful_basis" text NOT NULL,
	"consent_given" boolean DEFAULT false NOT NULL,
	"consent_date" date,
	"consent_notes" text,
	"notes" text,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"closure_reason" text,
	"retention_until" date,
	"anonymised_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resettlement_households_reference" UNIQUE("partnership_id","reference")
);
--> statement-breakpoint
CREATE TABLE "resettlement_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"name" text NOT NULL,
	"date_of_birth" date,
	"age_band" text,
	"relationship" text NOT NULL,
	"languages" text[] DEFAULT '{}' NOT NULL,
	"english_level" text,
	"education" text DEFAULT 'not_applicable' NOT NULL,
	"work_status" text DEFAULT 'not_applicable' NOT NULL,
	"esol_enrolled" boolean DEFAULT false NOT NULL,
	"gp_registered" boolean DEFAULT false NOT NULL,
	"visa_expiry" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resettlement_needs" (
	"partnership_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"status" text NOT NULL,
	"notes" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_by_staff_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resettlement_needs_household_id_domain_pk" PRIMARY KEY("household_id","domain")
);
--> statement-breakpoint
CREATE TABLE "resettlement_referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"service" text NOT NULL,
	"reason" text,
	"referred_on" date NOT NULL,
	"response_due_on" date,
	"outcome" text DEFAULT 'awaiting' NOT NULL,
	"outcome_notes" text,
	"outcome_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resettlement_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"topic" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"venue" text NOT NULL,
	"languages" text[] DEFAULT '{}' NOT NULL,
	"interpreter" text,
	"capacity" integer NOT NULL,
	"notes" text,
	"cancelled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resettlement_bookings" ADD CONSTRAINT "resettlement_bookings_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_bookings" ADD CONSTRAINT "resettlement_bookings_session_id_resettlement_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."resettlement_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_bookings" ADD CONSTRAINT "resettlement_bookings_member_id_resettlement_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."resettlement_members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_bookings" ADD CONSTRAINT "resettlement_bookings_household_id_resettlement_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."resettlement_households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_goals" ADD CONSTRAINT "resettlement_goals_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_goals" ADD CONSTRAINT "resettlement_goals_household_id_resettlement_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."resettlement_households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_hosts" ADD CONSTRAINT "resettlement_hosts_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_hosts" ADD CONSTRAINT "resettlement_hosts_household_id_resettlement_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."resettlement_households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_households" ADD CONSTRAINT "resettlement_households_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_households" ADD CONSTRAINT "resettlement_households_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_households" ADD CONSTRAINT "resettlement_households_caseworker_staff_id_staff_id_fk" FOREIGN KEY ("caseworker_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_members" ADD CONSTRAINT "resettlement_members_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_members" ADD CONSTRAINT "resettlement_members_household_id_resettlement_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."resettlement_households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_needs" ADD CONSTRAINT "resettlement_needs_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_needs" ADD CONSTRAINT "resettlement_needs_household_id_resettlement_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."resettlement_households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_needs" ADD CONSTRAINT "resettlement_needs_updated_by_staff_id_staff_id_fk" FOREIGN KEY ("updated_by_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_referrals" ADD CONSTRAINT "resettlement_referrals_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_referrals" ADD CONSTRAINT "resettlement_referrals_household_id_resettlement_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."resettlement_households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resettlement_sessions" ADD CONSTRAINT "resettlement_sessions_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "resettlement_bookings_household" ON "resettlement_bookings" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "resettlement_goals_household" ON "resettlement_goals" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "resettlement_households_caseworker" ON "resettlement_households" USING btree ("partnership_id","caseworker_staff_id","status");--> statement-breakpoint
CREATE INDEX "resettlement_households_retention" ON "resettlement_households" USING btree ("status","retention_until");--> statement-breakpoint
CREATE INDEX "resettlement_members_household" ON "resettlement_members" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "resettlement_referrals_household" ON "resettlement_referrals" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "resettlement_referrals_due" ON "resettlement_referrals" USING btree ("partnership_id","outcome","response_due_on");--> statement-breakpoint
CREATE INDEX "resettlement_sessions_start" ON "resettlement_sessions" USING btree ("partnership_id","starts_at");
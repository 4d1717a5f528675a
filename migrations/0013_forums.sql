CREATE TABLE "forum_attendance" (
	"partnership_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	CONSTRAINT "forum_attendance_meeting_id_member_id_pk" PRIMARY KEY("meeting_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "forum_facilitators" (
	"partnership_id" uuid NOT NULL,
	"forum_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	CONSTRAINT "forum_facilitators_forum_id_staff_id_pk" PRIMARY KEY("forum_id","staff_id")
);
--> statement-breakpoint
CREATE TABLE "forum_issues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"forum_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"concern_id" uuid NOT NULL,
	"summary" text NOT NULL,
	"anonymous" boolean NOT NULL,
	"raised_by_member_id" uuid,
	"public" boolean DEFAULT true NOT NULL,
	"created_by_staff_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forum_issues_concern_id_unique" UNIQUE("concern_id")
);
--> statement-breakpoint
CREATE TABLE "forum_join_equality" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"partnership_id" uuid NOT NULL,
	"answers" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forum_join_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"forum_id" uuid NOT NULL,
	"name" text,
	"email" text,
	"phone" text,
	"preferred_contact" text,
	"participation" text NOT NULL,
	"access_needs" text[] DEFAULT '{}' NOT NULL,
	"access_notes" text,
	"consent_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"contact_note" text,
	"decline_reason" text,
	"handled_by_staff_id" uuid,
	"handled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forum_meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"forum_id" uuid NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"venue_name" text,
	"venue_address" text,
	"venue_access" text,
	"online_url" text,
	"agenda" text,
	"minutes" text,
	"guest_count" integer DEFAULT 0 NOT NULL,
	"public" boolean DEFAULT true NOT NULL,
	"cancelled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forum_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"forum_id" uuid NOT NULL,
	"join_request_id" uuid,
	"name" text,
	"email" text,
	"phone" text,
	"preferred_contact" text,
	"participation" text,
	"access_needs" text[] DEFAULT '{}' NOT NULL,
	"access_notes" text,
	"consent_at" timestamp with time zone,
	"status" text DEFAULT 'active' NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"left_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "forums" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"characteristics" text[] DEFAULT '{}' NOT NULL,
	"description" text NOT NULL,
	"co_chairs" text,
	"how_to_join" text NOT NULL,
	"meeting_pattern" text NOT NULL,
	"accessibility" text[] DEFAULT '{}' NOT NULL,
	"accessibility_notes" text,
	"published" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forums_partnership_slug" UNIQUE("partnership_id","slug")
);
--> statement-breakpoint
ALTER TABLE "forum_attendance" ADD CONSTRAINT "forum_attendance_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_attendance" ADD CONSTRAINT "forum_attendance_meeting_id_forum_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."forum_meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_attendance" ADD CONSTRAINT "forum_attendance_member_id_forum_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."forum_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_facilitators" ADD CONSTRAINT "forum_facilitators_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_facilitators" ADD CONSTRAINT "forum_facilitators_forum_id_forums_id_fk" FOREIGN KEY ("forum_id") REFERENCES "public"."forums"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_facilitators" ADD CONSTRAINT "forum_facilitators_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_issues" ADD CONSTRAINT "forum_issues_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_issues" ADD CONSTRAINT "forum_issues_forum_id_forums_id_fk" FOREIGN KEY ("forum_id") REFERENCES "public"."forums"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_issues" ADD CONSTRAINT "forum_issues_meeting_id_forum_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."forum_meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_issues" ADD CONSTRAINT "forum_issues_concern_id_concerns_id_fk" FOREIGN KEY ("concern_id") REFERENCES "public"."concerns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_issues" ADD CONSTRAINT "forum_issues_raised_by_member_id_forum_members_id_fk" FOREIGN KEY ("raised_by_member_id") REFERENCES "public"."forum_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_issues" ADD CONSTRAINT "forum_issues_created_by_staff_id_staff_id_fk" FOREIGN KEY ("created_by_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_join_equality" ADD CONSTRAINT "forum_join_equality_request_id_forum_join_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."forum_join_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_join_equality" ADD CONSTRAINT "forum_join_equality_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_join_requests" ADD CONSTRAINT "forum_join_requests_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_join_requests" ADD CONSTRAINT "forum_join_requests_forum_id_forums_id_fk" FOREIGN KEY ("forum_id") REFERENCES "public"."forums"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_join_requests" ADD CONSTRAINT "forum_join_requests_handled_by_staff_id_staff_id_fk" FOREIGN KEY ("handled_by_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_meetings" ADD CONSTRAINT "forum_meetings_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_meetings" ADD CONSTRAINT "forum_meetings_forum_id_forums_id_fk" FOREIGN KEY ("forum_id") REFERENCES "public"."forums"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_members" ADD CONSTRAINT "forum_members_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_members" ADD CONSTRAINT "forum_members_forum_id_forums_id_fk" FOREIGN KEY ("forum_id") REFERENCES "public"."forums"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forum_members" ADD CONSTRAINT "forum_members_join_request_id_forum_join_requests_id_fk" FOREIGN KEY ("join_request_id") REFERENCES "public"."forum_join_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forums" ADD CONSTRAINT "forums_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "forum_issues_meeting" ON "forum_issues" USING btree ("partnership_id","meeting_id","created_at");--> statement-breakpoint
CREATE INDEX "forum_join_requests_forum" ON "forum_join_requests" USING btree ("partnership_id","forum_id","status","created_at");--> statement-breakpoint
CREATE INDEX "forum_meetings_forum" ON "forum_meetings" USING btree ("partnership_id","forum_id","starts_at");--> statement-breakpoint
CREATE INDEX "forum_meetings_upcoming" ON "forum_meetings" USING btree ("partnership_id","starts_at") WHERE public and not cancelled;--> statement-breakpoint
CREATE INDEX "forum_members_forum" ON "forum_members" USING btree ("partnership_id","forum_id","status");
-- Row-level security for a tension report's history of edits and closure.
SELECT heard_enable_tenant_rls('tension_report_events');
--> statement-breakpoint
-- The history is append-only for the app: what a report said before an edit cannot be rewritten.
REVOKE UPDATE, DELETE ON tension_report_events FROM heard_app;
--> statement-breakpoint
-- Reports escalated before edits existed were escalated at the level they still hold.
UPDATE tension_reports SET escalated_level = level WHERE escalated_at IS NOT NULL AND escalated_level IS NULL;

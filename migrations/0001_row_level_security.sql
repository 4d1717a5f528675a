-- Row-level security: the app queries as heard_app, which is neither a superuser nor the owner of any
-- table, so these policies really apply. Each transaction names its partnership with
-- set_config('heard.partnership_id', …, true); with no partnership set, no tenant row is visible.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'heard_app') THEN
    CREATE ROLE heard_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO heard_app;
--> statement-breakpoint
-- The owner (whoever runs migrations) may grant itself heard_app, so SET LOCAL ROLE works when it is not a superuser.
DO $$
BEGIN
  EXECUTE format('GRANT heard_app TO %I', current_user);
EXCEPTION WHEN others THEN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION heard_current_partnership() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('heard.partnership_id', true), '')::uuid $$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION heard_current_partnership() TO heard_app;
--> statement-breakpoint
-- Later migrations call this for each new tenant-owned table; a test checks none was missed.
CREATE OR REPLACE FUNCTION heard_enable_tenant_rls(tbl regclass) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s TO heard_app USING (partnership_id = heard_current_partnership()) WITH CHECK (partnership_id = heard_current_partnership())',
    tbl);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO heard_app', tbl);
END
$$;
--> statement-breakpoint
SELECT heard_enable_tenant_rls(t::regclass) FROM unnest(ARRAY[
  'organisations', 'areas', 'response_targets', 'staff', 'staff_sessions', 'api_tokens', 'audit_log',
  'outbox', 'concerns', 'concern_shares', 'concern_equality', 'concern_events', 'concern_redactions',
  'share_drafts'
]) AS t;
--> statement-breakpoint
-- The audit log is append-only for the app.
REVOKE UPDATE, DELETE ON audit_log FROM heard_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON SEQUENCE audit_log_id_seq TO heard_app;
--> statement-breakpoint
-- Partnerships are looked up by host name before any tenant is known; the app may read them, not change them.
GRANT SELECT ON partnerships TO heard_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION heard_audit_log_immutable() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION heard_audit_log_immutable();

-- Row-level security for the cohesion officers' engagement log and community tension reports.
SELECT heard_enable_tenant_rls(t::regclass) FROM unnest(ARRAY[
  'engagements', 'engagement_issues', 'engagement_referrals', 'tension_reports'
]) AS t;

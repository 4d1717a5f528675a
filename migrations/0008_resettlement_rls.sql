-- Row-level security for resettlement casework: every table is confined to its partnership.
SELECT heard_enable_tenant_rls(t::regclass) FROM unnest(ARRAY[
  'resettlement_households', 'resettlement_members', 'resettlement_hosts', 'resettlement_needs',
  'resettlement_goals', 'resettlement_referrals', 'resettlement_sessions', 'resettlement_bookings'
]) AS t;

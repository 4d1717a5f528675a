-- Row-level security for boundaries (places) and the triage classifier (suggestions).
SELECT heard_enable_tenant_rls(t::regclass) FROM unnest(ARRAY[
  'boundary_imports', 'area_boundaries', 'suggestion_models', 'concern_suggestions'
]) AS t;

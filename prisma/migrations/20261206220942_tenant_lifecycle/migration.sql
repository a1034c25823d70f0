-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "deletion_requested_at" TIMESTAMPTZ(3),
ADD COLUMN     "deletion_scheduled_at" TIMESTAMPTZ(3);

-- ---------------------------------------------------------------------------------------------------------------
-- Hand-written: the purge of a deleted tenant (docs/tenants.md).
-- The application role may neither delete audit entries, tenant events or usage rows, nor see other tenants'
-- memberships, so the purge is one SECURITY DEFINER function: it deletes the tenant's rows from every table that has
-- a tenant_id column (found in the catalogue, so a table added later cannot be forgotten), the users who belonged to
-- this tenant only, and the tenant; then it leaves a tenant-less tombstone in the audit log (ids and counts only).
-- ---------------------------------------------------------------------------------------------------------------

-- The worker's sweep finds the tenants whose grace period is over (and nothing else of any tenant).
CREATE POLICY worker_purge_sweep ON tenants FOR SELECT USING (app_purpose() = 'worker' AND deletion_scheduled_at IS NOT NULL);

-- Only the purge function (running as the table owner, never as agent_platform_app) sees every membership and may
-- delete users.
CREATE POLICY tenant_purge_memberships ON memberships FOR SELECT USING (
  current_setting('app.tenant_purge', true) = 'on' AND current_user <> 'agent_platform_app');
CREATE POLICY tenant_purge_users ON users FOR DELETE USING (
  current_setting('app.tenant_purge', true) = 'on' AND current_user <> 'agent_platform_app');
CREATE POLICY tenant_purge_users_read ON users FOR SELECT USING (
  current_setting('app.tenant_purge', true) = 'on' AND current_user <> 'agent_platform_app');

CREATE FUNCTION purge_tenant(target uuid) RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public AS $$
DECLARE
  t record;
  n bigint;
  counts jsonb := '{}'::jsonb;
BEGIN
  PERFORM set_config('app.tenant_id', target::text, true);
  -- Only a tenant whose grace period is over: a wrong id or an early call purges nothing.
  IF NOT EXISTS (SELECT 1 FROM tenants WHERE id = target AND deletion_scheduled_at IS NOT NULL AND deletion_scheduled_at <= now()) THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('app.audit_purge', 'on', true);
  PERFORM set_config('app.tenant_purge', 'on', true);
  -- People who belonged to this tenant only: their account (email, password hash) goes with it.
  DELETE FROM users u
   WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.tenant_id = target)
     AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.tenant_id <> target);
  GET DIAGNOSTICS n = ROW_COUNT;
  counts := counts || jsonb_build_object('users', n);
  FOR t IN
    SELECT c.table_name::text AS name FROM information_schema.columns c
      JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND tb.table_type = 'BASE TABLE'
     ORDER BY 1
  LOOP
    EXECUTE format('DELETE FROM %I WHERE tenant_id = $1', t.name) USING target;
    GET DIAGNOSTICS n = ROW_COUNT;
    counts := counts || jsonb_build_object(t.name, n);
  END LOOP;
  DELETE FROM tenants WHERE id = target;
  PERFORM set_config('app.purpose', 'auth', true);
  INSERT INTO audit_log (id, tenant_id, actor_type, action, resource_type, resource_id, outcome, metadata)
  VALUES (gen_random_uuid(), NULL, 'SYSTEM', 'tenant.purge', 'Tenant', target::text, 'SUCCESS', jsonb_build_object('deleted', counts));
  RETURN counts;
END
$$;
GRANT EXECUTE ON FUNCTION purge_tenant(uuid) TO agent_platform_app;

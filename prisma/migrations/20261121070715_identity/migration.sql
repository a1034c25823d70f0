/*
  Warnings:

  - A unique constraint covering the columns `[previous_prefix]` on the table `api_keys` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "previous_prefix" TEXT;

-- CreateTable
CREATE TABLE "invitations" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "invited_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");

-- CreateIndex
CREATE INDEX "invitations_tenant_id_email_idx" ON "invitations"("tenant_id", "email");

-- CreateIndex
CREATE UNIQUE INDEX "invitations_tenant_id_id_key" ON "invitations"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_previous_prefix_key" ON "api_keys"("previous_prefix");

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------------------------
-- Hand-written: tenant isolation in the database (the second, independent layer; see docs/auth.md).
-- The application runs as agent_platform_app (SET ROLE at connect): not a superuser, no BYPASSRLS. Every
-- tenant-owned table forces row-level security against the transaction-local settings app.tenant_id,
-- app.user_id and app.purpose; with none set, no row is visible.
-- ---------------------------------------------------------------------------------------------------------------
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agent_platform_app') THEN
    CREATE ROLE agent_platform_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO agent_platform_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON
  tenants, users, memberships, invitations, api_keys, refresh_tokens, tools, agents, agent_tools, threads,
  executions, execution_events
TO agent_platform_app;
-- The audit log is append-only for the application: no UPDATE or DELETE privilege at all.
GRANT SELECT, INSERT ON audit_log TO agent_platform_app;

CREATE FUNCTION app_tenant_id() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;
CREATE FUNCTION app_purpose() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('app.purpose', true), '') $$;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = app_tenant_id()) WITH CHECK (id = app_tenant_id());
-- Login lists the tenants of the user whose password it has just verified.
CREATE POLICY auth_member_tenants ON tenants FOR SELECT USING (
  app_purpose() = 'auth' AND EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = tenants.id AND m.user_id = app_user_id()));

-- Users are global; a tenant sees its members, a user sees itself, sign-up and login look users up by email.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY member_visibility ON users FOR SELECT USING (
  id = app_user_id()
  OR app_purpose() = 'auth'
  OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = app_tenant_id()));
CREATE POLICY self_or_auth_write ON users FOR INSERT WITH CHECK (app_purpose() = 'auth');
CREATE POLICY self_update ON users FOR UPDATE USING (id = app_user_id()) WITH CHECK (id = app_user_id());

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
CREATE POLICY auth_own_memberships ON memberships FOR SELECT USING (app_purpose() = 'auth' AND user_id = app_user_id());

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
-- Secrets (invitation, API key, refresh token) are looked up by their hash or public prefix before the tenant is
-- known; only the authentication path reads with app.purpose = 'auth', and writes still need the tenant.
CREATE POLICY auth_lookup ON invitations FOR SELECT USING (app_purpose() = 'auth');

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
CREATE POLICY auth_lookup ON api_keys FOR SELECT USING (app_purpose() = 'auth');

ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON refresh_tokens USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
CREATE POLICY auth_lookup ON refresh_tokens FOR SELECT USING (app_purpose() = 'auth');

ALTER TABLE tools ENABLE ROW LEVEL SECURITY;
ALTER TABLE tools FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tools USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

ALTER TABLE agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE agents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agents USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

ALTER TABLE agent_tools ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_tools FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agent_tools USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

ALTER TABLE threads ENABLE ROW LEVEL SECURITY;
ALTER TABLE threads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON threads USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

ALTER TABLE executions ENABLE ROW LEVEL SECURITY;
ALTER TABLE executions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON executions USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

ALTER TABLE execution_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE execution_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON execution_events USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON audit_log FOR SELECT USING (tenant_id = app_tenant_id());
-- Entries without a tenant (e.g. a failed login for an unknown account) are written by the auth path and are
-- never visible to any tenant.
CREATE POLICY tenant_append ON audit_log FOR INSERT WITH CHECK (
  tenant_id = app_tenant_id() OR (tenant_id IS NULL AND app_purpose() = 'auth'));
CREATE POLICY retention_purge ON audit_log FOR DELETE USING (current_setting('app.audit_purge', true) = 'on');

-- Append-only for everyone, table owner included; only purge_audit_log() may delete (old entries only).
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('app.audit_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Retention: deletes entries older than retention_days (>= 1). SECURITY DEFINER so the application role, which
-- has no DELETE privilege, can run the purge and nothing else.
CREATE FUNCTION purge_audit_log(retention_days integer) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public AS $$
DECLARE
  n bigint;
BEGIN
  IF retention_days IS NULL OR retention_days < 1 THEN
    RAISE EXCEPTION 'retention_days must be at least 1';
  END IF;
  PERFORM set_config('app.audit_purge', 'on', true);
  DELETE FROM audit_log WHERE at < now() - make_interval(days => retention_days);
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('app.audit_purge', '', true);
  RETURN n;
END
$$;
REVOKE ALL ON FUNCTION purge_audit_log(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION purge_audit_log(integer) TO agent_platform_app;

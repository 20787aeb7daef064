-- Runs once, when the PostgreSQL volume is first initialised: one database per service, owned by the app user.
-- (`kip db-create` in the `migrate` container would create missing ones too; this keeps the server self-describing.)
CREATE DATABASE kip_programme;
CREATE DATABASE kip_funding;
CREATE DATABASE kip_evaluation;
CREATE DATABASE kip_webhooks;

-- The session service keeps durable session records per tenant; live state is in Redis.
COMMENT ON SCHEMA session IS 'BinoAuth session service: shared bookkeeping';

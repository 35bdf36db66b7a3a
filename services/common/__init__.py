"""The one library the four BinoAuth services share: settings, logging, metrics, errors,
server start-up, database, Redis and tenancy helpers."""

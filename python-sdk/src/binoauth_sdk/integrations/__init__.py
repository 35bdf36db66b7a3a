"""Framework integrations; each imports its framework only when used, so all of them import
without Starlette, FastAPI or Django installed (extras: binoauth[starlette], [fastapi], [django])."""

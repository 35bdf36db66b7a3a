"""`python -m services.tenant` runs the tenant service; `... migrate` applies its migrations and exits."""

from services.common.server import run
from services.common.settings import Settings
from services.tenant.bootstrap import MIGRATIONS, build

if __name__ == "__main__":
    run(Settings.from_env("tenant"), build, MIGRATIONS)

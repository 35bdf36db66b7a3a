"""`python -m services.identity` runs the identity service; `... migrate` applies its migrations and exits."""

from services.common.server import run
from services.common.settings import Settings
from services.identity.bootstrap import MIGRATIONS, build

if __name__ == "__main__":
    run(Settings.from_env("identity"), build, MIGRATIONS)

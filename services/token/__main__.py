"""`python -m services.token` runs the token service; `... migrate` applies its migrations and exits."""

from services.common.server import run
from services.common.settings import Settings
from services.token.bootstrap import MIGRATIONS, build

if __name__ == "__main__":
    run(Settings.from_env("token"), build, MIGRATIONS)

"""`python -m services.session` runs the session service; `... migrate` applies its migrations and exits."""

from services.common.server import run
from services.common.settings import Settings
from services.session.bootstrap import MIGRATIONS, build

if __name__ == "__main__":
    run(Settings.from_env("session"), build, MIGRATIONS)

"""`python -m services.session` runs the session service."""

from services.common.server import run
from services.common.settings import Settings
from services.session.bootstrap import build

if __name__ == "__main__":
    run(Settings.from_env("session"), build)

"""`python -m services.identity` runs the identity service."""

from services.common.server import run
from services.common.settings import Settings
from services.identity.bootstrap import build

if __name__ == "__main__":
    run(Settings.from_env("identity"), build)

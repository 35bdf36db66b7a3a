"""Upstream providers the federation e2e tests start on loopback: panva's oidc-provider
(server.mjs, installed from package-lock.json by `make test`) and a stand-in for GitHub's
OAuth and user API (github.py)."""

"""Hosted, server-rendered pages of each tenant (login, sign-up, verification, reset, magic
links, account) for browsers without JavaScript: HTML rendering, CSRF tokens, the return_to
rules and the HostedPagesService servicer."""

"""The web pages: server-rendered HTML over ``claimgraph.query``.

``router`` holds the pages (``interfaces.api`` includes it); ``STATIC_DIR`` is mounted at
``/static`` under the name "static"; ``templates`` renders ``templates/`` with autoescaping on.
"""

from __future__ import annotations

from claimgraph.interfaces.web.pages import STATIC_DIR, error_page, router, templates

__all__ = ["STATIC_DIR", "error_page", "router", "templates"]

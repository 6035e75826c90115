"""Double-submit CSRF protection for the pages' forms.

A random token lives in the ``cg_csrf`` cookie (HttpOnly, SameSite=Strict); the form carries
an HMAC of it under the server's secret. A POST passes when the cookie is there, the field
is the cookie's HMAC, and the ``Origin`` header, where sent, is the request's own origin.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

COOKIE = "cg_csrf"
FIELD = "csrf_token"


def _sign(secret: bytes, token: str) -> str:
    return hmac.new(secret, token.encode("utf-8"), hashlib.sha256).hexdigest()


def cookie_token(request: Request) -> str:
    """The request's cookie token where it has a usable one, else a new one."""
    token = request.cookies.get(COOKIE, "")
    if 20 <= len(token) <= 100 and token.replace("-", "").replace("_", "").isalnum():
        return token
    return secrets.token_urlsafe(32)


def form_value(secret: bytes, token: str) -> str:
    """What the form's hidden field carries for this cookie token."""
    return _sign(secret, token)


def set_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/",
        secure=request.url.scheme == "https",
    )


def own_origin(request: Request) -> str:
    host = request.headers.get("host") or (request.url.netloc)
    return f"{request.url.scheme}://{host}".lower()


def check(request: Request, secret: bytes, submitted: str | None) -> str | None:
    """None when the POST may go on; else why it may not."""
    origin = request.headers.get("origin")
    if origin is not None and origin.lower().rstrip("/") != own_origin(request):
        return "The form was sent from another site."
    token = request.cookies.get(COOKIE)
    if not token or not submitted:
        return "The form's security token is missing: reload the page and send the form again."
    if not hmac.compare_digest(_sign(secret, token).encode(), submitted.encode("utf-8", "replace")):
        return "The form's security token does not match: reload the page and send the form again."
    return None

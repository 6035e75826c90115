"""The REST API (FastAPI) and the web server that also serves the pages.

``create_app(service)`` builds the app: the JSON endpoints under ``/api`` over
``claimgraph.query`` (reads) and ``Service.analyze`` / ``Service.ingest`` (the same calls
the CLI makes), the pages of ``interfaces.web``, ``/static``, and ``/openapi.json`` with
every response modelled (``interfaces.schemas``). ``claimgraph serve`` runs it with uvicorn.

Every error, of every endpoint, is one shape: ``{"error": {"code", "message"}}`` with the
status 400, 401, 404, 413, 422 or 500; a client never sees a stack trace. Request bodies
are capped (``max_body``); the write endpoint asks for the bearer token when one is set.
Every response carries a strict Content-Security-Policy and its companions.
"""

from __future__ import annotations

import hmac
import logging
import re
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimgraph import query
from claimgraph.errors import ClaimgraphError, InputError
from claimgraph.ingest.records import read_record
from claimgraph.interfaces import schemas
from claimgraph.interfaces.service import Service
from claimgraph.model import Article

log = logging.getLogger("claimgraph.api")

#: the largest request body read, in bytes (an article of MAX_TEXT characters fits)
MAX_BODY = 5_000_000

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": schemas.ErrorOut, "description": text}
    for status, text in (
        (400, "A parameter or an article that cannot be used"),
        (404, "Nothing has that id"),
        (413, "The request body is too large"),
        (422, "The request is malformed (bad JSON, a missing or wrong-typed field)"),
        (500, "The server failed; the message says no more"),
    )
}
WRITE_ERRORS = {**ERRORS, 401: {"model": schemas.ErrorOut, "description": "The token is missing or wrong"}}

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "invalid_request",
    500: "internal",
}


class ApiError(Exception):
    """An error an endpoint answers with: its status, code and message."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message


def error_response(status: int, message: str, code: str | None = None) -> JSONResponse:
    body = {"error": {"code": code or CODES.get(status, "error"), "message": message}}
    headers = {"www-authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


class Guard:
    """ASGI middleware: the body-size cap (413, from Content-Length or while reading) and the
    security headers on every response."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                have = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in have:
                        headers.append((name.encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None:
            if not length.isdigit():
                await _reply(error_response(400, "Content-Length is not a number"), scope, send_with_headers)
                return
            if int(length) > self.max_body:
                await _reply(_too_large(self.max_body, scope), scope, send_with_headers)
                return
        seen = 0
        too_large = False

        async def capped_receive() -> Message:
            nonlocal seen, too_large
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    too_large = True
                    # an HTTPException passes through FastAPI's body parsing as it is
                    raise StarletteHTTPException(
                        413, f"the request body is larger than {self.max_body:,} bytes"
                    )
            return message

        try:
            await self.app(scope, capped_receive, send_with_headers)
        except StarletteHTTPException:
            if not too_large:
                raise
            await _reply(_too_large(self.max_body, scope), scope, send_with_headers)


def _too_large(limit: int, scope: Scope | None = None) -> Response:
    message = f"the request body is larger than {limit:,} bytes"
    if scope is not None and not scope.get("path", "").startswith("/api"):
        from claimgraph.interfaces import web

        return web.error_page(Request(scope), 413, message)  # a page's form: the answer is a page
    return error_response(413, message)


async def _reply(response: Response, scope: Scope, send: Send) -> None:
    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    await response(scope, nothing, send)


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated[Service, Depends(_service)]


def _check_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    token = _service(request).token
    if token is None:
        return
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(401, "this endpoint needs the server's token: Authorization: Bearer TOKEN")


def _json(data: Any) -> JSONResponse:
    """A response of data already in its contract's shape (``to_json``): served as it is, the
    response model serving the schema (tests check the two agree)."""
    return JSONResponse(data)


def _article(body: schemas.ArticleIn, where: str) -> Article:
    try:
        return read_record(body.record(), where)
    except InputError as e:
        raise ApiError(400, e.reason, "bad_article") from None


DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
Limit = Annotated[int, Query(ge=1, le=query.MAX_PAGE, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=100_000, description="Items to skip first.")]
Text = Annotated[str | None, Query(max_length=500)]


def create_app(service: Service, *, max_body: int = MAX_BODY) -> FastAPI:
    """The server: REST API, pages and static files over one Service."""
    from claimgraph.interfaces import web

    app = FastAPI(
        title="claimgraph",
        version="0.1.0",
        summary="Attributed claims in news: chains of sources, clusters, independent origins.",
        docs_url=None,  # the interactive docs load scripts from a CDN; the schema is at /openapi.json
        redoc_url=None,
    )
    app.state.service = service

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.message, exc.code)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not request.url.path.startswith("/api"):
            return web.error_page(request, exc.status_code, str(exc.detail))
        message = str(exc.detail) if exc.detail else CODES.get(exc.status_code, "error")
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such endpoint: {request.method} {request.url.path}"
        return error_response(exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(422, "the body is not valid JSON", "malformed_json")
        parts = []
        for e in errors[:5]:
            where = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
            parts.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
        return error_response(422, "; ".join(parts) or "invalid request")

    @app.exception_handler(RecursionError)
    async def _too_deep(request: Request, exc: RecursionError) -> Response:
        return error_response(422, "the request is nested too deeply")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("%s %s failed", request.method, request.url.path)
        message = "the server failed on this request; it is logged"
        if not request.url.path.startswith("/api"):
            return web.error_page(request, 500, message)
        return error_response(500, message)

    app.add_middleware(Guard, max_body=max_body)

    # -- analysing and storing ------------------------------------------------------

    @app.post(
        "/api/analyze",
        response_model=schemas.ClaimRecordOut,
        responses=ERRORS,
        tags=["articles"],
        summary="Analyse one article (nothing is stored): its claim record",
    )
    def analyze(body: schemas.ArticleIn, service: ServiceDep) -> Response:
        article = _article(body, "request")
        try:
            record = service.analyze(article)
        except InputError as e:
            raise ApiError(400, e.reason, "bad_article") from None
        return _json(record.to_json())

    @app.post(
        "/api/articles",
        response_model=schemas.IngestOut,
        responses=WRITE_ERRORS,
        tags=["articles"],
        summary='Analyse, store and link one article or a batch ({"articles": [...]})',
        dependencies=[Depends(_check_token)],
    )
    def store_articles(body: schemas.ArticleIn | schemas.ArticleBatchIn, service: ServiceDep) -> Response:
        items = body.articles if isinstance(body, schemas.ArticleBatchIn) else [body]
        articles = [_article(item, f"request[{i}]") for i, item in enumerate(items)]
        try:
            report = service.ingest(articles)
        except ClaimgraphError as e:
            raise ApiError(500, f"could not store the articles: {e}") from None
        return _json(
            {
                "stored": report.stored,
                "already": report.already,
                "claims": report.claims,
                "links": report.links,
                "failed": [{"where": f.where, "reason": f.reason} for f in report.failed],
                "articles": [a.id for a in articles],
            }
        )

    # -- reading --------------------------------------------------------------------

    @app.get(
        "/api/articles",
        response_model=schemas.ArticleListOut,
        responses=ERRORS,
        tags=["articles"],
        summary="Stored articles, newest stored first",
    )
    def list_articles(service: ServiceDep, limit: Limit = 50, offset: Offset = 0) -> Response:
        rows = query.articles(service.store, limit=limit, offset=offset)
        return _json({"articles": rows, "limit": limit, "offset": offset})

    @app.get(
        "/api/articles/{article_id}",
        response_model=schemas.ArticleViewOut,
        responses=ERRORS,
        tags=["articles"],
        summary="One stored article: its claim record and the clusters of its claims",
    )
    def get_article(service: ServiceDep, article_id: Annotated[str, Path(max_length=200)]) -> Response:
        view = query.article(service.store, article_id)
        if view is None:
            raise ApiError(404, f"no article with id {article_id!r}")
        return _json(view.to_json())

    @app.get(
        "/api/claims",
        response_model=schemas.ClaimPageOut,
        responses=ERRORS,
        tags=["claims"],
        summary="Stored claims, filtered, a page at a time (grouped in claim records by article)",
    )
    def list_claims(
        service: ServiceDep,
        source: Annotated[str | None, Query(max_length=500, description="A source in any hop.")] = None,
        about: Annotated[str | None, Query(max_length=500, description="An identity it names.")] = None,
        entity: Annotated[str | None, Query(max_length=500, description="An identity anywhere.")] = None,
        certainty: Literal["certain", "probable", "possible", "unknown"] | None = None,
        polarity: Literal["positive", "negative"] | None = None,
        event: Text = None,
        since: Annotated[str | None, Query(pattern=DATE, description="Published on or after.")] = None,
        until: Annotated[str | None, Query(pattern=DATE, description="Published on or before.")] = None,
        text: Annotated[str | None, Query(max_length=500, description="Part of the content.")] = None,
        order: Literal["stored", "published", "-published"] = "stored",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        q = query.ClaimQuery(
            source=source, about=about, entity=entity, certainty=certainty, polarity=polarity,
            event=event, since=since, until=until, text=text, order=order, limit=limit, offset=offset,
        )  # fmt: skip
        try:
            page = query.claims(service.store, q)
        except ValueError as e:
            raise ApiError(400, str(e)) from None
        return _json(page.to_json())

    @app.get(
        "/api/clusters",
        response_model=schemas.ClusterListOut,
        responses=ERRORS,
        tags=["clusters"],
        summary="Claims reported more than once: most independent origins first",
    )
    def list_clusters(
        service: ServiceDep,
        min_size: Annotated[int, Query(ge=1, le=100_000)] = 2,
        min_origins: Annotated[int, Query(ge=1, le=100_000)] = 1,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        reps, total = query.clusters(service.store, min_size, min_origins, limit, offset)
        return _json(
            {"clusters": [r.to_json() for r in reps], "total": total, "limit": limit, "offset": offset}
        )

    @app.get(
        "/api/clusters/{cluster_id}",
        response_model=schemas.ClusterOut,
        responses=ERRORS,
        tags=["clusters"],
        summary="One cluster (or the cluster of a claim id): members, origins, relays, contradictions",
    )
    def get_cluster(service: ServiceDep, cluster_id: Annotated[str, Path(max_length=200)]) -> Response:
        rep = query.cluster_report(service.store, cluster_id)
        if rep is None:
            raise ApiError(404, f"no cluster or claim {cluster_id!r}")
        return _json(rep.to_json())

    @app.get(
        "/api/entities",
        response_model=schemas.IdentityListOut,
        responses=ERRORS,
        tags=["entities"],
        summary="Canonical identities with their aliases and how often claims name them",
    )
    def list_entities(service: ServiceDep, kind: Text = None) -> Response:
        return _json({"entities": [i.to_json() for i in query.entities(service.store, kind)]})

    @app.get(
        "/api/entities/{name}",
        response_model=schemas.EntityDetailOut,
        responses=ERRORS,
        tags=["entities"],
        summary="One identity (id or any alias): roles, claims made and about it, numbers over time",
    )
    def get_entity(service: ServiceDep, name: Annotated[str, Path(max_length=500)]) -> Response:
        detail = query.entity(service.store, name, service.settings)
        if detail is None:
            raise ApiError(404, f"no identity named {name!r}")
        return _json(detail)

    @app.get(
        "/api/contradictions",
        response_model=schemas.ContradictionListOut,
        responses=ERRORS,
        tags=["clusters"],
        summary="Claims that cannot both hold, each with its two sides and the reason",
    )
    def list_contradictions(service: ServiceDep) -> Response:
        return _json({"contradictions": query.contradiction_list(service.store)})

    @app.get(
        "/api/timeline",
        response_model=schemas.TimelineOut,
        responses=ERRORS,
        tags=["clusters"],
        summary="Reported values over time for a cluster, an identity or a quantity phrase",
    )
    def get_timeline(service: ServiceDep, q: Annotated[str, Query(min_length=1, max_length=500)]) -> Response:
        data = query.timeline(service.store, q, service.settings)
        if data is None:
            raise ApiError(404, f"no cluster, identity or counted quantity named {q!r}")
        return _json(data)

    @app.get(
        "/api/search",
        response_model=schemas.SearchOut,
        responses=ERRORS,
        tags=["claims"],
        summary="Full-text search over claims and articles (the database's own index)",
    )
    def search(
        service: ServiceDep,
        q: Annotated[str, Query(min_length=1, max_length=1_000)],
        limit: Limit = 50,
        offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    ) -> Response:
        if not re.search(r"\w", q):  # nothing to search for: no hit (the schema cannot say "a word")
            return _json({"hits": [], "limit": limit, "offset": offset})
        try:
            hits = query.search(service.store, q, limit=limit, offset=offset)
        except ValueError as e:
            raise ApiError(400, str(e)) from None
        return _json({"hits": [h.to_json() for h in hits], "limit": limit, "offset": offset})

    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=web.STATIC_DIR), name="static")
    return app

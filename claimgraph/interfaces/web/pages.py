"""The pages: server-rendered HTML over ``claimgraph.query``, nothing else.

Every page extends ``base.html``; the text of articles, titles, outlets and names is
untrusted and reaches the HTML only through Jinja's autoescaping.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates

from claimgraph import query
from claimgraph.errors import ClaimgraphError, InputError
from claimgraph.ingest.records import read_record
from claimgraph.interfaces.web import chart, csrf, diagram
from claimgraph.interfaces.web.highlight import LAYERS, anchor, runs
from claimgraph.model import CERTAINTIES, POLARITIES, ClaimRecord

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"

#: the most characters of article text the Read form takes
MAX_TEXT = 1_000_000
#: the most bytes of form body read (the text URL-encoded, plus the other fields)
MAX_BODY = 12 * MAX_TEXT
PAGE = 50


def _safe_url(url: str | None) -> str | None:
    """The URL where it is http(s), else None: nothing else becomes a link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in {"http", "https"} else None


def _path(value: str) -> str:
    """A value as one URL path segment (an id may hold ':' or '/')."""
    return quote(value, safe="")


env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters["safe_url"] = _safe_url
env.filters["seg"] = _path
env.filters["num"] = chart.format_value
env.globals["anchor"] = anchor
env.globals["chain_text"] = query.chain_text
templates = Jinja2Templates(env=env)

router = APIRouter(include_in_schema=False)


def _service(request: Request) -> Any:
    return request.app.state.service


def page(
    request: Request, name: str, context: dict[str, Any], status: int = 200, *, form: bool = False
) -> Response:
    """Render a page; a page with a form also gets (or keeps) its CSRF cookie."""
    ctx = {"root": request.scope.get("root_path", ""), "path": request.url.path, **context}
    token = None
    if form:
        token = csrf.cookie_token(request)
        ctx["csrf_field"] = csrf.FIELD
        ctx["csrf_value"] = csrf.form_value(_service(request).csrf_secret, token)
    response = templates.TemplateResponse(request, name, ctx, status_code=status)
    if token is not None:
        csrf.set_cookie(response, request, token)
        response.headers["Cache-Control"] = "no-store"
        # with "no-referrer" a browser sends "Origin: null" on the form's POST, which the
        # origin check refuses: the form's page sends its origin to itself, and nothing elsewhere
        response.headers["Referrer-Policy"] = "same-origin"
    return response


def error_page(request: Request, status: int, message: str, title: str | None = None) -> Response:
    """The 400, 403, 404 or 413 page, in the layout."""
    titles = {
        400: "Bad request",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        413: "Too large",
        500: "Something went wrong",
    }
    return page(
        request, "error.html", {"title": title or titles.get(status, "Error"), "message": message}, status
    )


# -- Read --------------------------------------------------------------------------------


def _read_form(
    request: Request, values: dict[str, str] | None = None, error: str | None = None, status: int = 200
) -> Response:
    store = _service(request).store
    recent = query.articles(store, limit=20)
    return page(
        request,
        "read.html",
        {"title": "Read an article", "values": values or {}, "error": error, "recent": recent},
        status,
        form=True,
    )


@router.get("/", response_class=HTMLResponse)
def read_page(request: Request) -> Response:
    return _read_form(request)


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_input(values: dict[str, str]) -> tuple[int, str] | None:
    text = values.get("text", "")
    if not text.strip():
        return 400, "The text is empty: paste the article's text."
    if len(text) > MAX_TEXT:
        return 413, f"The text is {len(text):,} characters long; at most {MAX_TEXT:,} can be read at once."
    published = values.get("published", "").strip()
    if published:
        ok = bool(_DAY.match(published))
        if ok:
            try:
                date.fromisoformat(published)
            except ValueError:
                ok = False
        if not ok:
            return 400, f"The date {published!r} is not a date of the form YYYY-MM-DD (such as 2025-01-31)."
    return None


@router.post("/", response_class=HTMLResponse)
async def read_submit(request: Request) -> Response:
    """Analyse the posted text (nothing is stored) and show it highlighted."""
    service = _service(request)
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        return _read_form(request, error="The form is too large to read.", status=413)
    form = await request.form(max_files=0, max_fields=20, max_part_size=MAX_BODY)
    values = {k: v for k in ("text", "title", "published", "outlet") if isinstance(v := form.get(k), str)}
    submitted = form.get(csrf.FIELD)
    problem = csrf.check(request, service.csrf_secret, submitted if isinstance(submitted, str) else None)
    if problem is not None:
        return error_page(request, 403, problem)
    bad = _check_input(values)
    if bad is not None:
        status, message = bad
        if status == 413:
            values = {k: v for k, v in values.items() if k != "text"}
        return _read_form(request, values, message, status)
    record_in = {"text": values["text"]}
    record_in.update({k: v.strip() for k, v in values.items() if k != "text" and v.strip()})
    try:
        article = read_record(record_in, "web form")
        record = await run_in_threadpool(service.analyze, article)
    except InputError as e:
        return _read_form(request, values, str(e), 400)
    except ClaimgraphError as e:  # a pipeline that is not installed, a bad setting
        return error_page(request, 500, str(e))
    return _article_response(request, record, {}, stored=False)


# -- Articles ----------------------------------------------------------------------------


def _claim_rows(record: ClaimRecord, clusters: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for i, claim in enumerate(record.claims):
        out.append(
            {
                "n": i + 1,
                "claim": claim,
                "anchor": anchor(claim, i),
                "chain": query.chain_text(record.article, claim),
                "cluster": clusters.get(claim.id),
            }
        )
    return out


def _article_response(
    request: Request, record: ClaimRecord, clusters: dict[str, str], *, stored: bool
) -> Response:
    art = record.article
    return page(
        request,
        "article.html",
        {
            "title": art.title or "Untitled article",
            "article": art,
            "url": _safe_url(art.url),
            "runs": runs(record),
            "claims": _claim_rows(record, clusters),
            "layers": LAYERS,
            "stored": stored,
        },
    )


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> Response:
    view = query.article(_service(request).store, article_id)
    if view is None:
        return error_page(request, 404, f"No article has the id {article_id!r}.")
    return _article_response(request, view.record, view.clusters, stored=True)


# -- Claims ------------------------------------------------------------------------------

CLAIM_FILTERS = ("source", "about", "entity", "certainty", "polarity", "event", "since", "until", "text")


def _int(value: str | None, default: int) -> int:
    try:
        return max(0, int(value)) if value is not None else default
    except ValueError:
        return default


def _link(path: str, params: dict[str, Any]) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "", 0) or k == "offset" and v}
    return path + ("?" + urlencode(kept) if kept else "")


@router.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request) -> Response:
    qp = request.query_params
    filters = {k: (qp.get(k) or "").strip() for k in CLAIM_FILTERS}
    order = qp.get("order") or "stored"
    offset = _int(qp.get("offset"), 0)
    q = query.ClaimQuery(**{k: v or None for k, v in filters.items()}, order=order, limit=PAGE, offset=offset)
    try:
        result = query.claims(_service(request).store, q)
    except ValueError as e:
        return error_page(request, 400, str(e))
    base = {**filters, "order": order if order != "stored" else ""}
    rows = [
        {
            "article": a,
            "claim": c,
            "anchor": anchor(c, 0),
            "chain": query.chain_text(a, c),
        }
        for a, c in result.rows
    ]
    sort_next = "-published" if order == "published" else "published"
    return page(
        request,
        "claims.html",
        {
            "title": "Claims",
            "filters": filters,
            "certainties": CERTAINTIES,
            "polarities": POLARITIES,
            "order": order,
            "rows": rows,
            "offset": offset,
            "sort_link": _link("/claims", {**base, "order": sort_next}),
            "stored_link": _link("/claims", {**base, "order": ""}),
            "aria_sort": {"published": "ascending", "-published": "descending"}.get(order),
            "prev": _link("/claims", {**base, "offset": max(0, offset - PAGE)}) if offset > 0 else None,
            "next": _link("/claims", {**base, "offset": offset + PAGE}) if result.more else None,
        },
    )


# -- Clusters ----------------------------------------------------------------------------


@router.get("/clusters", response_class=HTMLResponse)
def clusters_page(request: Request) -> Response:
    offset = _int(request.query_params.get("offset"), 0)
    reports, total = query.clusters(_service(request).store, limit=PAGE, offset=offset)
    rows = [
        {
            "id": r.id,
            "text": r.members[0].claim.content.text if r.members else r.id,
            "size": len(r.members),
            "articles": r.articles,
            "origins": r.independent_origins,
        }
        for r in reports
    ]
    return page(
        request,
        "clusters.html",
        {
            "title": "Clusters",
            "rows": rows,
            "total": total,
            "offset": offset,
            "prev": _link("/clusters", {"offset": max(0, offset - PAGE)}) if offset > 0 else None,
            "next": _link("/clusters", {"offset": offset + PAGE}) if offset + PAGE < total else None,
        },
    )


@router.get("/clusters/{cluster_id:path}", response_class=HTMLResponse)
def cluster_page(request: Request, cluster_id: str) -> Response:
    rep = query.cluster_report(_service(request).store, cluster_id)
    if rep is None:
        return error_page(request, 404, f"No cluster has the id {cluster_id!r}.")
    members = []
    texts: dict[str, dict[str, Any]] = {}
    for m in rep.members:
        row = {
            "article": m.article,
            "claim": m.claim,
            "anchor": anchor(m.claim, 0),
            "chain": query.chain_text(m.article, m.claim),
        }
        members.append(row)
        texts[m.claim.id] = row
    contradictions = [
        {"kind": c.get("kind"), "reason": c.get("reason"), "a": texts.get(c["a"]), "b": texts.get(c["b"])}
        for c in rep.contradictions
    ]
    first = rep.members[0].claim.content.text if rep.members else rep.id
    return page(
        request,
        "cluster.html",
        {
            "title": f"Cluster: {first}",
            "heading": first,
            "report": rep,
            "members": members,
            "contradictions": contradictions,
            "diagram": diagram.layout(rep),
        },
    )


# -- Entities ----------------------------------------------------------------------------


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request) -> Response:
    store = _service(request).store
    kind = (request.query_params.get("kind") or "").strip()
    every = query.entities(store)
    kinds = sorted({e.kind for e in every})
    listed = query.entities(store, kind) if kind else every
    return page(
        request,
        "entities.html",
        {"title": "Entities", "entities": listed, "kinds": kinds, "kind": kind},
    )


@router.get("/entities/{name:path}", response_class=HTMLResponse)
def entity_page(request: Request, name: str) -> Response:
    service = _service(request)
    detail = query.entity(service.store, name, service.settings)
    if detail is None:
        return error_page(request, 404, f"No entity is named {name!r}.")
    ident = detail["identity"]
    charts = [chart.layout(s) for s in detail.get("chart", [])]
    return page(
        request,
        "entity.html",
        {
            "title": ident.get("name") or ident.get("id") or name,
            "ident": ident,
            "roles": detail.get("roles", []),
            "made": detail.get("made", []),
            "about": detail.get("about", []),
            "charts": charts,
        },
    )


# -- Search ------------------------------------------------------------------------------


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request) -> Response:
    q = (request.query_params.get("q") or "").strip()
    offset = _int(request.query_params.get("offset"), 0)
    hits: list[Any] = []
    if q:
        try:
            hits = query.search(_service(request).store, q, limit=PAGE + 1, offset=offset)
        except ValueError as e:
            return page(request, "search.html", {"title": "Search", "q": q, "hits": [], "error": str(e)}, 400)
    more = len(hits) > PAGE
    rows = [
        {
            "kind": h.kind,
            "article": h.article,
            "claim": h.claim,
            "anchor": anchor(h.claim, 0) if h.claim else None,
        }
        for h in hits[:PAGE]
    ]
    return page(
        request,
        "search.html",
        {
            "title": f"Search: {q}" if q else "Search",
            "q": q,
            "hits": rows,
            "searched": bool(q),
            "error": None,
            "prev": _link("/search", {"q": q, "offset": max(0, offset - PAGE)}) if q and offset > 0 else None,
            "next": _link("/search", {"q": q, "offset": offset + PAGE}) if more else None,
        },
    )

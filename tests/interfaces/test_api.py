"""The REST API against a real store of the founding example, its echo and the Seoul report.

Each response is checked against the model ``/openapi.json`` declares for it, and against
what the CLI prints for the same question: API and CLI answer from the same calls.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel
from typer.testing import CliRunner

from claimgraph.interfaces import schemas
from claimgraph.interfaces.api import create_app
from claimgraph.interfaces.cli import app as cli_app
from claimgraph.interfaces.service import Service

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
FOUNDING = (ROOT / "examples" / "nk-troops-withdrawn.txt").read_text(encoding="utf-8")
CLUSTER = "claim:3cad3d2eddd42d0b9d0f"


@pytest.fixture(scope="module")
def service(nk_db: str, extractor: Any) -> Iterator[Service]:
    svc = Service(nk_db, create=False)
    svc._extractor = extractor  # the session's pipeline: loaded once for the whole run
    from claimgraph.link.identities import Resolver
    from claimgraph.run import gazetteer

    svc._resolver = Resolver(gazetteer(svc.settings))
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def client(service: Service) -> TestClient:
    return TestClient(create_app(service, max_body=200_000), raise_server_exceptions=False)


def _valid(model: type[BaseModel], data: Any) -> Any:
    model.model_validate(data)  # the declared schema holds the real response (extra fields forbidden)
    return data


def _error(response: Any, status: int, code: str | None = None) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    if code is not None:
        assert body["error"]["code"] == code
    assert "Traceback" not in response.text and 'File "' not in response.text
    return str(body["error"]["message"])


def _cli(*args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli_app, list(args))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_analyze_is_the_claim_record_the_cli_prints(client: TestClient, nk_db: str) -> None:
    r = client.post("/api/analyze", json={"text": FOUNDING})
    assert r.status_code == 200
    record = _valid(schemas.ClaimRecordOut, r.json())
    first = record["claims"][0]
    assert any(hop["sources"] and hop["sources"][0]["text"] == "The New York Times" for c in record["claims"]
               for hop in c["chain"])  # fmt: skip
    assert first["content"]["text"]
    # the CLI's analyze of the same text: the same record, claim for claim
    [cli_record] = _cli("analyze", str(ROOT / "examples" / "nk-troops-withdrawn.txt"), "--json")
    assert [c["id"] for c in cli_record["claims"]] == [c["id"] for c in record["claims"]]
    assert [c["chain"] for c in cli_record["claims"]] == [c["chain"] for c in record["claims"]]


def test_analyze_stores_nothing(client: TestClient) -> None:
    before = client.get("/api/articles").json()["articles"]
    r = client.post("/api/analyze", json={"text": "Officials said the bridge was closed.", "title": "Bridge"})
    assert r.status_code == 200
    assert client.get("/api/articles").json()["articles"] == before


def test_claims_filters_and_pages_like_the_cli(client: TestClient, nk_db: str) -> None:
    page = _valid(schemas.ClaimPageOut, client.get("/api/claims", params={"limit": 5}).json())
    assert page["count"] == 5 and page["next_offset"] == 5
    everything: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = client.get("/api/claims", params={"limit": 7, "offset": offset}).json()
        everything += [c["id"] for rec in page["records"] for c in rec["claims"]]
        offset = page["next_offset"]
    cli_ids = [c["id"] for rec in _cli("claims", "--db", nk_db, "--json") for c in rec["claims"]]
    assert everything == cli_ids and len(set(everything)) == len(everything)
    by_source = client.get("/api/claims", params={"source": "New York Times"}).json()
    cli = _cli("claims", "--db", nk_db, "--source", "New York Times", "--json")
    assert [c["id"] for r in by_source["records"] for c in r["claims"]] == [
        c["id"] for r in cli for c in r["claims"]
    ]
    newest = client.get("/api/claims", params={"order": "-published", "since": "2025-02"}).json()
    dates = [r["article"]["published"] for r in newest["records"]]
    assert dates and dates == sorted(dates, reverse=True) and all(d >= "2025-02" for d in dates)
    probable = client.get("/api/claims", params={"certainty": "probable"}).json()
    assert all(c["certainty"] == "probable" for r in probable["records"] for c in r["claims"])
    about = client.get("/api/claims", params={"entity": "DPRK", "until": "2025-01-31"}).json()
    assert about["count"] > 0 and all(r["article"]["published"] <= "2025-01-31" for r in about["records"])


def test_articles_and_one_article(client: TestClient) -> None:
    listing = _valid(schemas.ArticleListOut, client.get("/api/articles").json())
    assert len(listing["articles"]) == 3 and all("text" not in a for a in listing["articles"])
    founding = next(a for a in listing["articles"] if a["source"].endswith("nk-troops-withdrawn.txt"))
    view = _valid(schemas.ArticleViewOut, client.get(f"/api/articles/{founding['id']}").json())
    assert view["article"]["text"] == FOUNDING
    assert view["clusters"].get(CLUSTER) == CLUSTER


def test_clusters_cluster_contradictions_timeline_as_the_cli(client: TestClient, nk_db: str) -> None:
    listing = _valid(schemas.ClusterListOut, client.get("/api/clusters").json())
    assert [c["id"] for c in listing["clusters"]] == [
        c["id"] for c in _cli("clusters", "--db", nk_db, "--json")
    ]
    one = _valid(schemas.ClusterOut, client.get(f"/api/clusters/{CLUSTER}").json())
    assert one == _cli("cluster", CLUSTER, "--db", nk_db, "--json")[0]
    assert one["independent_origins"] == 2
    assert "The New York Times" in {o["name"] for o in one["origins"]} or any(
        "New York Times" in o["name"] for o in one["origins"]
    )
    contradictions = _valid(schemas.ContradictionListOut, client.get("/api/contradictions").json())
    assert contradictions["contradictions"] == _cli("contradictions", "--db", nk_db, "--json")
    line = _valid(
        schemas.TimelineOut, client.get("/api/timeline", params={"q": "North Korean troops"}).json()
    )
    assert line == _cli("timeline", "North Korean troops", "--db", nk_db, "--json")[0]


def test_entities_and_entity_chart(client: TestClient, nk_db: str) -> None:
    listing = _valid(schemas.IdentityListOut, client.get("/api/entities").json())
    assert "gpe/north-korea" in {e["id"] for e in listing["entities"]}
    detail = _valid(schemas.EntityDetailOut, client.get("/api/entities/DPRK").json())
    assert detail["identity"]["id"] == "gpe/north-korea"
    assert detail == _cli("entity", "DPRK", "--db", nk_db, "--json")[0]
    persons = next(s for s in detail["chart"] if s["unit"] == "persons")
    values = {(p["date"], p["value"], p["derived"] is not None) for p in persons["points"]}
    assert ("2024-11", 11000.0, False) in values  # ≈11,000 in November
    assert ("2025-01-31", 5500.0, True) in values  # halved by late January


def test_search_uses_the_full_text_index(client: TestClient) -> None:
    hits = _valid(schemas.SearchOut, client.get("/api/search", params={"q": "troops Kursk"}).json())["hits"]
    assert hits and hits[0]["kind"] in {"claim", "article"}
    assert any(h["claim"] and "Kursk" in h["claim"]["content"]["text"] for h in hits)
    assert client.get("/api/search", params={"q": "  ,, "}).json()["hits"] == []  # no word: no hit
    assert "words" in _error(client.get("/api/search", params={"q": "war " * 40}), 400, "bad_request")


@pytest.mark.parametrize(
    "path",
    ["/api/articles/sha256:nothing", f"/api/clusters/{CLUSTER}x", "/api/entities/Atlantis", "/api/nowhere"],
)
def test_unknown_ids_are_404_in_the_one_error_shape(client: TestClient, path: str) -> None:
    _error(client.get(path), 404, "not_found")


def test_timeline_of_nothing_is_404(client: TestClient) -> None:
    _error(client.get("/api/timeline", params={"q": "zzz unknown"}), 404, "not_found")


def test_bad_requests_are_422_or_400_in_the_one_error_shape(client: TestClient) -> None:
    malformed = client.post(
        "/api/analyze", content=b'{"text": "unclosed', headers={"content-type": "application/json"}
    )
    _error(malformed, 422, "malformed_json")
    _error(client.post("/api/analyze", json={"title": "no text"}), 422, "invalid_request")
    _error(client.post("/api/analyze", json={"text": ""}), 422)
    _error(client.post("/api/analyze", json={"text": "x", "colour": "red"}), 422)
    _error(client.get("/api/claims", params={"certainty": "sure"}), 422)
    _error(client.get("/api/claims", params={"since": "last week"}), 422)
    _error(client.get("/api/claims", params={"limit": 0}), 422)
    deep = b"[" * 100_001 + b"]" * 100_001
    _error(client.post("/api/analyze", content=deep, headers={"content-type": "application/json"}), 413)
    nested = b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    too_deep = client.post("/api/analyze", content=nested, headers={"content-type": "application/json"})
    _error(too_deep, too_deep.status_code)
    assert too_deep.status_code in (400, 422)


def test_oversize_bodies_are_413_before_they_are_read(client: TestClient) -> None:
    big = json.dumps({"text": "word " * 60_000}).encode()
    _error(
        client.post("/api/analyze", content=big, headers={"content-type": "application/json"}),
        413,
        "too_large",
    )

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        yield b'{"text": "'
        for _ in range(50):
            yield b"x" * 10_000
        yield b'"}'

    _error(client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"}), 413)


def test_a_crash_is_500_without_a_stack_trace(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimgraph import query

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail /etc/passwd")

    monkeypatch.setattr(query, "contradiction_list", boom)
    message = _error(client.get("/api/contradictions"), 500, "internal")
    assert "secret" not in message


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for r in (client.get("/api/articles"), client.get("/api/nowhere"), client.get("/openapi.json")):
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert "unsafe-inline" not in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"


def test_openapi_models_every_response(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            for status in ("200", "404", "413", "422", "500"):
                content = op["responses"].get(status, {}).get("content", {})
                assert "application/json" in content and content["application/json"]["schema"], (
                    path,
                    method,
                    status,
                )
    assert spec["components"]["schemas"]["ErrorOut"]["properties"]["error"]


def test_writes_need_the_token_when_one_is_set(nk_db: str, tmp_path: Path, extractor: Any) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    svc = Service(url, token="s3cret")
    svc._extractor = extractor
    from claimgraph.link.identities import Resolver
    from claimgraph.run import gazetteer

    svc._resolver = Resolver(gazetteer(svc.settings))
    client = TestClient(create_app(svc), raise_server_exceptions=False)
    body = {"articles": [{"text": FOUNDING, "id": "founding"}, {"text": "Officials said the port was shut."}]}
    _error(client.post("/api/articles", json=body), 401, "unauthorized")
    _error(client.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong"}), 401)
    r = client.post("/api/articles", json=body, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 200, r.text
    report = _valid(schemas.IngestOut, r.json())
    assert report["stored"] == 2 and report["claims"] > 10 and not report["failed"]
    again = client.post("/api/articles", json=body["articles"][0], headers={"Authorization": "Bearer s3cret"})
    assert again.json()["already"] == 1 and again.json()["stored"] == 0
    stored = client.get(f"/api/articles/{report['articles'][0]}").json()
    assert stored["article"]["source"] == "request[0]#founding"
    assert client.get("/api/claims", params={"source": "New York Times"}).json()["count"] > 0
    svc.close()

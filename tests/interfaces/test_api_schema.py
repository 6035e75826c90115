"""schemathesis against the API's own OpenAPI schema: generated requests to every endpoint,
valid and not, on a real store; no server error, and every response as the schema declares
(status, content type, body shape, the one error shape)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from claimgraph.interfaces.api import create_app
from claimgraph.interfaces.service import Service

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api_app(nk_db: str, extractor: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import shutil

    from claimgraph.link.identities import Resolver
    from claimgraph.run import gazetteer

    # a copy: POST /api/articles writes to it
    path = tmp_path_factory.mktemp("schema") / "nk.db"
    shutil.copy(nk_db.removeprefix("sqlite:///"), path)
    svc = Service(f"sqlite:///{path}", token="t0ken")
    svc._extractor = extractor
    svc._resolver = Resolver(gazetteer(svc.settings))
    # a body past the cap is 413, which schemathesis does not expect of a too-long field: a cap
    # above what the schema allows lets the schema's own limits answer (422)
    yield create_app(svc, max_body=50_000_000)
    svc.close()


@pytest.fixture(scope="module")
def api_schema(api_app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", api_app)


#: examples per operation and mode; POST /api/analyze runs the pipeline on each
EXAMPLES = 25


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_api_conforms_to_its_schema(api_schema: Any, mode: GenerationMode) -> None:
    # schemathesis's pytest plugin does not run on this pytest; its strategies do, one
    # operation at a time, with every check it has (server error, status, content type, body)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def check(case: Any) -> None:
            # a request the schema allows may still be refused with a documented 400 (a search of
            # 40 words, an article the reader cannot use): not "positive data rejected"
            case.call_and_validate(
                headers={"Authorization": "Bearer t0ken"}, excluded_checks=[positive_data_acceptance]
            )

        try:
            check()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # no parameter to get wrong (GET /api/contradictions)
        except Exception as e:
            raise AssertionError(f"{operation.label}: {e}") from e

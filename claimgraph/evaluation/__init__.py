"""Measuring claimgraph's quality on annotated corpora (PolNeAR attribution)."""

from claimgraph.evaluation.polnear import (
    GoldDoc,
    evaluate_polnear,
    format_table,
    load_polnear,
    parse_ann,
    score,
)

__all__ = ["GoldDoc", "evaluate_polnear", "format_table", "load_polnear", "parse_ann", "score"]

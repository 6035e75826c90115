"""claimgraph: read news into attributed claims with their source chains."""

from claimgraph.config import Settings
from claimgraph.errors import ClaimgraphError, InputError
from claimgraph.model import Article, Claim, ClaimRecord, Cue, Hop, Source, Span

__all__ = [
    "Article",
    "Claim",
    "ClaimRecord",
    "ClaimgraphError",
    "Cue",
    "Hop",
    "InputError",
    "Settings",
    "Source",
    "Span",
]
__version__ = "0.1.0"

"""The exceptions claimgraph raises. The library raises; only the interfaces report."""

from __future__ import annotations


class ClaimgraphError(Exception):
    """Base class of every error claimgraph raises on purpose."""


class InputError(ClaimgraphError):
    """An input (file, record, page, URL) could not be read; the message says which and why."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # rebuilt from its two parts (a worker process sends it back to the parent)
        return (type(self), (self.where, self.reason))


class ModelNotInstalledError(ClaimgraphError):
    """The spaCy pipeline that a setting names is not installed."""


class StoreError(ClaimgraphError):
    """The store could not be opened, migrated or written."""


class ConfigError(ClaimgraphError):
    """A setting has a value that cannot be used."""

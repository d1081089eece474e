"""The manifests table: each distinct workflow or pipeline manifest text, stored once."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict

from .listing import TableListing

__all__ = ["SCHEMA", "ManifestTable"]

SCHEMA = """
CREATE TABLE manifests (
    id INTEGER PRIMARY KEY, digest TEXT NOT NULL UNIQUE, text TEXT NOT NULL,
    quoted TEXT NOT NULL);
"""

_MANIFEST_CACHE_SIZE = 512


class ManifestTable(TableListing):
    """Manifests by id; each is also kept as a JSON string literal, ready for a response."""

    def _setup(self) -> None:
        super()._setup()
        self._manifest_cache: OrderedDict[int, str] = OrderedDict()
        self._manifest_ids: dict[str, int] = {}

    def intern_manifest(self, text: str) -> int:
        """The id of a stored manifest with this text, storing it on first use."""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        known = self._manifest_ids.get(digest)
        if known is not None:
            return known
        row = self._one("SELECT id FROM manifests WHERE digest = ?", (digest,))
        if row is None:
            quoted = _quote(text)
            cursor = self._execute(
                "INSERT INTO manifests (digest, text, quoted) VALUES (?, ?, ?)",
                (digest, text, quoted),
            )
            manifest_id = int(cursor.lastrowid or 0)
        else:
            manifest_id = int(row[0])
        if len(self._manifest_ids) < 4096:
            self._manifest_ids[digest] = manifest_id
        return manifest_id

    def manifest_text(self, manifest_id: int) -> str:
        """The text of a stored manifest."""
        row = self._one("SELECT text FROM manifests WHERE id = ?", (manifest_id,))
        return "" if row is None else str(row[0])

    def manifest_quoted(self, manifest_id: int) -> str:
        """The manifest as a JSON string literal, ready to embed in a response."""
        cached = self._manifest_cache.get(manifest_id)
        if cached is not None:
            self._manifest_cache.move_to_end(manifest_id)
            return cached
        row = self._one("SELECT quoted FROM manifests WHERE id = ?", (manifest_id,))
        quoted = '""' if row is None else str(row[0])
        self._manifest_cache[manifest_id] = quoted
        if len(self._manifest_cache) > _MANIFEST_CACHE_SIZE:
            self._manifest_cache.popitem(last=False)
        return quoted


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)

"""Shared test helpers: invariants of the index and small builders."""

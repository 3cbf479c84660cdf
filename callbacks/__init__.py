"""Thin callbacks: read inputs, call analysis, call figures, return values (Patch for maps)."""

"""Ingestion and storage: readers into one canonical schema, the dataset on disk. No Dash import."""

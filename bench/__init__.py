"""The benchmark harness: figures for BENCHMARKS.md, measured, never asserted in tests."""

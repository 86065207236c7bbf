"""Pydantic models: the single source of truth every other module reads and writes."""

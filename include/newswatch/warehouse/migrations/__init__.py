"""Alembic migrations of the warehouse (run by ``newswatch db upgrade``)."""

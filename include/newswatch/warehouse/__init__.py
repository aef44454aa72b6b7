"""The warehouse: schema (SQLAlchemy models), engine, load (bulk upserts) and queries."""

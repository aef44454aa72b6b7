"""The warehouse: schema (SQLAlchemy models), engine, session, migrate, load (bulk upserts), labels, queries, export."""

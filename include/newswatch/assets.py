"""Airflow Assets of the project, defined once; DAGs import them from here."""

from __future__ import annotations

from airflow.sdk import Asset

ARTICLES = Asset(name="newswatch_articles", uri="newswatch://warehouse/articles")

"""newswatch: poll news feeds, extract and clean articles, tag India–Italy defence stories, warehouse them
and mail a daily digest. Every stage is a plain function; the Airflow DAGs in ``dags/`` only wire them."""

__version__ = "0.1.0"

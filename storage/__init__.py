"""Storage: SQLAlchemy tables, Alembic migrations and SqlStore, the engine's Store on SQLite or PostgreSQL."""

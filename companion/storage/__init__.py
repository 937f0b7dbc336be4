"""Everything SQL: the database, its migrations and the repositories (no Qt)."""

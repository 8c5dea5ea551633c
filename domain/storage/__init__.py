"""The only SQLAlchemy code: tables, repositories, the unit of work and migrations."""

"""The Alembic history has one head, and upgrading an empty database yields the models' schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from dialog import ROOT, create_app
from dialog.answers.search import is_search_table
from dialog.extensions import db
from tests.conftest import make_config


def include_name(name, type_, parent_names) -> bool:
    return not (type_ == "table" and is_search_table(name))


def test_single_head():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    heads = ScriptDirectory.from_config(cfg).get_heads()
    assert len(heads) == 1, f"several Alembic heads: {heads}; merge them"


@pytest.fixture
def empty_database_url(database_url: str, tmp_path) -> Iterator[str]:
    """An empty database of the same kind as the suite's: a new SQLite file or PG schema."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    schema = f"migration_test_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in database_url else "?"
    try:
        yield f"{database_url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def test_upgrade_from_empty_matches_models_and_downgrade_works(empty_database_url):
    app = create_app(make_config(empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": include_name})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"

        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names())
        assert tables <= {"alembic_version"}, f"downgrade left tables: {tables}"

        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) | {"answer_search"} <= tables
        db.engine.dispose()

"""The outcome store's schema: one append-only list of numbered migrations.

A migration is never edited or removed once it has shipped: a change to the schema is a new
entry at the end. :func:`migrate` applies, in one transaction each, the ones a database has not
had yet, and records them in ``_migrations`` (number, name, when), so a store written by any
earlier version opens in this one, and a store written by a newer version (a number this list
does not have) is refused rather than misread. The model: simonw/llm's ``migrations.py``.
"""

from __future__ import annotations

import sqlite3
import time

# (number, name, SQL). Times are UTC seconds since the epoch; ids are UUID4 hex strings.
MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "generations and attempts",
        """
        CREATE TABLE generations (
            id TEXT PRIMARY KEY,
            created REAL NOT NULL,
            workspace TEXT NOT NULL,          -- the workspace root, as a path
            file TEXT,                        -- relative to the workspace
            task TEXT NOT NULL,
            operation TEXT,                   -- the matched operationId (spec-first), or the hint given
            strategy TEXT NOT NULL,           -- spec | llm | reference
            target TEXT,
            provider TEXT,
            model TEXT,
            surface TEXT NOT NULL,            -- cli | editor | eval
            code TEXT NOT NULL,               -- the final code, secrets masked
            passed INTEGER NOT NULL,          -- 1: no failing finding on the final code
            findings TEXT NOT NULL,           -- JSON list of the final code's findings
            prompt_tokens INTEGER,
            prompt_sections TEXT,             -- JSON {section: tokens}
            cost_usd REAL,                    -- NULL: a model of unknown price
            seconds REAL NOT NULL,
            outcome TEXT NOT NULL DEFAULT 'offered',  -- offered | applied | rejected
            outcome_at REAL,
            inserted_lines TEXT               -- JSON list of the lines inserted when applied
        );
        CREATE INDEX generations_created ON generations (created);
        CREATE INDEX generations_workspace_file ON generations (workspace, file);
        CREATE TABLE attempts (
            generation TEXT NOT NULL REFERENCES generations (id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            provider TEXT,
            model TEXT,
            prompt_hash TEXT,                 -- sha256 of the whole conversation sent
            answer TEXT,                      -- the model's answer, secrets masked
            findings TEXT NOT NULL,           -- JSON
            cause TEXT,                       -- the root cause of a failure
            error TEXT,
            typecheck TEXT,
            input_tokens INTEGER,
            output_tokens INTEGER,
            cost_usd REAL,
            seconds REAL,
            PRIMARY KEY (generation, number)
        );
        CREATE TABLE survival (
            generation TEXT NOT NULL REFERENCES generations (id) ON DELETE CASCADE,
            at REAL NOT NULL,
            event TEXT NOT NULL,              -- save | close | index | commit
            share REAL NOT NULL,              -- inserted lines still present (edited ones count half)
            PRIMARY KEY (generation, at, event)
        );
        CREATE TABLE feedback (
            generation TEXT NOT NULL REFERENCES generations (id) ON DELETE CASCADE,
            at REAL NOT NULL,
            vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
            note TEXT
        );
        """,
    ),
    (
        2,
        "the git commit a generation was applied on",
        """
        ALTER TABLE generations ADD COLUMN applied_on TEXT;  -- HEAD when applied: its first commit comes after
        """,
    ),
    (
        3,
        "the knowledge base: full-text search, facts, what each generation's prompt used",
        """
        CREATE VIRTUAL TABLE generation_text USING fts5(id UNINDEXED, task, code, tokenize = 'unicode61');
        INSERT INTO generation_text (id, task, code) SELECT id, task, code FROM generations;
        ALTER TABLE generations ADD COLUMN knowledge TEXT;  -- JSON: the patterns and facts its prompt used
        ALTER TABLE generations ADD COLUMN pattern_misses INTEGER NOT NULL DEFAULT 0;  -- found stale
        CREATE TABLE facts (
            id TEXT PRIMARY KEY,
            workspace TEXT NOT NULL,
            kind TEXT NOT NULL,               -- not_installed | not_exported | unresolved | unknown_api | unknown_endpoint
            subject TEXT NOT NULL,            -- the package, module#name, path or API the fact is about
            model TEXT NOT NULL DEFAULT '',   -- '' for the project; a model for its own pitfall
            text TEXT NOT NULL,
            citation TEXT,                    -- the file (relative) that shows it
            seen INTEGER NOT NULL DEFAULT 1,
            first_seen REAL NOT NULL,
            last_seen REAL NOT NULL,
            last_used REAL,
            UNIQUE (workspace, kind, subject, model)
        );
        """,
    ),
    (
        4,
        "ensembles: which candidate each attempt belongs to, and which one was kept",
        """
        ALTER TABLE attempts ADD COLUMN candidate INTEGER;  -- 1-based within its ensemble; NULL: no ensemble
        ALTER TABLE generations ADD COLUMN selected INTEGER;  -- the candidate kept; NULL: no ensemble
        """,
    ),
]


class SchemaError(Exception):
    """The database was written by a newer Free Agent (a migration this one does not know)."""


def applied(conn: sqlite3.Connection) -> list[int]:
    conn.execute("CREATE TABLE IF NOT EXISTS _migrations (number INTEGER PRIMARY KEY, name TEXT, applied REAL)")
    return [row[0] for row in conn.execute("SELECT number FROM _migrations ORDER BY number")]


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply the migrations the database lacks; the numbers applied now."""
    done = applied(conn)
    known = {number for number, _, _ in MIGRATIONS}
    newer = [n for n in done if n not in known]
    if newer:
        raise SchemaError(
            f"the outcome store was written by a newer Free Agent (migration {max(newer)}; this one knows up to "
            f"{max(known)}): upgrade, or point store.path at another file"
        )
    now = []
    for number, name, sql in MIGRATIONS:
        if number in done:
            continue
        # one explicit transaction (the connection is in autocommit mode, and sqlite3 would not
        # open one before DDL): a migration is applied whole or not at all
        conn.execute("BEGIN IMMEDIATE")
        try:
            if number in applied(conn):  # another process applied it while this one waited
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO _migrations VALUES (?, ?, ?)", (number, name, time.time()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        now.append(number)
    return now


def _statements(sql: str) -> list[str]:
    """The script's statements (``executescript`` would commit on its own, outside the transaction)."""
    out, current = [], ""
    for line in sql.splitlines():
        current += line.split("--", 1)[0] + "\n"
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return [s for s in out if s]

"""The outcome store on SQLite: one file per workspace, WAL, the numbered migrations.

Every write is one short transaction (a generation and its attempts together, or nothing), with a
busy timeout so a CLI run and the server writing at once wait for each other instead of failing.
A database that cannot be opened, is locked past the timeout or was written by a newer version
raises :class:`StoreError` with a message naming the file — the callers turn it into one warning
and go on without a store (generation never waits on it).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path

from .migrations import SchemaError, migrate
from .records import OUTCOMES, SURVIVAL_EVENTS, AttemptRecord, FactRecord, GenerationRecord


class StoreError(Exception):
    """The store could not do what was asked: the message says which file and why."""


class SqliteStore:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()  # one connection, shared by the server's threads
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(str(path), timeout=5.0, check_same_thread=False, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA busy_timeout=5000")
            # WAL + NORMAL: a commit is an append to the log, no fsync per write (durable but for
            # a power cut, never corrupt): a recording costs well under a millisecond
            self._conn.execute("PRAGMA synchronous=NORMAL")
            migrate(self._conn)
        except (sqlite3.Error, OSError, SchemaError) as exc:
            raise StoreError(f"the outcome store {path} cannot be opened: {exc}") from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # ------------------------------------------------------------------ writes

    def record(self, rec: GenerationRecord) -> str:
        """Store a generation with its attempts; its id."""
        rec.id = rec.id or uuid.uuid4().hex
        rec.created = rec.created or time.time()
        row = (
            rec.id,
            rec.created,
            rec.workspace,
            rec.file,
            rec.task,
            rec.operation,
            rec.strategy,
            rec.target,
            rec.provider,
            rec.model,
            rec.surface,
            rec.code,
            int(rec.passed),
            json.dumps(rec.findings),
            rec.prompt_tokens,
            json.dumps(rec.prompt_sections),
            rec.cost_usd,
            rec.seconds,
            rec.outcome,
            json.dumps(rec.knowledge),
            rec.selected,
        )
        attempts = [
            (
                rec.id,
                a.number,
                a.provider,
                a.model,
                a.prompt_hash,
                a.answer,
                json.dumps(a.findings),
                a.cause,
                a.error,
                a.typecheck,
                a.input_tokens,
                a.output_tokens,
                a.cost_usd,
                a.seconds,
                a.candidate,
            )
            for a in rec.attempts
        ]
        self._write(
            [
                (
                    "INSERT INTO generations (id, created, workspace, file, task, operation, strategy, target, provider,"
                    " model, surface, code, passed, findings, prompt_tokens, prompt_sections, cost_usd, seconds, outcome,"
                    " knowledge, selected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [row],
                ),
                ("INSERT INTO generation_text (id, task, code) VALUES (?, ?, ?)", [(rec.id, rec.task, rec.code)]),
                (
                    "INSERT INTO attempts (generation, number, provider, model, prompt_hash, answer, findings, cause,"
                    " error, typecheck, input_tokens, output_tokens, cost_usd, seconds, candidate)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    attempts,
                ),
            ]
        )
        return rec.id

    def set_outcome(
        self, generation: str, outcome: str, inserted_lines: list[str] | None = None, applied_on: str | None = None
    ) -> bool:
        """offered → applied | rejected (the last word wins); ``applied_on``: the git HEAD then.
        False when there is no such generation."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
        lines = json.dumps(inserted_lines) if inserted_lines is not None else None
        return self._update(
            "UPDATE generations SET outcome = ?, outcome_at = ?, inserted_lines = COALESCE(?, inserted_lines),"
            " applied_on = COALESCE(?, applied_on) WHERE id = ?",
            (outcome, time.time(), lines, applied_on, generation),
        )

    def add_survival(self, generation: str, event: str, share: float) -> bool:
        if event not in SURVIVAL_EVENTS:
            raise ValueError(f"event must be one of {', '.join(SURVIVAL_EVENTS)}")
        if not self._exists(generation):
            return False
        self._write(
            [("INSERT OR REPLACE INTO survival VALUES (?, ?, ?, ?)", [(generation, time.time(), event, share)])]
        )
        return True

    def add_feedback(self, generation: str, vote: str, note: str | None = None) -> bool:
        if vote not in ("up", "down"):
            raise ValueError("vote must be 'up' or 'down'")
        if not self._exists(generation):
            return False
        self._write([("INSERT INTO feedback VALUES (?, ?, ?, ?)", [(generation, time.time(), vote, note)])])
        return True

    def forget(self, generation: str | None = None) -> int:
        """Delete one generation (with its attempts, survival and feedback), or every one; how many."""
        with self._lock:
            try:
                with self._transaction():
                    if generation is None:
                        self._conn.execute("DELETE FROM generation_text")
                        return self._conn.execute("DELETE FROM generations").rowcount
                    self._conn.execute("DELETE FROM generation_text WHERE id = ?", (generation,))
                    return self._conn.execute("DELETE FROM generations WHERE id = ?", (generation,)).rowcount
            except sqlite3.Error as exc:
                raise StoreError(f"the outcome store {self.path}: {exc}") from None

    # ------------------------------------------------------------------ reads

    def get(self, generation: str) -> GenerationRecord | None:
        """A generation by id (a unique prefix of at least 6 characters will do)."""
        with self._lock:
            rows = self._query(
                "SELECT * FROM generations WHERE id = ? OR (length(?) >= 6 AND id LIKE ? || '%') LIMIT 2",
                (generation, generation, generation),
            )
            if len(rows) != 1:
                return None
            rec = self._generation(rows[0])
            for a in self._query("SELECT * FROM attempts WHERE generation = ? ORDER BY number", (rec.id,)):
                rec.attempts.append(
                    AttemptRecord(
                        a["number"],
                        a["provider"],
                        a["model"],
                        a["prompt_hash"],
                        a["answer"],
                        json.loads(a["findings"]),
                        a["cause"],
                        a["error"],
                        a["typecheck"],
                        a["input_tokens"],
                        a["output_tokens"],
                        a["cost_usd"],
                        a["seconds"],
                        a["candidate"],
                    )
                )
            rec.survival = [
                (r["at"], r["event"], r["share"])
                for r in self._query("SELECT * FROM survival WHERE generation = ? ORDER BY at", (rec.id,))
            ]
            rec.feedback = [
                (r["at"], r["vote"], r["note"])
                for r in self._query("SELECT * FROM feedback WHERE generation = ? ORDER BY at", (rec.id,))
            ]
            return rec

    def recent(self, limit: int = 50, since: float | None = None) -> list[GenerationRecord]:
        """The newest generations first (without their attempts)."""
        with self._lock:
            rows = self._query(
                "SELECT * FROM generations WHERE created >= ? ORDER BY created DESC LIMIT ?", (since or 0.0, limit)
            )
            return [self._generation(r) for r in rows]

    def applied(self, workspace: str, file: str | None, since: float) -> list[GenerationRecord]:
        """The generations applied in ``workspace`` (to ``file``, when given) since ``since``,
        with their survival rows."""
        with self._lock:
            sql = "SELECT * FROM generations WHERE outcome = 'applied' AND workspace = ? AND created >= ?"
            args: tuple = (workspace, since)
            if file is not None:
                sql += " AND file = ?"
                args += (file,)
            out = [self._generation(r) for r in self._query(sql + " ORDER BY created", args)]
            for rec in out:
                rec.survival = [
                    (r["at"], r["event"], r["share"])
                    for r in self._query("SELECT * FROM survival WHERE generation = ? ORDER BY at", (rec.id,))
                ]
            return out

    # ------------------------------------------------------------------ the knowledge base's

    def search_patterns(self, workspace: str, words: list[str], limit: int = 8) -> list[GenerationRecord]:
        """Applied generations of ``workspace`` that passed their checks and survived (≥ 80 % of
        their lines a day after being applied, or at their commit), not found stale 3 times,
        ranked by BM25 over their task and code against ``words`` (any of them)."""
        terms = [w for w in dict.fromkeys(words) if w]
        if not terms:
            return []
        quoted = ['"' + w.replace('"', '""') + '"' for w in terms]
        with self._lock:
            # FTS5 ranks alone (joined, every match would be scored first): the documents with all
            # the words, then — when they are too few — with any; the best-ranked are then
            # filtered to the patterns. Every match is scored, so the narrow query goes first.
            ranked: list[str] = []
            for match in (" AND ".join(quoted), " OR ".join(quoted)) if len(quoted) > 1 else (quoted[0],):
                for r in self._query(
                    "SELECT id FROM generation_text WHERE generation_text MATCH ? ORDER BY rank LIMIT ?",
                    (match, max(limit * 25, 100)),
                ):
                    if r["id"] not in ranked:
                        ranked.append(r["id"])
                if len(ranked) >= limit * 4:
                    break
            if not ranked:
                return []
            marks = ",".join("?" * len(ranked))
            # `+g.workspace`: look the ids up by primary key (on the workspace index SQLite would
            # walk every generation of the workspace: 11 ms at 10,000)
            rows = self._query(
                f"SELECT g.* FROM generations g WHERE g.id IN ({marks}) AND +g.workspace = ? AND {self._PATTERN}",
                (*ranked, workspace),
            )
            order = {gid: n for n, gid in enumerate(ranked)}
            rows.sort(key=lambda r: order[r["id"]])
            return [self._generation(r) for r in rows[:limit]]

    _PATTERN = (
        "g.outcome = 'applied' AND g.passed = 1 AND g.pattern_misses < 3 AND EXISTS (SELECT 1 FROM survival s"
        " WHERE s.generation = g.id AND s.share >= 0.8 AND (s.event IN ('commit', 'graded') OR s.at - g.outcome_at >= 86400))"
    )

    def patterns(self, workspace: str, limit: int = 200) -> list[GenerationRecord]:
        """The generations the knowledge base offers as patterns, newest first."""
        with self._lock:
            rows = self._query(
                f"SELECT g.* FROM generations g WHERE g.workspace = ? AND {self._PATTERN} ORDER BY g.created DESC LIMIT ?",
                (workspace, limit),
            )
            return [self._generation(r) for r in rows]

    def forget_pattern(self, generation: str) -> bool:
        """Never offer this generation as a pattern again (its record stays)."""
        return self._update("UPDATE generations SET pattern_misses = 99 WHERE id = ?", (generation,))

    def summary(self, workspace: str, since: float = 0.0) -> list[dict]:
        """One row per generation since ``since`` for the statistics: strategy, model, created,
        outcome, passed, cost, whether an attempt invented something, its latest survival."""
        with self._lock:
            rows = self._query(
                "SELECT g.strategy, g.model, g.created, g.outcome, g.passed, g.cost_usd, g.surface, g.selected,"
                " (SELECT json_group_array(DISTINCT a.model) FROM attempts a WHERE a.generation = g.id"
                " AND a.candidate IS NOT NULL) AS entrants,"
                " EXISTS (SELECT 1 FROM attempts a WHERE a.generation = g.id AND a.cause LIKE 'hallucinated%')"
                " AS hallucinated, (SELECT s.share FROM survival s WHERE s.generation = g.id ORDER BY s.at DESC"
                " LIMIT 1) AS share FROM generations g WHERE g.workspace = ? AND g.created >= ? ORDER BY g.created",
                (workspace, since),
            )
            return [dict(r) for r in rows]

    def pattern_missed(self, generation: str) -> None:
        """The pattern was found stale (an import or a name it uses is gone): after 3, never again."""
        self._update("UPDATE generations SET pattern_misses = pattern_misses + 1 WHERE id = ?", (generation,))

    def add_fact(self, fact: FactRecord) -> str:
        """Record a fact, or count it again (seen + 1, its text and citation refreshed); its id."""
        now = time.time()
        fact.id = fact.id or uuid.uuid4().hex
        self._write(
            [
                (
                    "INSERT INTO facts (id, workspace, kind, subject, model, text, citation, seen, first_seen, last_seen)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (workspace, kind, subject, model) DO UPDATE"
                    " SET seen = seen + 1, last_seen = excluded.last_seen, text = excluded.text,"
                    " citation = excluded.citation",
                    [
                        (
                            fact.id,
                            fact.workspace,
                            fact.kind,
                            fact.subject,
                            fact.model,
                            fact.text,
                            fact.citation,
                            now,
                            now,
                        )
                    ],
                )
            ]
        )
        with self._lock:
            row = self._query(
                "SELECT id FROM facts WHERE workspace = ? AND kind = ? AND subject = ? AND model = ?",
                (fact.workspace, fact.kind, fact.subject, fact.model),
            )
        return row[0]["id"] if row else fact.id

    def facts(self, workspace: str) -> list[FactRecord]:
        """The workspace's facts, the most often seen first."""
        with self._lock:
            rows = self._query(
                "SELECT * FROM facts WHERE workspace = ? ORDER BY seen DESC, last_seen DESC", (workspace,)
            )
        return [
            FactRecord(
                r["workspace"],
                r["kind"],
                r["subject"],
                r["text"],
                r["model"],
                r["citation"],
                r["id"],
                r["seen"],
                r["first_seen"],
                r["last_seen"],
                r["last_used"],
            )
            for r in rows
        ]

    def use_facts(self, ids: list[str]) -> None:
        if ids:
            now = time.time()
            self._write([("UPDATE facts SET last_used = ? WHERE id = ?", [(now, i) for i in ids])])

    def drop_facts(self, ids: list[str]) -> None:
        if ids:
            self._write([("DELETE FROM facts WHERE id = ?", [(i,) for i in ids])])

    def count(self) -> int:
        with self._lock:
            return self._query("SELECT count(*) AS n FROM generations", ())[0]["n"]

    # ------------------------------------------------------------------ plumbing

    def _generation(self, r: sqlite3.Row) -> GenerationRecord:
        return GenerationRecord(
            workspace=r["workspace"],
            task=r["task"],
            strategy=r["strategy"],
            code=r["code"],
            surface=r["surface"],
            file=r["file"],
            operation=r["operation"],
            target=r["target"],
            provider=r["provider"],
            model=r["model"],
            passed=bool(r["passed"]),
            findings=json.loads(r["findings"]),
            prompt_tokens=r["prompt_tokens"],
            prompt_sections=json.loads(r["prompt_sections"] or "{}"),
            cost_usd=r["cost_usd"],
            seconds=r["seconds"],
            id=r["id"],
            created=r["created"],
            outcome=r["outcome"],
            outcome_at=r["outcome_at"],
            inserted_lines=json.loads(r["inserted_lines"] or "[]"),
            applied_on=r["applied_on"],
            knowledge=json.loads(r["knowledge"] or "[]"),
            selected=r["selected"],
        )

    def _query(self, sql: str, args: tuple) -> list[sqlite3.Row]:
        try:
            cursor = self._conn.execute(sql, args)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"the outcome store {self.path}: {exc}") from None

    def _exists(self, generation: str) -> bool:
        with self._lock:
            return bool(self._query("SELECT 1 FROM generations WHERE id = ?", (generation,)))

    def _update(self, sql: str, args: tuple) -> bool:
        with self._lock:
            try:
                with self._transaction():
                    return self._conn.execute(sql, args).rowcount > 0
            except sqlite3.Error as exc:
                raise StoreError(f"the outcome store {self.path}: {exc}") from None

    def _write(self, statements: list[tuple[str, list[tuple]]]) -> None:
        with self._lock:
            try:
                with self._transaction():
                    for sql, rows in statements:
                        if rows:
                            self._conn.executemany(sql, rows)
            except sqlite3.Error as exc:
                raise StoreError(f"the outcome store {self.path}: {exc}") from None

    def _transaction(self):
        return _Transaction(self._conn)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on an error): a writer takes the lock up front, so two
    processes never both read and then fail to upgrade."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind, value, tb):
        self.conn.execute("ROLLBACK" if kind is not None else "COMMIT")
        return False

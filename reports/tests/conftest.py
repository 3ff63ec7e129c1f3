"""Report fixtures: files in a temporary media folder, PDF text, and a real Celery worker for worker tests."""

import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from conftest import _require

BASE_DIR = Path(django_settings.BASE_DIR)
WORKER_READY_TIMEOUT = 60


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Write report files under a temporary folder, never into the project's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def pdf_text(data: bytes) -> str:
    """Return the text pypdf extracts from a PDF."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def thai_key(text: str) -> str:
    """Reduce Thai text to what survives PDF text extraction, for comparing extracted text with expected text.

    A PDF maps each glyph to one piece of text. HarfBuzz draws SARA AM (ำ) as NIKHAHIT + SARA AA and may
    stack a tone mark in between, so extractors that read only that map (pypdf) give back "า" for "ำ" and can
    drop the marks above the line; spaces and line breaks move with the layout. The letters on the line are
    kept exactly. (pdftotext reads each line's /ActualText instead and gets the text exactly; see test_services.)
    """
    text = text.replace("\u0e33", "\u0e32")
    text = "".join(c for c in text if not ("\u0e47" <= c <= "\u0e4e") and not unicodedata.category(c).startswith("Z"))
    return re.sub(r"\s+", "", text)


def pdf_pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


class Worker:
    """A `celery -A codi_plans worker` subprocess on Redis, against the test database, on a private queue."""

    def __init__(self, *, queue: str, media_root: str, env: dict, log_dir: Path):
        self.queue = queue
        self.media_root = media_root
        self.extra_env = env
        self.log_dir = log_dir
        self.process = None
        self.starts = 0

    def _env(self) -> dict:
        db = connection.settings_dict
        user = db.get("USER") or ""
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or "5432"
        auth = f"{user}{password}@" if user else ""
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{auth}{host}:{port}/{db['NAME']}",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "worker-test"),
            "DJANGO_DEBUG": "True",
            "DJANGO_MEDIA_ROOT": self.media_root,
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        return env

    def start(self) -> None:
        self.starts += 1
        log_path = self.log_dir / f"worker-{self.starts}.log"
        self.log = open(log_path, "w")  # noqa: SIM115  (closed in stop)
        self.log_path = log_path
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "codi_plans",
                "worker",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{self.starts}@%h",
                "--concurrency=1",
                "--prefetch-multiplier=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=self._env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + WORKER_READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited: {log_path.read_text()[-3000:]}")
            if " ready." in log_path.read_text():
                return
            time.sleep(0.2)
        raise RuntimeError(f"the worker did not get ready: {log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        """Kill the worker and its pool children at once, as a crash or `kill -9` would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
        self.log.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None
        if not self.log.closed:
            self.log.close()

    def logs(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.log_dir.glob("worker-*.log")))


@pytest.fixture
def celery_worker_factory(request, settings, tmp_path):
    """Start real Celery workers on Redis against this test's database (PostgreSQL, committed data).

    Skipped locally without REDIS_URL or PostgreSQL, failed in CI. Tests using it must be marked
    `celery_worker` and `django_db(transaction=True)` so the worker sees their rows.
    """
    _require(bool(os.environ.get("REDIS_URL")), "needs Redis (set REDIS_URL)")
    _require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL): the worker is another process")
    from codi_plans.celery import app

    queue = f"reports-test-{uuid.uuid4().hex[:10]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    workers = []

    def make(**env) -> Worker:
        worker = Worker(queue=queue, media_root=settings.MEDIA_ROOT, env=env, log_dir=tmp_path)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()
    app.conf.task_default_queue = previous

"""`report-qa serve` wiring: loopback by default, a warning for all interfaces, first start ingests."""

from __future__ import annotations

import argparse
import logging
from types import SimpleNamespace

import pytest

import ui.app
from ui import cli as serve_cli


class FakeDemo:
    def __init__(self) -> None:
        self.blocked = self.closed = False

    def block_thread(self) -> None:
        self.blocked = True

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def served(monkeypatch, tmp_path):
    """Runs `serve` with the assistant, page and launch replaced; returns what each was given."""
    from assistant.core import Assistant

    seen: dict = {}
    fake_assistant = SimpleNamespace(ensure_corpus=lambda progress: seen.setdefault("ingested", True))
    monkeypatch.setattr(Assistant, "from_settings", classmethod(lambda cls, settings: fake_assistant))
    monkeypatch.setattr(ui.app, "build_app", lambda a, s, o: seen.setdefault("demo", FakeDemo()))
    monkeypatch.setattr(ui.app, "launch", lambda demo, host, port, chunks, max_upload_bytes=None: seen.update(host=host, port=port))

    def run(*argv: str) -> dict:
        parser = argparse.ArgumentParser()
        parser.add_argument("--data-dir")
        serve_cli.register(parser.add_subparsers())
        args = parser.parse_args(["--data-dir", str(tmp_path), "serve", *argv])
        seen["code"] = args.func(args)
        return seen

    return run


def test_serve_binds_loopback_by_default_and_prints_the_url(served, capsys):
    seen = served()

    assert (seen["code"], seen["host"], seen["port"]) == (0, "127.0.0.1", 7860)
    assert seen["ingested"] and seen["demo"].blocked and seen["demo"].closed
    assert "http://127.0.0.1:7860/" in capsys.readouterr().out


def test_serving_all_interfaces_needs_the_explicit_host_and_logs_a_warning(served, caplog):
    with caplog.at_level(logging.WARNING, logger="ui.cli"):
        seen = served("--host", "0.0.0.0", "--port", "8080")

    assert (seen["host"], seen["port"]) == ("0.0.0.0", 8080)
    assert "binding all interfaces" in caplog.text


def test_a_busy_port_is_one_clear_line_that_suggests_another_and_nothing_is_started(served, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        seen = served("--port", str(port))

    err = capsys.readouterr().err
    assert seen["code"] == 2 and "demo" not in seen and "ingested" not in seen
    assert err.strip().count("\n") == 0 and f"端口 {port} 已被占用" in err and "--port" in err
    assert "Traceback" not in err


def test_serve_rejects_a_zero_rate_limit(served):
    with pytest.raises(SystemExit):
        served("--rate-limit", "0")

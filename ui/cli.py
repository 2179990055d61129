"""`report-qa serve`: the web chat desk on http://HOST:PORT (loopback unless told otherwise)."""

from __future__ import annotations

import argparse
import errno
import logging
import socket
import sys
from pathlib import Path

from ui.desk import DeskOptions

log = logging.getLogger(__name__)
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
_ALL_INTERFACES = {"0.0.0.0", "::", "[::]"}


def register(sub) -> None:
    defaults = DeskOptions()
    p = sub.add_parser("serve", help="start the web chat (网页问答) on 127.0.0.1:7860")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help="interface to bind (default 127.0.0.1; 0.0.0.0 exposes the desk to the network)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 7860)")
    # SUPPRESS: `report-qa --data-dir X serve` must keep X rather than get this option's default.
    p.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                   help="where the store lives (REPORT_QA_DATA_DIR)")
    # Defaults come from the settings (REPORT_QA_RATE_LIMIT_PER_MINUTE, …_QUEUE_SIZE, …_CONCURRENCY).
    p.add_argument("--rate-limit", type=_positive, default=None,
                   help=f"questions per minute per client IP (default {defaults.rate_limit_per_minute})")
    p.add_argument("--queue-size", type=_positive, default=None,
                   help=f"waiting requests before new ones are refused (default {defaults.queue_size})")
    p.add_argument("--concurrency", type=_positive, default=None,
                   help=f"questions answered at the same time (default {defaults.concurrency})")
    p.set_defaults(func=_cmd_serve)


def _cmd_serve(args) -> int:
    from assistant import Assistant
    from assistant.settings import settings_from
    from ui.app import build_app, launch

    if args.host in _ALL_INTERFACES:
        log.warning("binding all interfaces (%s): the desk is reachable from other machines; "
                    "put it behind a proxy with TLS and access control", args.host)
    if not port_free(args.host, args.port):  # before the slow start, and without Gradio's traceback
        print(busy_port_message(args.port), file=sys.stderr)
        return 2
    settings = settings_from(args)
    assistant = Assistant.from_settings(settings)
    if assistant.ensure_corpus(progress=sys.stderr.isatty()) is not None:
        print(f"首次启动：已导入 {settings.corpus_dir} 中的报告。 (First start: ingested the bundled report.)",
              flush=True)
    options = DeskOptions(rate_limit_per_minute=args.rate_limit or settings.rate_limit_per_minute,
                          queue_size=args.queue_size or settings.queue_size,
                          concurrency=args.concurrency or settings.concurrency,
                          max_history_turns=settings.max_history_turns, max_history_chars=settings.max_history_chars)
    demo = build_app(assistant, settings, options)
    try:
        launch(demo, args.host, args.port, lambda: assistant.retriever.chunks,
               settings.upload_max_bytes if settings.admin_token else None)
    except OSError:  # taken between the check and the start
        print(busy_port_message(args.port), file=sys.stderr)
        return 2
    host = f"[{args.host}]" if ":" in args.host and not args.host.startswith("[") else args.host
    print(f"问答助手已启动 Serving on http://{host}:{args.port}/  (Ctrl+C 退出 to stop)", flush=True)
    try:
        demo.block_thread()
    finally:
        demo.close()
    return 0


def port_free(host: str, port: int) -> bool:
    """Whether `port` on `host` can be bound now (a server already listening there makes it False)."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            return exc.errno not in (errno.EADDRINUSE, errno.EACCES)
    return True


def busy_port_message(port: int) -> str:
    return (f"端口 {port} 已被占用，请用 --port 换一个端口，例如 report-qa serve --port {port + 1}"
            f"  (port {port} is in use: choose another with --port)")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value

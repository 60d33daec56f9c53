"""Launch the web UI (``python app.py``): the one entry point, besides the CLI, that reads the environment."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import tempfile
from pathlib import Path

log = logging.getLogger("assistant.app")


def _stop(signum, frame):
    raise KeyboardInterrupt  # SIGTERM stops the server as Ctrl-C does, so temporary files are removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="在宅療養 予算アシスタントの Web UI を起動します。")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="another host name the server is reached by (the Host header); repeatable")
    parser.add_argument("--share", action="store_true", help="also open a public gradio.live link (off by default)")
    parser.add_argument("--root", help="project checkout with corpus/ (default: this one)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)

    # Before gradio or huggingface_hub are imported: no telemetry, no version check, no hub lookups.
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"

    from assistant.settings import Settings, project_root

    settings = Settings.for_root(Path(args.root) if args.root else project_root())
    try:
        from assistant.opening import open_assistant

        opened = open_assistant(settings, log.warning, progress=True)
    except Exception as error:  # any failure: one line, no traceback
        print(f"error: could not load the assistant from {settings.corpus_dir.parent}: {error}", file=sys.stderr)
        return 1
    from assistant.ui import build_app, serve

    signal.signal(signal.SIGTERM, _stop)
    with tempfile.TemporaryDirectory(prefix="assistant-csv-") as csv_dir:
        try:
            demo = build_app(opened.assistant, settings.data_dir, Path(csv_dir), opened.failed)
            serve(demo, args.host, args.port, args.share, allow_hosts=tuple(args.allow_host))
        except OSError as error:
            print(f"error: could not start the server on {args.host}:{args.port}: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load benchmark: many clients asking through the web app's /ask API at once (not a test: it reports).

    .venv/bin/python bench/load.py [--clients 16] [--questions 200] [--rounds 2]

Serves the app on a free 127.0.0.1 port over this checkout's corpus, answers each question
once sequentially for reference, then runs the clients concurrently and reports errors,
answers that differ from the sequential ones, throughput, latency and the server's memory.
Only loopback traffic; every loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import resource
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    from gradio_client import Client

    from assistant.assistant import Assistant
    from assistant.settings import Settings
    from assistant.ui import build_app, serve

    assistant = Assistant.load(Settings.for_root(ROOT))
    lines = (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines[: args.questions]]
    expected = {q: assistant.ask(q).text for q in questions}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = build_app(assistant, ROOT / "data" / "bench")
    serve(demo, "127.0.0.1", port, block=False)
    base = f"http://127.0.0.1:{port}/"
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    errors, differ, latencies = [], [], []
    lock = threading.Lock()

    def client_run(n: int) -> None:
        client = Client(base, verbose=False)
        order = questions[n:] + questions[:n]
        for _ in range(args.rounds):
            for q in order:
                started = time.perf_counter()
                try:
                    reply = client.predict(q, "最新", api_name="/ask")
                except Exception as exc:  # noqa: BLE001 (counted and reported)
                    with lock:
                        errors.append(repr(exc)[:200])
                    continue
                with lock:
                    latencies.append(time.perf_counter() - started)
                    if reply["answer"] != expected[q]:
                        differ.append(q)

    started = time.perf_counter()
    threads = [threading.Thread(target=client_run, args=(n * 7 % max(1, len(questions)),)) for n in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=3600)
    seconds = time.perf_counter() - started
    demo.close()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    latencies.sort()
    total = args.clients * args.questions * args.rounds
    print(f"{args.clients} clients x {args.questions} questions x {args.rounds} rounds = {total} requests in {seconds:.1f} s "
          f"({total / seconds:.1f}/s)")
    print(f"errors {len(errors)}, answers differing from sequential {len(differ)}, "
          f"unfinished clients {sum(t.is_alive() for t in threads)}")
    if latencies:
        print(f"latency median {statistics.median(latencies) * 1000:.0f} ms, "
              f"p95 {latencies[int(0.95 * (len(latencies) - 1))] * 1000:.0f} ms")
    print(f"server process max RSS {rss_before / 1024:.0f} MB before, {rss_after / 1024:.0f} MB after")
    for e in errors[:5]:
        print("  error:", e)
    return 1 if errors or differ else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``seq2seq serve`` under load: sentences/s with 1 client and with 8 concurrent clients, side by
side in one run, each client sending one dev sentence per request (greedy) on loopback.

Micro-batching is what makes 8 clients faster in total: their requests arrive together and are
decoded in one batch. Prints p50/p99 latency and the decode calls made. Run from the repository
root:

    .venv/bin/python bench/serve.py [--checkpoint DIR] [--requests 200]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "tatoeba-en-pt" / "dev.tsv"


def post(port: int, text: str) -> float:
    """Seconds for one POST /translate of ``text``."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("POST", "/translate", json.dumps({"text": text, "beam": 1}).encode(),
                       {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 200
    return time.perf_counter() - started


def load(port: int, sentences: list[str], clients: int) -> tuple[float, list[float]]:
    """(wall seconds, latencies) for ``clients`` clients sending ``sentences`` between them."""
    shares = [sentences[i::clients] for i in range(clients)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = [t for share in pool.map(lambda s: [post(port, x) for x in s], shares)
                     for t in share]
    return time.perf_counter() - started, sorted(latencies)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint", default=str(ROOT / "checkpoints" / "default"))
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    from seq2seq.data import read_corpus
    from seq2seq.evaluation import group_references
    from seq2seq.server import make_server
    from seq2seq.translator import Translator

    sources, _ = group_references(read_corpus(DEV).pairs)
    sentences = sources[: args.requests]
    server, batcher = make_server(Translator.load(args.checkpoint), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    load(port, sentences[:16], 8)  # warm-up: tracing of the batch shapes
    print(f"{len(sentences)} dev sentences, one per request, greedy, {args.checkpoint}\n")
    print("| clients | sentences/s | p50 | p99 | decode calls |")
    print("| --- | --- | --- | --- | --- |")
    for clients in (1, 8):
        before = batcher.batches
        seconds, latencies = load(port, sentences, clients)
        p99 = latencies[max(0, int(0.99 * len(latencies)) - 1)]
        print(f"| {clients} | {len(sentences) / seconds:.1f} | "
              f"{1000 * statistics.median(latencies):.0f} ms | {1000 * p99:.0f} ms | "
              f"{batcher.batches - before} |", flush=True)
    server.shutdown()
    batcher.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

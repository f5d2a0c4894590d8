"""``seq2seq serve``: translation over HTTP (JSON) and one web page, for several clients at once.

The standard library's ``ThreadingHTTPServer`` is enough here and adds no dependency: the
server has three routes, no files to serve but its own page, and its real work, decoding, runs
on one thread anyway (TensorFlow models are not shared between threads here). Each connection
gets a thread that parses and checks its request; the sentences of requests that arrive together
are then decoded together in one batch by the single decoding thread (micro-batching), which
is where the throughput comes from.

    GET  /            the page: a text box, beam and n-best controls, results with scores and
                      the attention heatmap of the best hypothesis (drawn by the browser, SVG)
    GET  /health      {"status": "ok", ...}
    POST /translate   {"text": "..." or ["...", ...], "beam": 1-16 (see below), "n_best": 1-beam,
                       "attention": false} -> {"translations": [{"source", "translation",
                       "n_best": [{"text", "score"}], "attention"?}]}

The default beam is ``config.DEFAULT_BEAM``; translations follow ``Translator.translate``'s
decoding rules (no repeated 8 characters; with one best output, long inputs in pieces). A bad
request gets a 4xx answer with {"error": "..."}, never a traceback, and the server goes on.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .config import DEFAULT_BEAM

MAX_BODY = 64 * 1024  # bytes of one request
MAX_SENTENCES = 32  # sentences of one request
MAX_CHARACTERS = 1000  # characters of one sentence
MAX_BEAM = 16
FIELDS = {"text", "beam", "n_best", "attention"}
PAGE = Path(__file__).resolve().parent / "server_page.html"


class RequestError(ValueError):
    """What is wrong with a request, with the HTTP status to answer."""

    def __init__(self, message: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST):
        super().__init__(message)
        self.status = status


@dataclass
class Job:
    """One request's sentences and settings, and the future its answer is set on."""

    texts: list[str]
    beam: int
    n_best: int
    attention: bool
    future: Future = field(default_factory=Future)


def parse_request(body: bytes) -> Job:
    """The Job of a POST /translate body, or RequestError saying what is wrong with it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RequestError(f"the body is not UTF-8 (byte {error.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RequestError(f"the body is not valid JSON ({error.msg} at line {error.lineno} "
                           f"column {error.colno})") from None
    if not isinstance(data, dict):
        raise RequestError("the body must be a JSON object with a 'text' field")
    if unknown := sorted(set(data) - FIELDS):
        raise RequestError(f"unknown field(s) {', '.join(map(repr, unknown))}; the fields are "
                           f"{', '.join(sorted(FIELDS))}")
    if "text" not in data:
        raise RequestError("missing field 'text': a sentence or a list of sentences")
    texts = data["text"]
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise RequestError("'text' must be a string or a list of strings")
    if not 1 <= len(texts) <= MAX_SENTENCES:
        raise RequestError(f"'text' must hold 1 to {MAX_SENTENCES} sentences, not {len(texts)}")
    if any(len(t) > MAX_CHARACTERS for t in texts):
        raise RequestError(f"a sentence is longer than {MAX_CHARACTERS} characters")
    beam = _integer(data, "beam", DEFAULT_BEAM, 1, MAX_BEAM)
    n_best = _integer(data, "n_best", 1, 1, beam)
    attention = data.get("attention", False)
    if not isinstance(attention, bool):
        raise RequestError("'attention' must be true or false")
    return Job(texts, beam, n_best, attention)


def _integer(data: dict, name: str, default: int, low: int, high: int) -> int:
    value = data.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise RequestError(f"'{name}' must be a whole number from {low} to {high}, not "
                           f"{json.dumps(value)}")
    return value


class Batcher:
    """The decoding thread: takes the jobs that are waiting, decodes the sentences of those
    with the same beam and n-best in one ``translate`` call, and answers each job."""

    def __init__(self, translator, wait: float = 0.005):
        self.translator, self.wait = translator, wait
        self.jobs: queue.Queue[Job | None] = queue.Queue()
        self.batches = 0  # decode calls made, for tests and the health route
        self.thread = threading.Thread(target=self._run, name="seq2seq-decoder", daemon=True)
        self.thread.start()

    def submit(self, job: Job) -> Future:
        self.jobs.put(job)
        return job.future

    def close(self) -> None:
        self.jobs.put(None)
        self.thread.join(timeout=10)

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            jobs = [job]
            time.sleep(self.wait)  # let the requests that arrive together gather
            while True:
                try:
                    more = self.jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self.jobs.put(None)  # close() after this round
                    break
                jobs.append(more)
            for group in _groups(jobs):
                self._decode(group)

    def _decode(self, jobs: list[Job]) -> None:
        first = jobs[0]
        try:
            texts = [t for job in jobs for t in job.texts]
            results = self.translator.translate(texts, beam=first.beam, n_best=first.n_best)
            self.batches += 1
            for job in jobs:
                mine, results = results[: len(job.texts)], results[len(job.texts):]
                job.future.set_result([self._answer(job, text, result)
                                       for text, result in zip(job.texts, mine, strict=True)])
        except Exception as error:  # noqa: BLE001 - every job gets an answer, the thread lives
            for job in jobs:
                if not job.future.done():
                    job.future.set_exception(error)

    def _answer(self, job: Job, text: str, result) -> dict:
        hypotheses = result if job.n_best > 1 else None
        best = hypotheses[0][0] if hypotheses else result
        answer = {"source": text, "translation": best}
        if hypotheses:
            answer["n_best"] = [{"text": t, "score": round(float(s), 4)} for t, s in hypotheses]
        if job.attention and self.translator.has_attention and text.strip():
            a = self.translator.translate_with_attention(text, beam=job.beam)
            answer["attention"] = {"source": a.source_pieces, "output": a.output_pieces,
                                   "weights": [[round(float(w), 4) for w in row]
                                               for row in a.weights]}
        return answer


def _groups(jobs: list[Job]) -> list[list[Job]]:
    """Jobs with the same beam and n-best, in order of arrival (one translate call each)."""
    groups: dict[tuple[int, int], list[Job]] = {}
    for job in jobs:
        groups.setdefault((job.beam, job.n_best), []).append(job)
    return list(groups.values())


def make_handler(batcher: Batcher, checkpoint: str):
    """The request handler class of a server over ``batcher``."""
    # the page's beam box starts at the width a request without "beam" gets
    page = PAGE.read_bytes().replace(b"{DEFAULT_BEAM}", str(DEFAULT_BEAM).encode())

    class Handler(BaseHTTPRequestHandler):
        server_version = "seq2seq"
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # one quiet line per request is too many
            pass

        def do_GET(self):
            if self.path == "/":
                self._send(HTTPStatus.OK, page, "text/html; charset=utf-8")
            elif self.path == "/health":
                self._json(HTTPStatus.OK, {"status": "ok", "checkpoint": checkpoint,
                                           "batches": batcher.batches})
            else:
                self._json(HTTPStatus.NOT_FOUND, {"error": f"no such page: {self.path}"})

        def do_POST(self):
            try:
                if self.path != "/translate":
                    raise RequestError(f"POST goes to /translate, not {self.path}",
                                       HTTPStatus.NOT_FOUND)
                job = parse_request(self._body())
                self._json(HTTPStatus.OK, {"translations": batcher.submit(job).result()})
            except RequestError as error:
                self._json(error.status, {"error": str(error)})
            except Exception as error:  # noqa: BLE001 - a JSON answer, and the server goes on
                self._json(HTTPStatus.INTERNAL_SERVER_ERROR,
                           {"error": f"{type(error).__name__}: {error}"})

        def _body(self) -> bytes:
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                raise RequestError("a Content-Length header is needed",
                                   HTTPStatus.LENGTH_REQUIRED) from None
            if length > MAX_BODY:
                self.close_connection = True  # the body is not read
                raise RequestError(f"the body is {length} bytes; at most {MAX_BODY} are taken",
                                   HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            return self.rfile.read(length)

        def _json(self, status: HTTPStatus, value) -> None:
            self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8")

        def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_PUT(self):
            self._json(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "use GET or POST"})

        do_DELETE = do_PATCH = do_PUT

    return Handler


def make_server(translator, host: str = "127.0.0.1", port: int = 8000,
                checkpoint: str = "") -> tuple[ThreadingHTTPServer, Batcher]:
    """A server bound to (host, port) (port 0: any free one) and its decoding thread."""
    batcher = Batcher(translator)
    server = ThreadingHTTPServer((host, port), make_handler(batcher, checkpoint))
    server.daemon_threads = True
    return server, batcher


def serve(translator, host: str, port: int, checkpoint: str) -> None:
    """Serve until Ctrl-C or SIGTERM."""
    server, batcher = make_server(translator, host, port, checkpoint)
    address = f"http://{host}:{server.server_address[1]}/"
    print(f"serving {checkpoint} on {address} (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        batcher.close()

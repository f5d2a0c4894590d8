"""``seq2seq serve``: the JSON API with good and bad requests, micro-batching, and a bounded load
test of 8 clients on loopback."""

import http.client
import json
import shutil
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from seq2seq.server import MAX_BODY, MAX_SENTENCES, make_server
from seq2seq.translator import Translator

from .conftest import TINY_PAIRS
from .tiny_translator import TINY_GROUP, tiny_checkpoint

pytestmark = pytest.mark.xdist_group(TINY_GROUP)  # the overfit tiny model, trained once


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server on a free loopback port over the overfit tiny model, and its Translator."""
    translator = Translator.load(tiny_checkpoint(tmp_path_factory))
    httpd, batcher = make_server(translator, "127.0.0.1", 0, "tiny")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], translator, batcher
    httpd.shutdown()
    httpd.server_close()
    batcher.close()


def request(port, method, path, body=None, headers=None):
    """(status, parsed JSON or text) of one request on a new connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    kind = response.getheader("Content-Type", "")
    return response.status, json.loads(data) if kind.startswith("application/json") else data


def post(port, value):
    body = value if isinstance(value, bytes) else json.dumps(value).encode()
    return request(port, "POST", "/translate", body, {"Content-Type": "application/json"})


def test_translations_n_best_and_attention(server):
    port, translator, _ = server
    status, answer = post(port, {"text": "I love you."})
    assert status == 200 and answer["translations"][0]["translation"] == "Eu te amo."
    sources = [en for en, _ in TINY_PAIRS[:5]]
    status, answer = post(port, {"text": sources, "beam": 3, "n_best": 2, "attention": True})
    assert status == 200
    expected = translator.translate(sources, beam=3, n_best=2)
    for item, source, hypotheses in zip(answer["translations"], sources, expected, strict=True):
        assert item["source"] == source and item["translation"] == hypotheses[0][0]
        assert [h["text"] for h in item["n_best"]] == [t for t, _ in hypotheses]
        weights = item["attention"]["weights"]  # (output characters, source characters)
        assert len(weights) == len(item["attention"]["output"]) > 0
        assert all(len(row) == len(item["attention"]["source"]) for row in weights)
    assert request(port, "GET", "/health")[1]["status"] == "ok"


BAD = {
    "invalid JSON": (b'{"text": ', 400, "not valid JSON"),
    "not UTF-8": (b'{"text": "caf\xe9"}', 400, "not UTF-8"),
    "not an object": ([1, 2], 400, "JSON object"),
    "unknown field": ({"text": "Hi.", "beams": 3}, 400, "unknown field(s) 'beams'"),
    "no text": ({"beam": 2}, 400, "missing field 'text'"),
    "text of numbers": ({"text": [1, 2]}, 400, "a string or a list of strings"),
    "beam zero": ({"text": "Hi.", "beam": 0}, 400, "'beam' must be a whole number from 1 to 16"),
    "beam too wide": ({"text": "Hi.", "beam": 17}, 400, "from 1 to 16, not 17"),
    "beam not a number": ({"text": "Hi.", "beam": "5"}, 400, 'not "5"'),
    "n-best over beam": ({"text": "Hi.", "beam": 2, "n_best": 3}, 400, "from 1 to 2, not 3"),
    "attention not a bool": ({"text": "Hi.", "attention": 1}, 400, "true or false"),
    "too many sentences": ({"text": ["Hi."] * (MAX_SENTENCES + 1)}, 400, "1 to 32 sentences"),
    "no sentences": ({"text": []}, 400, "1 to 32 sentences"),
    "body too large": (b" " * (MAX_BODY + 1), 413, "at most 65536"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_requests_get_a_4xx_json_error_and_the_server_goes_on(server, case):
    port, _, _ = server
    body, expected_status, expected_error = BAD[case]
    status, answer = post(port, body)
    assert status == expected_status and expected_error in answer["error"], answer
    assert post(port, {"text": "Hello."}) == (200, {"translations": [
        {"source": "Hello.", "translation": "Olá."}]})


def test_other_routes_and_the_page(server):
    port, _, _ = server
    assert request(port, "GET", "/nothing")[0] == 404
    assert request(port, "POST", "/health", b"{}")[0] == 404
    assert request(port, "DELETE", "/translate")[0] == 405
    status, page = request(port, "GET", "/")
    assert status == 200 and b"<svg" not in page and b"svg:svg" in page  # drawn by the script
    assert b"http://" not in page.replace(b"http://www.w3.org/2000/svg", b"")
    assert b"https://" not in page  # self-contained: no CDN, works offline


def test_eight_clients_are_answered_and_batched_together(server):
    """8 clients x 25 requests on loopback: every answer 200 and right, and fewer decode calls
    than requests (requests that arrive together share one)."""
    port, _, batcher = server
    sentences = [(en, pt) for en, pt in TINY_PAIRS]
    before = batcher.batches

    def client(index):
        latencies = []
        for k in range(25):
            source, target = sentences[(index + k) % len(sentences)]
            started = time.perf_counter()
            status, answer = post(port, {"text": source})
            latencies.append(time.perf_counter() - started)
            assert status == 200 and answer["translations"][0]["translation"] == target
        return latencies

    with ThreadPoolExecutor(8) as pool:
        latencies = sorted(t for result in pool.map(client, range(8)) for t in result)
    assert len(latencies) == 200
    p50, p99 = statistics.median(latencies), latencies[int(0.99 * len(latencies)) - 1]
    print(f"8 clients x 25 requests: p50 {1000 * p50:.1f} ms, p99 {1000 * p99:.1f} ms, "
          f"{batcher.batches - before} decode calls")
    assert batcher.batches - before < 200


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_the_page_in_a_real_browser(server, tmp_path):
    """Headless Chromium (Debian's; .ci/run installs it) opens /, types a sentence, submits,
    and sees the translation, the n-best table and the attention heatmap."""
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine (apt-get install chromium; .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    port, _, _ = server
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox"])  # CI runs as root
        try:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            page.fill("#text", "I love you.")
            page.click("#go")
            page.wait_for_selector("svg.heatmap", timeout=60_000)
            assert page.inner_text(".translation") == "Eu te amo."
            assert page.locator("table.nbest tr").count() == 3  # beam 5, n-best 3
            labels = page.locator("svg.heatmap text").count()  # source + output characters
            rows = labels - len("I love you.")
            assert rows >= len("Eu te amo.")  # one row per output character (and the end)
            assert page.locator("svg.heatmap rect").count() == rows * len("I love you.")
            page.screenshot(path=str(tmp_path / "page.png"))
        finally:
            browser.close()
    assert (tmp_path / "page.png").stat().st_size > 0

"""The search benchmark (`make bench`): a Swedish corpus of 10 000 and 100 000 posts, served by
gunicorn with sync workers on loopback, measured through the real HTTP stack.

For each corpus size it measures: the search page and the JSON search (p50/p95 with one
connection, requests per second with 16), list and post pages and /healthz on the same server in
the same run, the raw engine (search.query in-process) for the same queries, the same search
without the page through HTTP (bench/floor.py, on a second server), the full rebuild
(`flask --app hub search rebuild`), the time from a save to the post being found over HTTP, and
the workers' memory. Results go to bench/results.json and a table in bench/README.md.

    python bench/run.py                      # 10 000 and 100 000 posts
    python bench/run.py --sizes 10000 --duration 5
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "laddinfrastruktur för bostadsrättsföreningar", "återbruk i byggprojekt", "cykla till jobbet", "solceller",
    "energikartläggning småföretag", "klimatkrav livsmedel", "resepolicy tåg", "biogas bussar", "matsvinn skolor",
    "fjärrvärme", "aterbruk", "cyklar", "infrastruktur", "upphandling", "elbilar laddplatser", "skyfall dagvatten",
    "studiecirklar", "textil", "klimatbudget", "värmepumpar", "hyresgäster stambyte", "fossilfria transporter",
    "delningstjänster bilpool", "tryckluft", "folkbildning", "spillvärme", "ellastbilar", "digitala möten",
    "klimatanpassning", "marknadsdialog",
]
FILTERS = ["", "&kind=solution", "&area=energi", "&org_kind=kommun", "&sort=newest", "&status=genomford", ""]
# What the search box asks while the user types: htmx swaps in the results and filters only.
LIVE_SEARCH = {"HX-Request": "true", "HX-Target": "search-results", "HX-Current-URL": "http://127.0.0.1/posts/"}
SLICE_S = 1.0  # measurements compared with each other take turns of this many seconds
TARGETS = {
    10_000: {"search_p95_ms": 30, "search_rps": 100, "worker_rss_mb": 150},
    100_000: {"search_p95_ms": 100, "search_rps": 50, "rebuild_s": 150},
}


def log(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def environment(work: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{work / 'hub.sqlite3'}",
        HUB_INDEX_DIR=str(work / "index"),
        SECRET_KEY="bench-secret",
        HUB_ENV="development",
        RATELIMIT_ENABLED="0",
        HUB_SEARCH_BACKEND="whoosh",
    )
    return env


# --- the corpus and the index -------------------------------------------------------------------


def prepare(size: int, work: Path, fresh: bool) -> None:
    marker = work / "corpus.json"
    if not fresh and marker.exists() and json.loads(marker.read_text()).get("posts") == size:
        log(f"{size} posts: reusing the corpus in {work}")
        import sqlite3

        with sqlite3.connect(work / "hub.sqlite3") as connection:
            connection.execute("ANALYZE")
        return
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = environment(work)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "HUB_INDEX_DIR", "SECRET_KEY")})
    started = time.monotonic()
    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "from hub import create_app\nfrom flask_migrate import upgrade\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    upgrade()\n"
        "    from hub.seed import foundation\n    foundation.load()\n"
        "    from bench import corpus\n    corpus.generate(%d)\n"
    ) % (str(ROOT), size)
    # The index directory is left missing: the rebuild below builds it.
    subprocess.run([sys.executable, "-c", code], env=env | {"HUB_INDEX_DIR": str(work / "unused-index")},
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    shutil.rmtree(work / "unused-index", ignore_errors=True)
    marker.write_text(json.dumps({"posts": size}))
    log(f"{size} posts generated in {time.monotonic() - started:.1f} s")


def rebuild(work: Path) -> float:
    shutil.rmtree(work / "index", ignore_errors=True)
    started = time.monotonic()
    subprocess.run([str(BIN / "flask"), "--app", "hub", "search", "rebuild"], env=environment(work),
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


# --- the server ----------------------------------------------------------------------------------


class Server:
    def __init__(self, work: Path, workers: int, app: str = "hub:create_app()", log_name: str = "gunicorn.log",
                 path: Path | None = None):
        self.port = free_port()
        env = environment(work)
        if path is not None:  # where the app's module is, if not in the project
            env["PYTHONPATH"] = os.pathsep.join((str(path), str(ROOT)))
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(workers), "--worker-class", "sync", "--bind",
             f"127.0.0.1:{self.port}", "--backlog", "256", "--timeout", "120", app],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(work / log_name, "w"),
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {log_name}")

    def worker_rss_mb(self) -> float:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:  # the parent is gunicorn's master
                pids.append(stat.parent.name)
        sizes = []
        for pid in pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return max(sizes) if sizes else 0.0

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Sample:
    """Latencies (ms), failed requests and the seconds they took, added up over slices."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def add(self, other: Sample) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.elapsed += other.elapsed

    def summary(self) -> dict:
        return {
            "requests": len(self.latencies),
            "errors": self.errors,
            "rps": round(len(self.latencies) / self.elapsed, 1) if self.elapsed else 0.0,
            "p50_ms": round(percentile(self.latencies, 50), 2),
            "p95_ms": round(percentile(self.latencies, 95), 2),
        }


def requests(port: int, paths: list[str], connections: int, duration: float, headers: dict | None = None) -> Sample:
    """Requests from `connections` threads for `duration` seconds."""
    sample = Sample()
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def run(offset: int) -> None:
        i = offset
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                status, _body = get(port, path, headers)
                if status != 200:
                    failed += 1
            except OSError:
                failed += 1
                continue
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            sample.latencies.extend(mine)
            sample.errors += failed

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(n * 7,)) for n in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sample.elapsed = time.monotonic() - started
    return sample


def load(port: int, paths: list[str], connections: int, duration: float) -> dict:
    return requests(port, paths, connections, duration).summary()


def interleaved(measurements: dict[str, Callable[[float], Sample]], duration: float) -> dict[str, dict]:
    """Measurements that are compared with each other, taken in turns of a second (`duration`
    seconds each in all, the order reversed every round): a machine that speeds up or slows down
    during the run does so for all of them alike, and their ratios hold."""
    rounds = max(1, round(duration / SLICE_S))
    samples = {name: Sample() for name in measurements}
    names = list(measurements)
    for n in range(rounds):
        for name in names if n % 2 == 0 else reversed(names):
            samples[name].add(measurements[name](duration / rounds))
    return {name: sample.summary() for name, sample in samples.items()}


# --- in-process: the engine alone, and save-to-searchable ------------------------------------------


class Engine:
    """search.query() in this process, on the server's database and index: what a search page
    asks of the search, without HTTP, Flask's request handling, the filter form or rendering."""

    def __init__(self, work: Path, query_strings: list[str]):
        os.environ.update({k: v for k, v in environment(work).items() if k in
                           ("DATABASE_URL", "HUB_INDEX_DIR", "SECRET_KEY", "HUB_SEARCH_BACKEND")})
        from werkzeug.datastructures import MultiDict

        from hub import create_app
        from hub.search import SearchQuery

        self.app = create_app()
        self.queries = [SearchQuery.from_args(MultiDict(urllib.parse.parse_qsl(q))) for q in query_strings]
        self.next = 0
        self.run(0)  # warm the caches as the server's workers are warm
        for _ in self.queries:
            self.run(0)

    def run(self, duration: float) -> Sample:
        from hub import search

        sample = Sample()
        started = time.monotonic()
        while True:
            # One request context per query, as a page has: its own database session (no posts
            # left in an identity map from the query before) and its own look at the index.
            with self.app.test_request_context("/posts/"):
                began = time.perf_counter()
                search.query(self.queries[self.next % len(self.queries)], cards=True)
                sample.latencies.append((time.perf_counter() - began) * 1000)
            self.next += 1
            if time.monotonic() - started >= duration:
                break
        sample.elapsed = time.monotonic() - started
        return sample

    def save_to_searchable(self, port: int) -> dict:
        """A post saved through the ORM (commit, outbox drained after it), then looked for over HTTP."""
        from hub.extensions import db
        from hub.models import Organisation, Post, utcnow

        saves: list[float] = []
        with self.app.app_context():
            org = db.session.scalar(db.select(Organisation).order_by(Organisation.id))
            for n in range(10):
                word = "benchord" + "".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))
                started = time.perf_counter()
                post = Post(kind="solution", title=f"Mätning {n} {word}", summary="Sparat och sökbart", body="Text.",
                            organisation=org, state="published", approval="approved", published_at=utcnow())
                db.session.add(post)
                db.session.commit()  # the outbox is drained after the commit
                while True:
                    status, body = get(port, f"/api/v1/posts?q={word}")
                    if status == 200 and json.loads(body)["total"] == 1:
                        break
                    if time.perf_counter() - started > 10:
                        break
                    time.sleep(0.005)
                saves.append((time.perf_counter() - started) * 1000)
            db.session.execute(db.delete(Post).where(Post.title.like("Mätning % benchord%")))
            db.session.commit()
        return {"save_to_searchable_ms": round(max(saves), 1),
                "save_to_searchable_p50_ms": round(statistics.median(saves), 1)}

    def close(self) -> None:
        self.app.extensions["hub_search"].backend.close()


# --- one corpus size ----------------------------------------------------------------------------------


def measure(size: int, args) -> dict:
    work = HERE / "work" / str(size)
    prepare(size, work, args.fresh)
    log(f"{size} posts: rebuilding the index")
    rebuild_s = rebuild(work)
    log(f"{size} posts: rebuilt in {rebuild_s:.1f} s; starting gunicorn ({args.workers} sync workers)")
    server = Server(work, args.workers)
    floor = None
    try:
        # The same search without the page (bench/floor.py), on a server of its own.
        floor = Server(work, args.workers, "floor:create_app()", "gunicorn-floor.log", path=HERE)
        rng = random.Random(size)
        search_qs = [f"q={urllib.parse.quote(q)}{rng.choice(FILTERS)}" for q in QUERIES]
        search_paths = [f"/posts/?{q}" for q in search_qs]
        api_paths = [f"/api/v1/posts?{q}" for q in search_qs]
        list_paths = [f"/posts/?kind={k}&page={p}" for k in ("solution", "lesson", "challenge") for p in (1, 2, 3)]
        post_ids = rng.sample(range(1, size), 50)
        post_paths = [f"/posts/{i}" for i in post_ids]
        for path in search_paths + api_paths[:5] + list_paths + post_paths[:5]:  # warm every worker
            get(server.port, path)
            get(server.port, path)
        status, body = get(server.port, search_paths[0], LIVE_SEARCH)
        if status != 200 or b"<html" in body or b'id="results"' not in body:
            raise RuntimeError("live search did not answer with the results fragment")
        for path in search_paths:
            get(floor.port, path)
            get(floor.port, path)
        status, body = get(floor.port, search_paths[0])
        if status != 200 or "total" not in json.loads(body):
            raise RuntimeError("the search without the page did not answer with its numbers")
        d = args.duration
        result: dict = {"posts": size}
        engine = Engine(work, search_qs)
        try:
            port = server.port
            log(f"{size} posts: search page, live search, the search without the page (1 connection) "
                "and the engine in-process, in turns")
            paired = interleaved({
                "one": lambda t: requests(port, search_paths, 1, t),
                "live": lambda t: requests(port, search_paths, 1, t, LIVE_SEARCH),
                "floor": lambda t: requests(floor.port, search_paths, 1, t),
                "engine": engine.run,
            }, d)
            one, live, bare, engine_alone = paired["one"], paired["live"], paired["floor"], paired["engine"]
            log(f"{size} posts: search page, 16 connections")
            many = load(port, search_paths, 16, d)
            log(f"{size} posts: JSON search")
            api_one = load(port, api_paths, 1, d)
            api_many = load(port, api_paths, 16, d)
            log(f"{size} posts: list pages, post pages and /healthz, in turns")
            pages = interleaved({
                "lists": lambda t: requests(port, list_paths, 16, t),
                "posts": lambda t: requests(port, post_paths, 16, t),
                "health": lambda t: requests(port, ["/healthz"], 16, t),
            }, d)
            lists, posts, health = pages["lists"], pages["posts"], pages["health"]
            rss = server.worker_rss_mb()
            log(f"{size} posts: save-to-searchable")
            saves = engine.save_to_searchable(port)
        finally:
            engine.close()
        result.update(
            search_p50_ms=one["p50_ms"], search_p95_ms=one["p95_ms"], search_rps_1=one["rps"],
            search_rps=many["rps"], search_p95_ms_16=many["p95_ms"],
            live_p50_ms=live["p50_ms"], live_p95_ms=live["p95_ms"],
            floor_p50_ms=bare["p50_ms"], floor_p95_ms=bare["p95_ms"],
            api_p50_ms=api_one["p50_ms"], api_p95_ms=api_one["p95_ms"], api_rps=api_many["rps"],
            list_rps=lists["rps"], post_rps=posts["rps"], healthz_rps=health["rps"],
            list_vs_healthz=round(lists["rps"] / health["rps"], 3) if health["rps"] else None,
            post_vs_healthz=round(posts["rps"] / health["rps"], 3) if health["rps"] else None,
            engine_p50_ms=engine_alone["p50_ms"], engine_p95_ms=engine_alone["p95_ms"],
            engine_queries=engine_alone["requests"],
            **saves,
            http_vs_engine_p95=round(one["p95_ms"] / engine_alone["p95_ms"], 2) if engine_alone["p95_ms"] else None,
            live_vs_engine_p95=round(live["p95_ms"] / engine_alone["p95_ms"], 2) if engine_alone["p95_ms"] else None,
            floor_vs_engine_p95=round(bare["p95_ms"] / engine_alone["p95_ms"], 2) if engine_alone["p95_ms"] else None,
            rebuild_s=round(rebuild_s, 1), worker_rss_mb=round(rss, 1),
            errors=sum(x["errors"] for x in (one, live, bare, many, api_one, api_many, lists, posts, health)),
        )
        return result
    finally:
        server.stop()
        if floor is not None:
            floor.stop()


def write_readme(results: list[dict], meta: dict) -> None:
    rows = [
        ("Search page p50 / p95, 1 connection (ms)", lambda r: f"{r['search_p50_ms']} / {r['search_p95_ms']}"),
        ("Search page throughput, 16 connections (pages/s)", lambda r: r["search_rps"]),
        ("JSON search p50 / p95, 1 connection (ms)", lambda r: f"{r['api_p50_ms']} / {r['api_p95_ms']}"),
        ("JSON search throughput, 16 connections (req/s)", lambda r: r["api_rps"]),
        ("Raw engine p50 / p95, same queries (ms)", lambda r: f"{r['engine_p50_ms']} / {r['engine_p95_ms']}"),
        ("HTTP search p95 ÷ engine p95", lambda r: r["http_vs_engine_p95"]),
        ("Live search (htmx results fragment) p50 / p95 (ms)", lambda r: f"{r['live_p50_ms']} / {r['live_p95_ms']}"),
        ("Live search p95 ÷ engine p95", lambda r: r["live_vs_engine_p95"]),
        ("Search without the page (bench/floor.py) p50 / p95 (ms)", lambda r: f"{r['floor_p50_ms']} / {r['floor_p95_ms']}"),
        ("Search without the page p95 ÷ engine p95", lambda r: r["floor_vs_engine_p95"]),
        ("List page throughput (req/s)", lambda r: r["list_rps"]),
        ("Post page throughput (req/s)", lambda r: r["post_rps"]),
        ("/healthz throughput (req/s)", lambda r: r["healthz_rps"]),
        ("List / post ÷ /healthz", lambda r: f"{r['list_vs_healthz']} / {r['post_vs_healthz']}"),
        ("Full rebuild (s)", lambda r: r["rebuild_s"]),
        ("Worker memory, RSS (MB)", lambda r: r["worker_rss_mb"]),
        ("Save to searchable, worst of 10 (ms)", lambda r: r["save_to_searchable_ms"]),
    ]
    header = "| | " + " | ".join(f"{r['posts']:,} posts".replace(",", " ") for r in results) + " |"
    lines = [header, "|---|" + "---|" * len(results)]
    for label, fn in rows:
        lines.append(f"| {label} | " + " | ".join(str(fn(r)) for r in results) + " |")
    text = (HERE / "README.md").read_text() if (HERE / "README.md").exists() else ""
    start, end = "<!-- results -->", "<!-- /results -->"
    table = (
        f"{start}\nMeasured {meta['date']} on {meta['machine']} ({meta['cpus']} CPUs), "
        f"{meta['workers']} gunicorn sync workers, {meta['duration']} s per measurement.\n\n"
        + "\n".join(lines) + f"\n{end}"
    )
    if start in text and end in text:
        text = text[: text.index(start)] + table + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + table + "\n"
    (HERE / "README.md").write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--fresh", action="store_true", help="generate the corpus again")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results = []
    for size in sizes:
        result = measure(size, args)
        log(json.dumps(result))
        results.append(result)
    meta = {"date": datetime.now(UTC).strftime("%Y-%m-%d"), "machine": platform.machine(),
            "cpus": os.cpu_count(), "workers": args.workers, "duration": args.duration,
            "python": platform.python_version()}
    for result in results:
        result.update(measured_on=meta["date"], cpus=meta["cpus"], gunicorn_sync_workers=meta["workers"],
                      seconds_per_measurement=meta["duration"])
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_readme(results, meta)
    log("wrote bench/results.json and bench/README.md")


if __name__ == "__main__":
    main()

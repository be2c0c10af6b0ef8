"""The deadline-hour load test (issue 19): the real server under liaisons
submitting their reports while the office watches.

Runs gunicorn (`config.wsgi`) on a free loopback port against its own data:
a seeded campaign of LOAD_UNITS units (`seed_scale`), every liaison and ten
office users given a session without the password hash (rows written the way
`login()` writes them). Then, on the same server:

1. the baseline: the sign-in page GET at saturation (LOAD_CONCURRENCY client
   threads, closed loop), and the submission alone at saturation (same
   threads);
2. the steps: submissions arriving open-loop at a rising rate (STEPS, STEP_SECONDS
   each; a thread pool sends them, so a slow server shows as latency measured
   from the planned arrival, not as a lower offered rate), while ten office
   users refresh the campaign dashboard and the review queue, each page about
   once every two seconds (and first the office alone, for its own p95). The rise stops after a step with p95 > 1 s or an error;
3. the check: every answered submission is read back from the database. A
   success (2xx/3xx) must have left the report submitted with the figures, the
   text and the attachment posted; a failure must have committed none of it.
   `load_lost` counts the mismatches.

A submission is what the liaison does: GET the report page (the form, its
CSRF token), then POST it filled in with a ~20 KB PDF. Its latency counts
both, from the planned arrival to the POST's answer.

Standalone: `python -m bench.load` (BENCH_DATABASE_URL, REDIS_URL as for
`make bench`; SQLite in a scratch file otherwise). Bounded to a few minutes.
"""

import hashlib
import http.client
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]

LOAD_UNITS = int(os.environ.get("LOAD_UNITS", 3000))
# Submissions/s. Below 5 too: on a small machine the server saturates there,
# and a step held says more than "not even 5/s".
STEPS = (1, 2, 3, 5, 10, 15, 20, 25, 30, 40)
STEP_SECONDS = 10
BASELINE_SECONDS = 6
OFFICE_USERS = 10
OFFICE_INTERVAL = 2.0  # seconds between one office user's refreshes of a page
P95_LIMIT_MS = 1000
ATTACHMENT_BYTES = 20 * 1024
REQUEST_TIMEOUT = 30
CORES = os.cpu_count() or 1
WORKERS = int(os.environ.get("LOAD_WORKERS", 2 * CORES))
# gthread with 2 threads a worker: measured on PostgreSQL (docs/benchmarks.md),
# the saturated submission rate was 2.7/s with 1 thread, 5.9/s with 2, 4.2/s with 4.
THREADS = int(os.environ.get("LOAD_THREADS", 2))
LOAD_CONCURRENCY = int(os.environ.get("LOAD_CONCURRENCY", 2 * WORKERS * THREADS))


# --------------------------------------------------------------------------
# Pure parts (bench/tests/test_load.py)


def percentile(values, q):
    """The q-th percentile (0-100) by the nearest rank; None of no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def arrivals(rate, seconds):
    """Planned arrival offsets of an open-loop step: evenly spaced."""
    return [i / rate for i in range(int(rate * seconds))]


@dataclass
class Step:
    rate: int
    latencies_ms: list = field(default_factory=list)
    post_ms: list = field(default_factory=list)
    errors: int = 0
    offered: int = 0
    seconds: float = 0.0  # from the first arrival to the last answer

    @property
    def p95(self):
        return percentile(self.latencies_ms, 95)

    @property
    def done(self):
        return len(self.latencies_ms)

    def held(self):
        """Sustained: every submission answered with success, p95 under the limit."""
        return self.errors == 0 and self.done > 0 and self.p95 < P95_LIMIT_MS


def sustained(steps):
    """The highest step held, every step before it held too; None if the first failed."""
    best = None
    for step in steps:
        if not step.held():
            break
        best = step
    return best


class FormParser(HTMLParser):
    """The fields of the first <form> whose action contains `action`:
    (name, kind, value, options) in page order; kind is the input type,
    "textarea" or "select" (options: the option values, the selected first)."""

    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.found = action, False, False
        self.fields, self._text, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.found and self.action in (attrs.get("action") or ""):
            self.inside = self.found = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                kind = f"{kind}-unchecked"
            self.fields.append((name, kind, attrs.get("value") or "", []))
        elif tag == "button" and name:
            self.fields.append((name, "button", attrs.get("value") or "", []))
        elif tag == "textarea" and name:
            self._text = [name, []]
        elif tag == "select" and name:
            self._select = [name, [], None]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            self._select[1].append(value)
            if "selected" in attrs:
                self._select[2] = value

    def handle_data(self, data):
        if self._text is not None:
            self._text[1].append(data)

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "textarea" and self._text is not None:
            self.fields.append((self._text[0], "textarea", "".join(self._text[1]).lstrip("\n"), []))
            self._text = None
        elif tag == "select" and self._select is not None:
            name, options, selected = self._select
            chosen = selected if selected is not None else (options[0] if options else "")
            self.fields.append((name, "select", chosen, [chosen] + [o for o in options if o != chosen]))
            self._select = None
        elif tag == "form":
            self.inside = False


def parse_form(html, action):
    parser = FormParser(action)
    parser.feed(html)
    parser.close()
    if not parser.found:
        return None
    return parser.fields


def fill_report(fields, *, rng, tag):
    """The report form filled in as a liaison would, and the submit button.

    Returns (data: list of (name, value), figures: {indicator field: value},
    work_done). Hidden fields (the CSRF token, the version, a warning's
    `confirmed`) keep their values; boxes left unticked stay out."""
    data, figures = [], {}
    work_done = (
        f"本周{tag}组织开展集中整治行动{rng.randint(1, 9)}次，出动人员{rng.randint(10, 99)}人次，"
        f"整改问题{rng.randint(1, 40)}处，群众反映良好。"
    )
    for name, kind, value, options in fields:
        if kind in ("file", "button", "submit") or kind.endswith("-unchecked"):
            continue
        if name == "work_done":
            value = work_done
        elif name in ("problems", "next_steps", "late_reason") or re.fullmatch(r"task_\d+_note", name):
            value = {"problems": "个别点位存在反弹。", "next_steps": "下步将加强巡查，巩固整治成效。",
                     "late_reason": "材料汇总核对，报送延后。"}.get(name, "按计划推进。")
        elif re.fullmatch(r"task_\d+_status", name):
            value = "in_progress" if "in_progress" in options else value
        elif re.fullmatch(r"task_\d+_percent", name):
            value = str(rng.randint(10, 90))
        elif re.fullmatch(r"indicator_\d+", name):
            # 0-5: within every indicator's bounds (never negative, under any maximum).
            value = str(rng.randint(0, 5))
            figures[name] = value
        data.append((name, value))
    data.append(("submit", ""))
    return data, figures, work_done


def multipart(data, files):
    """(body, content type) of a multipart/form-data POST; files: (field, name, bytes)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in data:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value.encode() + b"\r\n")
    for name, filename, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def attachment(rng):
    """A ~20 KB file whose bytes say PDF, different for each submission."""
    head = b"%PDF-1.4\n%" + rng.randbytes(16).hex().encode() + b"\n"
    return head + b"0" * (ATTACHMENT_BYTES - len(head) - 6) + b"\n%%EOF"


def step_table(steps):
    lines = ["step/s  offered  done  answered/s  errors  p50_ms  p95_ms  post_p95_ms"]
    for step in steps:
        lines.append(
            f"{step.rate:>6}  {step.offered:>7}  {step.done:>4}  {step.done / step.seconds if step.seconds else 0:>10.1f}"
            f"  {step.errors:>6}"
            f"  {percentile(step.latencies_ms, 50) or 0:>6.0f}  {step.p95 or 0:>6.0f}  {percentile(step.post_ms, 95) or 0:>11.0f}"
        )
    return lines


# --------------------------------------------------------------------------
# HTTP


class Client:
    """One request per connection, with a session cookie and the CSRF cookie it is given."""

    def __init__(self, port, session):
        self.port, self.cookies = port, {"sessionid": session}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
            response = connection.getresponse()
            content = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, content.decode("utf-8", "replace")
        finally:
            connection.close()


def get_status(port, path, session=None):
    try:
        return Client(port, session or "").request("GET", path)[0]
    except OSError:
        return None


@dataclass
class Outcome:
    report: int
    ok: bool  # a 2xx/3xx answer to the POST
    answered: bool  # an HTTP answer at all (no timeout or reset)
    work_done: str = ""
    figures: dict = field(default_factory=dict)
    sha256: str = ""


def submit(port, liaison, rng):
    """GET the report's page, POST its form filled in. (outcome, total ms, post ms)."""
    report_id, session = liaison
    client = Client(port, session)
    try:
        status, html = client.request("GET", f"/reports/{report_id}/")
        fields = parse_form(html, f"/reports/{report_id}/edit/") if status == 200 else None
        if not fields:
            return Outcome(report_id, ok=False, answered=True), None
        data, figures, work_done = fill_report(fields, rng=rng, tag=f"（{report_id}）")
        content = attachment(rng)
        body, kind = multipart(data, [("files", f"宣传材料{report_id}.pdf", content)])
        posted = time.perf_counter()
        status, html = client.request("POST", f"/reports/{report_id}/edit/", body, {"Content-Type": kind})
        if status == 200 and 'name="confirmed"' in html:
            # Saved as a draft with a warning: the liaison clicks 仍然报送.
            again = parse_form(html, f"/reports/{report_id}/edit/")
            hidden = {name: value for name, kind_, value, _ in again if kind_ == "hidden"}
            data = [(n, hidden.get(n, v)) for n, v in data if n not in ("confirmed",)] + [("confirmed", "1")]
            body, kind = multipart(data, [])
            status, html = client.request("POST", f"/reports/{report_id}/edit/", body, {"Content-Type": kind})
        post_ms = (time.perf_counter() - posted) * 1000
        ok = 200 <= status < 400
        return Outcome(report_id, ok, True, work_done, figures, hashlib.sha256(content).hexdigest()), post_ms
    except OSError:
        return Outcome(report_id, ok=False, answered=False), None


# --------------------------------------------------------------------------
# The server and its data


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args, env):
    started = time.perf_counter()
    result = subprocess.run(MANAGE + args, env=env, capture_output=True, text=True, check=False, cwd=ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - started, result.stdout


# Sessions as login() leaves them (django.contrib.auth.login: the user's id,
# the backend, the session hash of the password), written straight into the
# session table, so no password is hashed. accounts' SessionTimeoutMiddleware
# reads signed_in_at / last_seen_at (idle 30 min, absolute 12 h by default):
# set to now, the run stays well inside both. Axes is not involved: it watches
# sign-in attempts, and none is made. The seed's users have no password_changed_at
# and must_change_password False, so the password-change middleware lets them by.
SESSIONS = """
import datetime, json, os
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import get_random_string
from accounts.middleware import start_session_clock
from accounts.models import User
from campaigns.models import Campaign, Membership
from reports.models import Report
campaign = Campaign.objects.get(pk=int(os.environ["LOAD_CAMPAIGN"]))
today = timezone.localdate()
current = (Report.objects.filter(period__rule__campaign=campaign, period__rule__cadence="weekly",
           period__starts_on__lte=today).order_by("-period__starts_on").values_list("period_id", flat=True).first())
# The units still to send this week's report (the seed has sent some already).
reports = dict(Report.objects.filter(period_id=current, status__in=["not_started", "draft"]).values_list("unit_id", "id"))
liaisons = {}
for unit_id, user_id in (Membership.objects.filter(unit_id__in=reports, role=Membership.Role.LIAISON)
                          .order_by("unit_id", "user_id").values_list("unit_id", "user_id")):
    liaisons.setdefault(unit_id, user_id)
office = []
for i in range(int(os.environ["LOAD_OFFICE"])):
    user = User.objects.create(username=f"load_office_{campaign.pk}_{i}", full_name=f"压力测试办公室{i}", password="!")
    Membership.objects.create(user=user, unit_id=campaign.office_unit_id, role=Membership.Role.OFFICE_STAFF)
    office.append(user.pk)
users = User.objects.in_bulk([*liaisons.values(), *office])
store, rows, expire = SessionStore(), [], timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
def session(user):
    key = get_random_string(32, VALID_KEY_CHARS)
    data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash()}
    start_session_clock(data)
    rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
    return key
out = {"liaisons": [[reports[unit_id], session(users[user_id])] for unit_id, user_id in sorted(liaisons.items())],
       "office": [session(users[pk]) for pk in office]}
Session.objects.bulk_create(rows, batch_size=500)
with open(os.environ["LOAD_OUT"], "w") as f:
    json.dump(out, f)
"""

# Read back every answered submission. A success must have left the report
# sent (submitted, or waiting for the head) with the text, the figures and the
# attachment posted; a failure must have left none of them.
VERIFY = """
import json, os
from decimal import Decimal
from reports.models import Report
outcomes = json.load(open(os.environ["LOAD_OUT"]))
reports = Report.objects.in_bulk([o["report"] for o in outcomes])
values = {}
for report in Report.objects.filter(pk__in=reports).prefetch_related("indicator_values", "attachments"):
    values[report.pk] = (
        {f"indicator_{v.indicator_id}": v.value for v in report.indicator_values.all()},
        {a.sha256 for a in report.attachments.all()},
    )
lost = 0
for o in outcomes:
    report = reports[o["report"]]
    figures, digests = values[report.pk]
    sent = report.status in ("submitted", "pending_head") and report.submitted_at is not None
    if o["ok"]:
        good = (sent and report.work_done == o["work_done"] and o["sha256"] in digests
                and all(figures.get(k) == Decimal(v) for k, v in o["figures"].items()))
    else:
        good = (not sent and not (o["sha256"] and o["sha256"] in digests)
                and not (o["work_done"] and report.work_done == o["work_done"]))
    lost += not good
print(f"load_checked: {len(outcomes)} submissions")
print(f"load_lost: {lost} submissions")
"""


class Server:
    """gunicorn on a free loopback port; always stopped by `stop()`."""

    def __init__(self, env, log):
        self.port = free_port()
        worker = ["--worker-class", "gthread", "--threads", str(THREADS)] if THREADS > 1 else []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(WORKERS), *worker, "--timeout", "60", "--error-logfile", log,
             "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )

    def wait(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            if get_status(self.port, "/accounts/login/") == 200:
                return
            time.sleep(0.25)
        raise RuntimeError("gunicorn did not answer within a minute")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# --------------------------------------------------------------------------
# The load


def saturate(seconds, concurrency, work):
    """Closed loop: `concurrency` threads calling work() back to back. Completed calls/s."""
    stop = time.perf_counter() + seconds
    counts = [0] * concurrency

    def loop(i):
        while time.perf_counter() < stop:
            if work():
                counts[i] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - started)


class Office:
    """Office users each refreshing the dashboard and the review queue every OFFICE_INTERVAL s."""

    def __init__(self, port, sessions, campaign_id):
        self.port, self.sessions, self.campaign = port, sessions, campaign_id
        self.stopping = threading.Event()
        self.dashboard_ms, self.queue_ms, self.errors = [], [], 0
        self.threads = [threading.Thread(target=self.loop, args=(i, s)) for i, s in enumerate(sessions)]

    def loop(self, i, session):
        client = Client(self.port, session)
        pages = ((f"/dashboard/{self.campaign}/", self.dashboard_ms), (f"/review/?campaign={self.campaign}", self.queue_ms))
        self.stopping.wait(OFFICE_INTERVAL * i / len(self.sessions))  # spread the users over the interval
        while not self.stopping.is_set():
            cycle = time.perf_counter()
            for path, times in pages:
                started = time.perf_counter()
                try:
                    status, _ = client.request("GET", path)
                except OSError:
                    status = None
                if status != 200:
                    self.errors += 1
                else:
                    times.append((time.perf_counter() - started) * 1000)
            self.stopping.wait(max(0.0, OFFICE_INTERVAL - (time.perf_counter() - cycle)))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()


def run_step(port, rate, liaisons, rng, outcomes):
    step = Step(rate)
    planned = arrivals(rate, STEP_SECONDS)
    lock = threading.Lock()

    def one(at, liaison, seed):
        outcome, post_ms = submit(port, liaison, random.Random(seed))
        with lock:
            outcomes.append(outcome)
            if outcome.ok:
                # From the planned arrival: time queued behind a busy pool counts.
                step.latencies_ms.append((time.perf_counter() - at) * 1000)
                step.post_ms.append(post_ms)
            else:
                step.errors += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=min(256, rate * 8)) as pool:
        for offset, liaison in zip(planned, liaisons):
            at = started + offset
            time.sleep(max(0.0, at - time.perf_counter()))
            pool.submit(one, at, liaison, rng.random())
            step.offered += 1
    step.seconds = time.perf_counter() - started  # the pool drained: every submission answered
    return step


def load(port, data, campaign_id):
    rng = random.Random(19)
    liaisons = [tuple(pair) for pair in data["liaisons"]]
    rng.shuffle(liaisons)
    queue = iter(liaisons)
    outcomes = []

    # Warm every worker up (imports, first connection) before measuring.
    for _ in range(4 * WORKERS):
        get_status(port, "/accounts/login/")
    login_rate = saturate(BASELINE_SECONDS, LOAD_CONCURRENCY, lambda: get_status(port, "/accounts/login/") == 200)
    print(f"load_login_get_per_s: {login_rate:.1f} requests/s")

    lock = threading.Lock()

    def submit_next():
        with lock:
            liaison = next(queue, None)
        if liaison is None:
            return False
        outcome, _ = submit(port, liaison, random.Random(liaison[0]))
        with lock:
            outcomes.append(outcome)
        return outcome.ok

    alone_rate = saturate(BASELINE_SECONDS, LOAD_CONCURRENCY, submit_next)
    print(f"load_saturated_submissions_per_s: {alone_rate:.1f} submissions/s")
    print(f"load_saturated_errors: {sum(not o.ok for o in outcomes)} submissions")
    # One submission's cost in sign-in page GETs: the same server, the same
    # client concurrency, each saturated alone; the ratio of the two rates is
    # the server's whole cost of a GET+POST submission (web workers and the
    # database alike, which CPU time read from the workers' /proc would miss
    # on PostgreSQL) in units of the cheapest page we serve.
    print(f"load_submission_cost_logins: {login_rate / alone_rate if alone_rate else float('nan'):.1f} login GETs")

    # The office alone, no submissions: what the dashboard costs by itself.
    with Office(port, data["office"], campaign_id) as alone:
        time.sleep(STEP_SECONDS)
    print(f"dashboard_p95_alone_ms: {percentile(alone.dashboard_ms, 95) or 0:.0f} ms")
    print(f"review_queue_p95_alone_ms: {percentile(alone.queue_ms, 95) or 0:.0f} ms")
    print(f"office_pages_per_s_alone: {(len(alone.dashboard_ms) + len(alone.queue_ms)) / STEP_SECONDS:.1f} pages/s")

    steps = []
    with Office(port, data["office"], campaign_id) as office:
        for rate in STEPS:
            batch = [liaison for _, liaison in zip(range(rate * STEP_SECONDS), queue)]
            if len(batch) < rate * STEP_SECONDS:
                print(f"# not enough open reports left for the {rate}/s step", file=sys.stderr)
                break
            step = run_step(port, rate, batch, rng, outcomes)
            steps.append(step)
            if not step.held():
                break
    return login_rate, alone_rate, steps, office, outcomes


def main():
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch}/load.sqlite3"
        env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "MEDIA_ROOT": f"{scratch}/media"}
        print(f"load_database: {url.split('@')[-1]}{' + redis' if os.environ.get('REDIS_URL') else ''}")
        run(["migrate", "--no-input"], env)
        run(["createcachetable"], env)
        seconds, output = run(["seed_scale", "--units", str(LOAD_UNITS), "--tasks", "600", "--weeks", "4"], env)
        campaign_id = re.search(r"^campaign_id: (\d+)$", output, re.MULTILINE).group(1)
        print(f"load_seed_seconds: {seconds:.1f} s")
        out = f"{scratch}/sessions.json"
        seconds, _ = run(
            ["shell", "-c", SESSIONS], {**env, "LOAD_CAMPAIGN": campaign_id, "LOAD_OFFICE": str(OFFICE_USERS), "LOAD_OUT": out}
        )
        data = json.loads(Path(out).read_text())
        print(f"load_sessions_seconds: {seconds:.1f} s")
        print(f"load_open_reports: {len(data['liaisons'])} reports")
        print(f"load_server: {WORKERS} workers x {THREADS} threads, {LOAD_CONCURRENCY} client threads at saturation")
        server_env = {**env, "DEBUG": "False", "ALLOWED_HOSTS": "127.0.0.1", "HTTPS": "False"}
        server = Server(server_env, f"{scratch}/gunicorn.log")
        try:
            server.wait()
            login_rate, alone_rate, steps, office, outcomes = load(server.port, data, campaign_id)
        finally:
            server.stop()
            log = Path(f"{scratch}/gunicorn.log")
            errors = [line for line in log.read_text().splitlines() if "Traceback" in line or "ERROR" in line] if log.exists() else []
            if errors:
                print(f"# gunicorn logged {len(errors)} error lines, first: {errors[0]}", file=sys.stderr)
        for line in step_table(steps):
            print(f"# {line}")
        best = sustained(steps)
        if best is None:
            print(f"# no step held (p95 < {P95_LIMIT_MS} ms, no error): the figures of a held step read 0", file=sys.stderr)
        print(f"load_submissions_per_s: {best.rate if best else 0} submissions/s")
        print(f"load_p95_ms: {best.p95 if best else 0:.0f} ms (GET form + POST, from the planned arrival)")
        print(f"load_post_p95_ms: {percentile(best.post_ms, 95) if best else 0:.0f} ms (the POST alone)")
        print(f"load_errors: {sum(step.errors for step in steps)} submissions")
        print(f"load_office_errors: {office.errors} requests")
        print(f"dashboard_p95_during_load_ms: {percentile(office.dashboard_ms, 95) or 0:.0f} ms")
        print(f"review_queue_p95_during_load_ms: {percentile(office.queue_ms, 95) or 0:.0f} ms")
        answered = [o for o in outcomes if o.answered]
        Path(out).write_text(json.dumps([o.__dict__ for o in answered]))
        print(f"load_unanswered: {len(outcomes) - len(answered)} submissions")
        _, output = run(["shell", "-c", VERIFY], {**env, "LOAD_OUT": out})
        print("\n".join(line for line in output.splitlines() if re.match(r"^\w+: ", line)))
    print(f"load_seconds: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

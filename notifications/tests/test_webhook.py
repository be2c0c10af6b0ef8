"""Group robots (WeCom, DingTalk) over real HTTP: a robot that fails is tried
again after 1, 4, 16, 64 minutes, then recorded as failed with its error; a
robot that answers {"errcode": 0} is marked sent. The server below is a real
one on 127.0.0.1, so the request, its payload and the answers are real."""

import datetime
import json
import threading
import time
import zoneinfo
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notifications import chase, deliveries
from notifications.models import CampaignWebhook, Delivery
from notifications.tests.factories import CampaignWebhookFactory, RobotDeliveryFactory
from reports.tests.conftest import build_setting

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
T0 = datetime.datetime(2026, 1, 14, 9, 0, tzinfo=SHANGHAI)
MINUTE = datetime.timedelta(minutes=1)
OK = (200, {"errcode": 0, "errmsg": "ok"})
SERVER_ERROR = (500, {"message": "Internal Server Error"})
BAD_KEY = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})


class Robot:
    """What the robot will answer, one answer a request (then "ok"), and what it received."""

    def __init__(self):
        self.answers = []
        self.received = []
        self.delay = 0
        self.url = ""


@pytest.fixture
def robot(monkeypatch):
    # A proxy from the environment must not stand between the test and its server.
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    state = Robot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append({"path": self.path, "content_type": self.headers["Content-Type"], "body": body})
            time.sleep(state.delay)
            status, answer = state.answers.pop(0) if state.answers else OK
            data = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except BrokenPipeError:
                pass  # the sender gave up waiting (the timeout test)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test-key"
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


def queued(robot, kind=CampaignWebhook.Kind.WECOM):
    return RobotDeliveryFactory(
        webhook__url=robot.url,
        webhook__kind=kind,
        subject="【创建文明城市】报送提醒：1项",
        body="· 创建文明城市 · 区卫生监督所 · 周报 第2期：已于 1月13日 17:30 截止，尚未报送，请尽快报送。",
        next_attempt_at=T0,
    )


def reloaded(delivery):
    delivery.refresh_from_db()
    return delivery


@pytest.mark.parametrize("kind", [CampaignWebhook.Kind.WECOM, CampaignWebhook.Kind.DINGTALK])
def test_a_queued_robot_post_is_sent_as_a_chinese_text_message(robot, kind):
    delivery = queued(robot, kind)

    counts = deliveries.send_due(at=T0)

    assert counts == {"sent": 1, "failed": 0, "retry": 0}
    delivery = reloaded(delivery)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 1
    assert delivery.sent_at is not None
    assert delivery.last_error == ""
    (request,) = robot.received
    assert request["path"] == "/cgi-bin/webhook/send?key=test-key"
    assert request["content_type"] == "application/json; charset=utf-8"
    # Chinese as UTF-8 text, not \u escapes: what the robots expect and show.
    assert "报送提醒".encode() in request["body"]
    assert json.loads(request["body"]) == {
        "msgtype": "text",
        "text": {
            "content": "【创建文明城市】报送提醒：1项\n"
            "· 创建文明城市 · 区卫生监督所 · 周报 第2期：已于 1月13日 17:30 截止，尚未报送，请尽快报送。"
        },
    }


def test_a_robot_that_keeps_failing_is_retried_after_1_4_16_64_minutes_then_marked_failed(robot):
    robot.answers = [SERVER_ERROR] * 5
    delivery = queued(robot)
    attempts_at, at = [], T0

    for attempt in range(1, 5):
        assert deliveries.send_due(at=at) == {"sent": 0, "failed": 0, "retry": 1}
        attempts_at.append(at)
        delivery = reloaded(delivery)
        assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.PENDING, attempt, "DeliveryFailed: HTTP 500")
        # Not before it is due: nothing is sent a moment early.
        assert deliveries.send_due(at=delivery.next_attempt_at - datetime.timedelta(seconds=1)) == {
            "sent": 0,
            "failed": 0,
            "retry": 0,
        }
        at = delivery.next_attempt_at

    assert deliveries.send_due(at=at) == {"sent": 0, "failed": 1, "retry": 0}
    attempts_at.append(at)

    delivery = reloaded(delivery)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == deliveries.MAX_ATTEMPTS == 5
    assert delivery.last_error == "DeliveryFailed: HTTP 500"
    assert delivery.sent_at is None
    gaps = [(later - earlier) / MINUTE for earlier, later in zip(attempts_at, attempts_at[1:])]
    assert gaps == [1, 4, 16, 64]
    assert len(robot.received) == 5
    # Failed for good: later runs leave it alone.
    assert deliveries.send_due(at=at + datetime.timedelta(days=1)) == {"sent": 0, "failed": 0, "retry": 0}
    assert len(robot.received) == 5


def test_a_robot_that_fails_once_then_answers_is_marked_sent(robot):
    robot.answers = [SERVER_ERROR, OK]
    delivery = queued(robot)

    deliveries.send_due(at=T0)
    assert reloaded(delivery).next_attempt_at == T0 + MINUTE
    deliveries.send_due(at=T0 + MINUTE)

    delivery = reloaded(delivery)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 2
    assert delivery.last_error == ""
    assert len(robot.received) == 2
    assert robot.received[0]["body"] == robot.received[1]["body"]


def test_an_error_code_in_a_200_answer_is_a_failure_with_the_robots_message(robot):
    robot.answers = [BAD_KEY]
    delivery = queued(robot)

    assert deliveries.send_due(at=T0) == {"sent": 0, "failed": 0, "retry": 1}

    delivery = reloaded(delivery)
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.last_error == "DeliveryFailed: errcode 93000: invalid webhook url"
    assert delivery.next_attempt_at == T0 + MINUTE


def test_an_error_code_every_time_ends_failed_with_the_error_kept(robot):
    robot.answers = [BAD_KEY] * 5
    delivery = queued(robot)
    at = T0

    for _ in range(5):
        deliveries.send_due(at=at)
        at = reloaded(delivery).next_attempt_at

    delivery = reloaded(delivery)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_error == "DeliveryFailed: errcode 93000: invalid webhook url"


def test_a_robot_that_does_not_answer_in_time_is_a_failure_to_retry(robot, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.2
    robot.delay = 0.6
    delivery = queued(robot)

    assert deliveries.send_due(at=T0) == {"sent": 0, "failed": 0, "retry": 1}

    delivery = reloaded(delivery)
    assert delivery.status == Delivery.Status.PENDING
    assert "timed out" in delivery.last_error


def test_a_chase_reaches_the_group_robot_as_one_text_naming_the_unit(robot):
    setting = build_setting()
    CampaignWebhookFactory(campaign=setting.campaign, url=robot.url, kind=CampaignWebhook.Kind.DINGTALK)
    at = datetime.datetime(2026, 1, 14, 10, 5, tzinfo=SHANGHAI)
    chase.chase(report=setting.report, by=setting.office, at=at)

    deliveries.send_due(at=at)

    (request,) = robot.received
    content = json.loads(request["body"])["text"]["content"]
    assert content.startswith(f"【{setting.campaign}】报送提醒：1项\n")
    assert f"{setting.unit.display_name} · {setting.rule.name} {setting.report.period.label}" in content
    assert "领导小组办公室催报，已于 1月13日 17:30 截止，请立即报送。" in content
    assert Delivery.objects.get(channel=Delivery.Channel.DINGTALK).status == Delivery.Status.SENT

"""润色 over real HTTP: a fake OpenAI-compatible model on 127.0.0.1 answers
/v1/chat/completions as each test tells it, and records what it received.
The office gets the polished paragraph only when every figure is kept; every
failure is a Chinese sentence and leaves the paragraph as it was."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse

from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UserFactory
from documents import polish
from documents.polish import FiguresChanged, PolishInputRefused, PolishRefused

pytestmark = pytest.mark.django_db

PARAGRAPH = "今年以来，我们开展了普法宣传活动82场，覆盖群众1,200人次，群众满意率达95%，于2025年12月9日完成全部任务。"
POLISHED = "今年以来，共开展普法宣传活动82场，覆盖群众1200人次，群众满意率达95%，全部任务已于2025年12月9日完成。"


def completion(content):
    """The shape of an OpenAI-compatible chat completion."""
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "deepseek-chat",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 60, "total_tokens": 160},
    }


class FakeModel:
    """What the model answers (status and body) and what it received."""

    def __init__(self):
        self.status = 200
        self.body = completion(POLISHED)
        self.delay = 0
        self.received = []
        self.url = ""

    def reply(self, content):
        self.status, self.body = 200, completion(content)


@pytest.fixture
def model(monkeypatch, settings):
    # A proxy from the environment must not stand between the test and its server.
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    state = FakeModel()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
            time.sleep(state.delay)
            data = state.body if isinstance(state.body, bytes) else json.dumps(state.body).encode()
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the timeout test)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/v1"
    settings.LLM_URL = state.url
    settings.LLM_MODEL = "qwen2.5-72b-instruct"
    settings.LLM_API_KEY = ""
    settings.LLM_TIMEOUT = 5
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


# The client ------------------------------------------------------------------


def test_a_good_polish_comes_back_and_the_request_is_a_chat_completion(model):
    assert polish.polish(f"  {PARAGRAPH}\n") == POLISHED
    [request] = model.received
    assert request["path"] == "/v1/chat/completions"
    sent = request["json"]
    assert sent["model"] == "qwen2.5-72b-instruct"
    assert sent["stream"] is False
    assert [m["role"] for m in sent["messages"]] == ["system", "user"]
    assert "数字" in sent["messages"][0]["content"] and "公文" in sent["messages"][0]["content"]
    assert sent["messages"][1]["content"] == PARAGRAPH
    assert "Authorization" not in request["headers"]


def test_the_api_key_is_sent_as_a_bearer_token(model, settings):
    settings.LLM_API_KEY = "sk-intranet-123"
    polish.polish(PARAGRAPH)
    assert model.received[0]["headers"]["Authorization"] == "Bearer sk-intranet-123"


def test_a_changed_figure_is_refused_and_named(model):
    model.reply(POLISHED.replace("82场", "80场"))
    with pytest.raises(FiguresChanged) as refused:
        polish.polish(PARAGRAPH)
    assert str(refused.value) == "模型改动了数字：82→80，已拒绝，原文未改。"


def test_an_added_figure_is_refused(model):
    model.reply(POLISHED + "同比增长15%。")
    with pytest.raises(FiguresChanged, match="新增15%"):
        polish.polish(PARAGRAPH)


def test_a_dropped_figure_is_refused(model):
    model.reply("今年以来，共开展普法宣传活动82场，覆盖群众1200人次，全部任务已于2025年12月9日完成。")
    with pytest.raises(FiguresChanged, match="删去95%"):
        polish.polish(PARAGRAPH)


def test_a_dropped_date_is_refused(model):
    model.reply(POLISHED.replace("2025年12月9日", "年底前"))
    with pytest.raises(FiguresChanged, match="删去2025年12月9日"):
        polish.polish(PARAGRAPH)


@pytest.mark.parametrize(
    "answer",
    [
        f"```\n{POLISHED}\n```",
        f"```text\n{POLISHED}\n```",
        f"“{POLISHED}”",
        f"润色后：{POLISHED}",
        f"<think>用户要求润色，保留82场、95%。</think>\n\n{POLISHED}",
    ],
)
def test_code_fences_quotes_and_reasoning_are_stripped(model, answer):
    model.reply(answer)
    assert polish.polish(PARAGRAPH) == POLISHED


def test_a_server_error_is_refused(model, caplog):
    model.status, model.body = 500, {"error": {"message": "CUDA out of memory"}}
    with pytest.raises(PolishRefused, match="HTTP 500") as refused:
        polish.polish(PARAGRAPH)
    assert refused.value.status == 502
    # Logged, but never the paragraph itself.
    assert "HTTP 500" in caplog.text
    assert "普法" not in caplog.text


@pytest.mark.parametrize(
    "body", [b"<html>Bad Gateway</html>", {"choices": []}, {"choices": [{"message": {"content": None}}]}]
)
def test_a_malformed_answer_is_refused(model, body):
    model.body = body
    with pytest.raises(PolishRefused, match="答复无法识别"):
        polish.polish(PARAGRAPH)


def test_an_answer_cut_off_at_the_token_limit_is_refused(model):
    model.body = completion(POLISHED[:20])
    model.body["choices"][0]["finish_reason"] = "length"
    with pytest.raises(PolishRefused, match="被截断"):
        polish.polish(PARAGRAPH)


def test_a_model_address_without_a_scheme_is_a_setting_to_fix(settings):
    settings.LLM_URL = "10.0.0.5:8000/v1"
    with pytest.raises(PolishRefused, match="LLM_URL 设置有误"):
        polish.polish(PARAGRAPH)


def test_an_empty_answer_is_refused(model):
    model.reply("  ```\n```  ")
    with pytest.raises(PolishRefused, match="没有给出润色结果"):
        polish.polish(PARAGRAPH)


def test_an_answer_far_longer_than_the_paragraph_is_refused(model):
    model.reply(POLISHED + "各级各部门要高度重视，" * 40)
    with pytest.raises(PolishRefused, match="长得多"):
        polish.polish(PARAGRAPH)


def test_a_slow_model_is_given_up_after_the_timeout(model, settings):
    settings.LLM_TIMEOUT = 0.3
    model.delay = 1.5
    started = time.monotonic()
    with pytest.raises(PolishRefused, match="0.3 秒内没有答复"):
        polish.polish(PARAGRAPH)
    assert time.monotonic() - started < 1.4


def test_a_model_that_is_down_is_refused(settings):
    settings.LLM_URL = "http://127.0.0.1:9/v1"  # the discard port: nothing listens
    with pytest.raises(PolishRefused, match="连接不上模型服务"):
        polish.polish(PARAGRAPH)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "还没有内容"), ("   \n ", "还没有内容"), ("字" * 3001, "一次最多润色 3000 字，这一段有 3001 字")],
)
def test_empty_or_too_long_input_is_refused_before_asking(model, text, message):
    with pytest.raises(PolishInputRefused, match=message):
        polish.polish(text)
    assert model.received == []


# The page --------------------------------------------------------------------


@pytest.fixture
def campaign():
    return CampaignFactory()


def member(campaign, role, unit=None):
    return MembershipFactory(unit=unit or campaign.office_unit, role=role).user


def post(client, campaign, text=PARAGRAPH):
    return client.post(reverse("documents:polish"), {"campaign": campaign.pk, "text": text})


def test_office_staff_get_the_polished_paragraph(client, model, campaign, django_assert_max_num_queries):
    client.force_login(member(campaign, Membership.Role.OFFICE_STAFF))
    # Session, user, the user's memberships (campaigns.access.unit_ids), the campaign.
    with django_assert_max_num_queries(4):
        response = post(client, campaign)
    assert response.status_code == 200
    assert response.json() == {"text": POLISHED}


@pytest.mark.parametrize("role", [Membership.Role.LEADER, Membership.Role.LIAISON, Membership.Role.UNIT_HEAD])
def test_leaders_and_units_get_404_and_nothing_is_sent(client, model, campaign, role):
    client.force_login(member(campaign, role))
    assert post(client, campaign).status_code == 404
    assert model.received == []


def test_office_staff_of_another_campaign_and_strangers_get_404(client, model, campaign):
    other = CampaignFactory()
    client.force_login(member(other, Membership.Role.OFFICE_STAFF))
    assert post(client, campaign).status_code == 404
    client.force_login(UserFactory())
    assert post(client, campaign).status_code == 404
    assert client.post(reverse("documents:polish"), {"campaign": "x", "text": PARAGRAPH}).status_code == 404
    assert model.received == []


def test_without_a_model_the_address_is_404(client, campaign, settings):
    settings.LLM_URL = ""
    client.force_login(member(campaign, Membership.Role.OFFICE_STAFF))
    assert post(client, campaign).status_code == 404


def test_only_post(client, model, campaign):
    client.force_login(member(campaign, Membership.Role.OFFICE_STAFF))
    assert client.get(reverse("documents:polish"), {"campaign": campaign.pk, "text": PARAGRAPH}).status_code == 405


def test_csrf_is_required(model, campaign):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member(campaign, Membership.Role.OFFICE_STAFF))
    assert post(client, campaign).status_code == 403
    assert model.received == []


def test_empty_text_is_a_400_with_a_chinese_sentence(client, model, campaign):
    client.force_login(member(campaign, Membership.Role.OFFICE_STAFF))
    response = post(client, campaign, text="  ")
    assert response.status_code == 400
    assert response.json() == {"error": "这一段还没有内容，写好后再润色。"}


def test_a_changed_figure_is_a_502_naming_it(client, model, campaign):
    model.reply(POLISHED.replace("95%", "98%"))
    client.force_login(member(campaign, Membership.Role.OFFICE_STAFF))
    response = post(client, campaign)
    assert response.status_code == 502
    assert response.json() == {"error": "模型改动了数字：95%→98%，已拒绝，原文未改。"}
    assert "模型改动了数字".encode() in response.content  # readable in the browser's network tab


# The button ------------------------------------------------------------------


PAGE = '{% include "documents/_polish.html" %}'


def render_page(campaign):
    request = RequestFactory().get("/")
    request.user = member(campaign, Membership.Role.OFFICE_STAFF)
    return engines["django"].from_string(PAGE).render({"campaign": campaign}, request=request)


def test_the_polish_script_and_its_address_are_on_the_draft_page_when_a_model_is_set(model, campaign):
    html = render_page(campaign)
    assert 'src="/static/js/polish.js"' in html
    assert f'data-polish-url="{reverse("documents:polish")}"' in html
    assert f'data-polish-campaign="{campaign.pk}"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_without_a_model_nothing_of_polishing_shows(campaign, settings):
    settings.LLM_URL = ""
    assert render_page(campaign).strip() == ""

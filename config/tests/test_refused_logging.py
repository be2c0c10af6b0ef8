"""Refused requests are logged in one line, without a traceback; real errors keep theirs."""

import io
import logging

import pytest
from django.test import override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.urls("config.tests.refusing_urls")]


@pytest.fixture
def console():
    """What the configured console handler writes (config.settings LOGGING)."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


@pytest.mark.parametrize(
    ("address", "status", "line"),
    [
        ("/not-found/", 404, "Not Found: /not-found/"),
        ("/forbidden/", 403, "Forbidden (Permission denied): /forbidden/（汇总表由领导小组办公室生成。）"),
        ("/refused/", 400, "Refused: /refused/（本期已超过截止时间，请填写逾期说明后再报送。）"),
    ],
)
def test_a_refused_request_is_one_line_without_a_traceback(client, console, address, status, line):
    response = client.get(address)
    assert response.status_code == status
    assert console.getvalue().strip() == line
    assert "Traceback" not in console.getvalue()


def test_a_refused_step_a_view_let_through_shows_its_sentence(client, console):
    response = client.get("/refused/")
    assert "本期已超过截止时间，请填写逾期说明后再报送。" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_real_error_keeps_its_traceback(console):
    from django.test import Client

    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "Traceback" in console.getvalue() and "ZeroDivisionError" in console.getvalue()

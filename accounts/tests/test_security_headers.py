import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts.middleware import NoStoreMiddleware
from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory

ROOT = Path(__file__).resolve().parents[2]


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))

    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_signed_in_page_is_never_stored_by_the_browser(client):
    member = MembershipFactory(role=Membership.Role.LIAISON)
    client.force_login(member.user)

    response = client.get(reverse("reports:unit_home"))

    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


@pytest.mark.django_db
def test_a_strangers_page_is_left_to_the_usual_caching(client):
    response = client.get(reverse("password_reset"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_download_is_never_stored_even_without_a_signed_in_user():
    def download(request):
        response = HttpResponse(b"x", content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="a.pdf"'
        return response

    request = RequestFactory().get("/x/")
    request.user = AnonymousUser()

    assert "no-store" in NoStoreMiddleware(download)(request)["Cache-Control"]
    assert "no-store" not in NoStoreMiddleware(lambda r: HttpResponse(b"x"))(request).get("Cache-Control", "")


def test_the_readme_production_settings_pass_check_deploy_without_silencing():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "k3Hq-9vV7x!pZr2@Lm8Nw4Ts6Yb1Jc5Fd0Gh7Ke3Xa9Qu2Wo6Ri4Py8Sz1Dn5Mf7Bt",
        "ALLOWED_HOSTS": "campaign.example.gov.cn",
        "HTTPS": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout + result.stderr

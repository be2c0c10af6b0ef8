"""Every demo user follows every link the product shows them: no page fails,
no link shown leads to a refusal, and no page loads anything from outside
the site (users may have no internet).

One page per kind of address (ids and query values stripped), so the crawl
costs a function of the number of pages the product has, not of the data.
"""

import datetime
import io
import re
import zoneinfo
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)
# Leaving, or a file of the user's own: nothing to crawl.
SKIP = re.compile(r"^/(accounts/logout|admin/logout|static/)|/download/|/attachments/\d+/$|/export")
MAX_PAGES = 150


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.assets = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("src", "href") if tag in ("script", "link", "img", "iframe", "source") else ():
            if attrs.get(name):
                self.assets.append(attrs[name])


def kind_of(path, query):
    keys = ",".join(sorted(part.split("=")[0] for part in query.split("&") if part))
    return re.sub(r"/\d+/", "/N/", re.sub(r"/[0-9a-f-]{36}/", "/U/", path)) + "?" + keys


@pytest.fixture(scope="module")
def seeded(shared_db):
    # The demo stores uploads (the civilised-city demo's photos and evidence): the crawl downloads them.
    with shared_db() as media_root, time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
    return media_root


def crawl(client):
    """(failures, external assets, pages seen) of one signed-in user's crawl from the home page."""
    queue, seen_kinds, failures, external, pages = ["/"], set(), [], [], 0
    while queue and pages < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        kind = kind_of(parts.path, parts.query)
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        response = client.get(url, follow=True)
        pages += 1
        if response.status_code != 200:
            failures.append((url, response.status_code))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        external += [(url, asset) for asset in parser.assets if re.match(r"^(https?:)?//", asset)]
        for href in parser.links:
            target = urlsplit(urljoin(response.request["PATH_INFO"], href))
            if target.scheme or target.netloc or not target.path.startswith("/") or SKIP.search(target.path):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return failures, external, pages


def test_every_user_reaches_every_page_they_are_shown(client, seeded, db, time_machine, settings):
    settings.MEDIA_ROOT = seeded
    time_machine.move_to(NOW, tick=False)
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    assert users.count() >= 10
    report = {}
    for user in users:
        client.force_login(user)
        failures, external, pages = crawl(client)
        report[user.username] = pages
        assert not failures, f"{user.username}: links shown that fail: {failures}"
        assert not external, f"{user.username}: assets from outside the site: {external}"
        client.logout()
    # The crawl reached the product, not just a home page.
    assert max(report.values()) >= 20, report

"""The embedded broker writes each message whole before a worker can see it (config/broker.py)."""

import os

import pytest
from kombu import Connection

from config import broker


@pytest.fixture
def connection(tmp_path):
    folder = tmp_path / "queue"
    folder.mkdir()
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder), "control_folder": str(tmp_path / "control")}
    with Connection(f"{broker.SCHEME}://", transport_options=options) as connection:
        yield connection, folder


def test_the_scheme_is_the_embedded_transport(connection):
    conn, _ = connection
    assert type(conn.transport) is broker.Transport


def test_a_message_appears_under_its_queue_name_only_once_written(connection, monkeypatch):
    conn, folder = connection
    channel = conn.default_channel
    seen = []
    replace = os.replace

    def watching(source, target):
        # What a worker listing the folder would find just before the rename.
        seen.append((sorted(os.listdir(folder)), os.path.getsize(source)))
        replace(source, target)

    monkeypatch.setattr(os, "replace", watching)
    channel._put("celery", {"body": "催报提醒", "n": 1})
    (listing, size), = seen
    assert size > 0 and [name for name in listing if name.partition(".")[2] == "celery.msg"] == []
    assert [name for name in os.listdir(folder) if name.endswith(broker.PARTIAL)] == []
    assert channel._size("celery") == 1
    assert channel._get("celery") == {"body": "催报提醒", "n": 1}


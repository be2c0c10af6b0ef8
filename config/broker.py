"""The embedded broker (no Redis): kombu's filesystem transport, with each
message written whole before a worker can see it.

kombu writes a message file in place. A worker listing the folder at that
moment moves the still-empty file away, fails to decode it and stops with
"Unrecoverable error: JSONDecodeError" (celery/kombu#1551, open). Here the
message is written under a name the reader skips, then renamed to its
`.msg` name: a rename within a folder is atomic, so a reader sees the whole
message or nothing. Registered as the `embeddedfs://` transport
(`config/celery.py`); `CELERY_BROKER_URL` uses it when REDIS_URL is unset.
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

SCHEME = "embeddedfs"
PARTIAL = ".partial"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        # The name kombu gives it, which orders the queue by time of sending.
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # "<name>.partial" does not end in ".<queue>.msg": the reader skips it.
        partial = final + PARTIAL
        try:
            with open(partial, "wb", buffering=0) as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


def register():
    TRANSPORT_ALIASES.setdefault(SCHEME, f"{__name__}:Transport")

import os
import uuid
from contextlib import contextmanager

import pytest


def settings_for_tests(*, media_root, previous_caches):
    """What every test runs under: the autouse fixture below applies it to
    each test, `shared_db` to data built once for a module."""
    # Under pytest-xdist each worker names its keys too, so that workers
    # sharing one Redis (CI's REDIS_URL) never meet in it.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return {
        # Fast hashing: the suite creates many users; security is not under test.
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "MEDIA_ROOT": media_root,
        "CELERY_TASK_ALWAYS_EAGER": True,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Axes wants the request in authenticate(), which client.login() does not
        # pass. Tests of signing in turn it back on (accounts/tests/test_sign_in.py).
        "AXES_ENABLED": False,
        # Tests sign in and then travel days ahead: sessions outlast them. The
        # timeouts' own tests set real ones (accounts/tests/test_session_timeout.py).
        "SESSION_IDLE_TIMEOUT": 10 * 365 * 24 * 3600,
        "SESSION_ABSOLUTE_TIMEOUT": 10 * 365 * 24 * 3600,
        "SESSION_COOKIE_AGE": 14 * 24 * 3600,  # Django's default
        # No test reaches a real language model (an LLM_URL in .env); those of
        # 润色 set their own fake one (documents/tests/test_polish.py).
        "LLM_URL": "",
        # Each look at a dashboard adds its figures up, so that a test sees
        # what it changed at once; the sharing has its own tests
        # (dashboards/tests/test_shared_body.py).
        "DASHBOARD_SHARED_SECONDS": 0,
        # Sessions in the database whatever the cache, so that a page's
        # queries are the same on SQLite and on PostgreSQL with Redis; the
        # Redis-backed sessions (config.sessions) have their own tests
        # (config/tests/test_sessions.py).
        "SESSION_ENGINE": "django.contrib.sessions.backends.db",
        # A cache of its own for each test: ids repeat across tests (and across
        # runs on a shared Redis), so cached figures must not leak between them.
        "CACHES": {
            name: {**options, "KEY_PREFIX": f"test-{worker}-{uuid.uuid4().hex}"}
            for name, options in previous_caches.items()
        },
    }


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    for name, value in settings_for_tests(media_root=tmp_path / "media", previous_caches=settings.CACHES).items():
        setattr(settings, name, value)


@pytest.fixture(scope="module")
def shared_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """For data that a module's tests share, built once instead of for each test:
    `with shared_db() as media_root:` unblocks the database and builds under
    the tests' settings, with uploads under `media_root`. What is built stays
    in a transaction open until the module ends, then rolled back; each test
    (`db`) runs in a savepoint inside it, so what a test writes is undone as
    before. Every test of the module that runs after the build sees the data,
    so only for modules whose tests all start from it; and never in a module
    with transactional tests (transaction=True, live_server), which would
    commit or flush it.
    """
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings

    media_root = tmp_path_factory.mktemp("shared-media")
    overrides = override_settings(**settings_for_tests(media_root=media_root, previous_caches=settings.CACHES))
    atomic = transaction.atomic()
    # As Django's TestCase marks its own: a durable atomic block inside is
    # then allowed, as it is in a test.
    atomic._from_testcase = True
    open_ = False

    @contextmanager
    def build():
        nonlocal open_
        assert not open_, "a module builds its shared data once"
        with django_db_blocker.unblock(), overrides:
            atomic.__enter__()
            open_ = True
            try:
                yield media_root
            except BaseException as error:
                open_ = False
                atomic.__exit__(type(error), error, error.__traceback__)
                raise

    yield build
    if open_:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def refused_by():
    """`with refused_by(Model, "constraint_name"): ...` passes only if the
    database itself refuses the write with that constraint, so a test cannot
    pass on some other error (a missing NOT NULL column, another constraint).
    """
    from contextlib import contextmanager

    from django.db import IntegrityError, models, transaction

    @contextmanager
    def refused(model, name):
        (constraint,) = [c for c in model._meta.constraints if c.name == name]
        # SQLite names the columns of a failed unique constraint, not the constraint.
        expected = {name}
        if isinstance(constraint, models.UniqueConstraint):
            table = model._meta.db_table
            columns = [model._meta.get_field(field).column for field in constraint.fields]
            expected.add(", ".join(f"{table}.{column}" for column in columns))
        with pytest.raises(IntegrityError) as caught, transaction.atomic():
            yield
        message = str(caught.value)
        assert any(text in message for text in expected), f"refused, but not by {name}: {message}"

    return refused

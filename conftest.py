import uuid

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Fast hashing: the suite creates many users; security is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Axes wants the request in authenticate(), which client.login() does not
    # pass. Tests of signing in turn it back on (accounts/tests/test_sign_in.py).
    settings.AXES_ENABLED = False
    # A cache of its own for each test: ids repeat across tests (and across
    # runs on a shared Redis), so cached figures must not leak between them.
    settings.CACHES = {
        name: {**options, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"} for name, options in settings.CACHES.items()
    }


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

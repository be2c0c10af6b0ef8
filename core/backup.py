"""Backup and restore of the whole site: the database as portable JSON
(dumpdata) plus every uploaded file, with a manifest of counts and checksums.

It names no app: it reads the installed models through the app registry, so
it works for every app above it. An app whose migrations seed rows (the
working-day calendar) says so with `seeded_by_migrations` on its AppConfig,
and a restore replaces those rows instead of refusing the fresh database.
"""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import override_settings

from .errors import Refused

FORMAT = 1
DATA_NAME = "data.json"
FILES_DIR = "files"
MANIFEST_NAME = "manifest.json"
# Rebuilt by `migrate` in every fresh database (contenttypes, permissions) or
# worthless after a restore (sessions): dumped, they would clash with the rows
# migrate creates. Foreign keys to them travel as natural keys instead.
EXCLUDED = ("contenttypes", "auth.permission", "sessions")
CHUNK = 1 << 20


class BackupRefused(Refused):
    pass


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backed_up_models():
    """Every concrete model whose rows a backup holds, by its label."""
    excluded_apps = {name for name in EXCLUDED if "." not in name}
    excluded_models = {name for name in EXCLUDED if "." in name}
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded_models
    ]


def seeded_models():
    """Models whose rows `migrate` creates (AppConfig.seeded_by_migrations:
    a model of the app, or "app_label.Model" of another, as the groups of
    三员分立 that audit's migration creates in auth)."""
    return [
        apps.get_model(name) if "." in name else config.get_model(name)
        for config in apps.get_app_configs()
        for name in getattr(config, "seeded_by_migrations", ())
    ]


def model_counts(models):
    return {model._meta.label: model._default_manager.count() for model in models}


def app_version():
    """The commit the code runs at, when it runs from a git checkout."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=5, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip()


def media_files(root):
    """(relative POSIX path, absolute path) of every file under `root`."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted((path.relative_to(root).as_posix(), path) for path in root.rglob("*") if path.is_file())


def backup(*, out, at):
    """Write the database, the uploads and the manifest into the directory
    `out`, which must be new or empty; the manifest (a dict) is returned."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupRefused(f"备份目录 {out} 不是空目录，请指定一个新目录，以免覆盖已有备份。")
    out.mkdir(parents=True, exist_ok=True)
    models = backed_up_models()
    data = out / DATA_NAME
    # One transaction so that the counts and the dump read the same snapshot
    # (PostgreSQL; SQLite's WAL reader holds one snapshot per transaction too).
    with transaction.atomic():
        call_command(
            "dumpdata",
            *[model._meta.label for model in models],
            natural_foreign=True,
            output=str(data),
            verbosity=0,
        )
        counts = model_counts(models)
    files = []
    for name, path in media_files(settings.MEDIA_ROOT):
        target = out / FILES_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        files.append({"path": name, "size": target.stat().st_size, "sha256": file_sha256(target)})
    manifest = {
        "format": FORMAT,
        "created_at": at.isoformat(),
        "version": app_version(),
        "database": connections[DEFAULT_DB_ALIAS].vendor,
        "data": {"path": DATA_NAME, "size": data.stat().st_size, "sha256": file_sha256(data)},
        "counts": counts,
        "files": files,
    }
    (out / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def read_manifest(source):
    path = Path(source) / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupRefused(f"{source} 中没有 {MANIFEST_NAME}，不是本系统的备份目录。") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupRefused(f"{path} 已损坏，无法读取，请换一份备份。") from None
    if manifest.get("format") != FORMAT:
        raise BackupRefused(f"{path} 的格式版本（{manifest.get('format')}）本系统无法识别。")
    return manifest


def verify(source, manifest):
    """Every file of the backup present with its recorded size and SHA-256."""
    source = Path(source)
    entries = [manifest["data"]] + [{**entry, "path": f"{FILES_DIR}/{entry['path']}"} for entry in manifest["files"]]
    for entry in entries:
        if Path(entry["path"]).is_absolute() or ".." in Path(entry["path"]).parts:
            raise BackupRefused(f"备份清单中的路径 {entry['path']} 不合法，未做任何恢复。")
        path = source / entry["path"]
        if not path.is_file():
            raise BackupRefused(f"备份不完整：缺少文件 {entry['path']}，未做任何恢复。")
        if path.stat().st_size != entry["size"] or file_sha256(path) != entry["sha256"]:
            raise BackupRefused(f"备份已损坏：文件 {entry['path']} 的校验值与清单不符，未做任何恢复。")


def occupied_tables():
    """Models holding rows a restore would clash with (what `migrate` seeds
    does not count: the restore replaces it)."""
    seeded = set(seeded_models())
    return [
        model._meta.label
        for model in backed_up_models()
        if model not in seeded and model._default_manager.exists()
    ]


def restore(*, source):
    """Load a backup made by `backup()` into an empty migrated database and
    put its files under MEDIA_ROOT; the counts per model are returned."""
    source = Path(source)
    manifest = read_manifest(source)
    verify(source, manifest)
    occupied = occupied_tables()
    if occupied:
        raise BackupRefused(
            "数据库中已有业务数据（" + "、".join(occupied[:5]) + (" 等" if len(occupied) > 5 else "") + "），"
            "只能恢复到刚执行过 migrate 的空数据库，以免覆盖现有数据。"
        )
    media_root = Path(settings.MEDIA_ROOT)
    with transaction.atomic():
        # Plain SQL: a model delete() would write history rows (simple_history)
        # the backup does not hold.
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            for model in seeded_models():
                # Their many-to-many rows first (a group's permissions).
                for field in model._meta.many_to_many:
                    through = field.remote_field.through._meta.db_table
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(through)}")
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        # Loading many-to-many rows fires m2m_changed, which simple_history
        # would answer with history rows the backup already holds.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(source / manifest["data"]["path"]), verbosity=0)
        counts = model_counts(backed_up_models())
        differing = [label for label, count in manifest["counts"].items() if counts.get(label) != count]
        if differing:
            raise BackupRefused("恢复后的行数与备份清单不符（" + "、".join(differing[:5]) + "），已全部撤销。")
        # Inside the transaction: a file that cannot be written undoes the load.
        for entry in manifest["files"]:
            target = media_root / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / FILES_DIR / entry["path"], target)
    return manifest, counts

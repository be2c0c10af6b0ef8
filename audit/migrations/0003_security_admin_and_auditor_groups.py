"""三员分立: the security admin's and the auditor's groups, with exactly these
permissions. The system admin is a superuser; the other two get `is_staff`
(to enter the admin) and one of these groups, from the security admin or the
system admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECURITY_ADMIN = "安全管理员"
AUDITOR = "审计员"

# People, their groups and their roles in units; units only to pick one. No
# campaign, report, score or any other business row.
SECURITY_ADMIN_PERMISSIONS = [
    ("accounts", "add_user"),
    ("accounts", "change_user"),
    ("accounts", "view_user"),
    ("auth", "add_group"),
    ("auth", "change_group"),
    ("auth", "delete_group"),
    ("auth", "view_group"),
    ("campaigns", "add_membership"),
    ("campaigns", "change_membership"),
    ("campaigns", "delete_membership"),
    ("campaigns", "view_membership"),
    ("campaigns", "view_unit"),
]

# Reading only: the trail, the sign-in log, and the history records.
AUDITOR_PERMISSIONS = [
    ("audit", "view_auditevent"),
    ("axes", "view_accessattempt"),
    ("axes", "view_accesslog"),
    ("axes", "view_accessfailurelog"),
]


def _permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, codename in pairs:
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def create_groups(apps, schema_editor):
    # Permissions are otherwise only made after all migrations ran.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    security, _ = Group.objects.get_or_create(name=SECURITY_ADMIN)
    security.permissions.set(_permissions(apps, SECURITY_ADMIN_PERMISSIONS))
    auditor, _ = Group.objects.get_or_create(name=AUDITOR)
    history = Permission.objects.filter(codename__startswith="view_historical")
    auditor.permissions.set([*_permissions(apps, AUDITOR_PERMISSIONS), *history])


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[SECURITY_ADMIN, AUDITOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("axes", "0010_accessattemptexpiration"),
        ("accounts", "0001_initial"),
        ("campaigns", "0003_campaign_figures_version"),
        ("calendars", "0003_holiday_history_and_notice"),
        ("tasks", "0004_task_closure"),
        ("reports", "0013_rule_phase_and_campaign_end"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

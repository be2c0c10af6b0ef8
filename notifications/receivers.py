"""What the notifications app does when a lower app signals an event
(``reports.signals``): connected in NotificationsConfig.ready()."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from campaigns.models import Membership
from core.dates import month_text

from .services import notify


@transaction.atomic
def workbook_ready(sender, *, export, at, **kwargs):
    """Tell the campaign's office staff that the monthly workbook is ready."""
    staff = (
        Membership.objects.filter(
            unit=export.campaign.office_unit_id, role=Membership.Role.OFFICE_STAFF, is_active=True, user__is_active=True
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    url = reverse("reports:workbooks", args=[export.campaign_id])
    title = f"{export.campaign}：{month_text(export.date_from)}报送情况汇总表已生成"
    body = (
        f"《{export.campaign.title}》截止日期 {export.date_from:%Y-%m-%d} 至 {export.date_to:%Y-%m-%d} 的报送情况汇总表"
        f"（Excel）已自动生成，可报送领导。\n\n请登录{settings.SITE_NAME}下载：{settings.SITE_URL}{url}"
    )
    return notify(recipients=staff, campaign=export.campaign, title=title, body=body, url=url, at=at).notifications

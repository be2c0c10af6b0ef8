import factory
from django.utils import timezone

from campaigns.tests.factories import CampaignFactory, UnitFactory, UserFactory
from notifications.models import CampaignWebhook, Delivery, Notification, Reminder, new_token
from reports.tests.factories import ReportFactory


class CampaignWebhookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignWebhook

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"联络员工作群{n}")
    kind = CampaignWebhook.Kind.WECOM
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    title = "报送提醒：1项需要处理"
    body = "· 测试专项行动 · 区卫生监督所 · 周报 第1期：将于 1月13日 17:30 截止，尚未报送。\n\n请登录创建活动工作平台办理。"
    url = "/my/"


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    channel = Delivery.Channel.EMAIL
    campaign = factory.SubFactory(CampaignFactory)
    unit = factory.SubFactory(UnitFactory)
    recipient = factory.SubFactory(UserFactory)
    address = factory.LazyAttribute(lambda d: f"{d.recipient.username}@example.com")
    subject = "报送提醒：1项需要处理"
    body = "· 周报 第1期：将于 1月13日 17:30 截止，尚未报送。"
    next_attempt_at = factory.LazyFunction(timezone.now)


class RobotDeliveryFactory(DeliveryFactory):
    """A post to a campaign's group robot, as the sweep queues it."""

    channel = factory.SelfAttribute("webhook.kind")
    webhook = factory.SubFactory(CampaignWebhookFactory)
    campaign = factory.SelfAttribute("webhook.campaign")
    unit = None
    recipient = None
    address = factory.SelfAttribute("webhook.name")


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    report = factory.SubFactory(ReportFactory)
    recipient = factory.SubFactory(UserFactory)
    kind = "due"
    sweep = factory.LazyFunction(new_token)
    notification = factory.SubFactory(NotificationFactory, recipient=factory.SelfAttribute("..recipient"))

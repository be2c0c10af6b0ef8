import datetime

import factory

from calendars.models import CalendarDay, HolidayYear


# Far beyond the years the migration loads from chinesecalendar, so that a
# factory row never collides with real holiday data.
class HolidayYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HolidayYear

    year = factory.Sequence(lambda n: 2100 + n)
    source = "国务院办公厅通知"


class CalendarDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDay

    date = factory.Sequence(lambda n: datetime.date(2100, 1, 1) + datetime.timedelta(days=n))
    is_working = False
    name = "元旦"

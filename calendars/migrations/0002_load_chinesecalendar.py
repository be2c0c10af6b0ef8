from django.db import migrations


def load(apps, schema_editor):
    from calendars.services import chinesecalendar_years, load_year_from_chinesecalendar

    day_model = apps.get_model("calendars", "CalendarDay")
    year_model = apps.get_model("calendars", "HolidayYear")
    for year in chinesecalendar_years():
        load_year_from_chinesecalendar(year=year, day_model=day_model, year_model=year_model)


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

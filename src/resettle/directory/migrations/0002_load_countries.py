"""Load the ISO 3166-1 countries with their Arabic and French names and UNHCR codes."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from resettle.directory.countries import country_rows

    Country = apps.get_model("directory", "Country")
    existing = set(Country.objects.values_list("iso3", flat=True))
    Country.objects.bulk_create(
        [Country(**row) for row in country_rows() if row["iso3"] not in existing]
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

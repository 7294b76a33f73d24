"""One population per ISO country, and the named groups UNHCR's data uses."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from resettle.needs.populations import GROUPS

    Country = apps.get_model("directory", "Country")
    Population = apps.get_model("needs", "Population")
    existing = set(Population.objects.values_list("code", flat=True))
    rows = [
        Population(
            code=c.iso3, country=c, name_en=c.name_en, name_ar=c.name_ar, name_fr=c.name_fr
        )
        for c in Country.objects.all()
        if c.iso3 not in existing
    ]
    rows += [
        Population(
            code=g["code"], name_en=g["name_en"], name_ar=g["name_ar"], name_fr=g["name_fr"]
        )
        for g in GROUPS
        if g["code"] not in existing
    ]
    Population.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_initial"), ("directory", "0002_load_countries")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

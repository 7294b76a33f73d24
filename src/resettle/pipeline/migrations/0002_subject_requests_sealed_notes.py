"""Exports and erasures of a family's data (SubjectRequest), erasure marks, sealed free text.

Free text about a family (a stage event's note, a case file's hold or
withdrawal reason, the purpose given for reading personal data) is sealed
like names and dates of birth: new `*_sealed` columns get the ciphertext of
the old columns' text, which are then dropped. From then on the audit log
holds fingerprints of that text (core.audit.snapshot), never the text.
"""

from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


# (model, old column, new sealed column)
FREE_TEXT = (
    ("casefile", "reason", "reason_sealed"),
    ("stageevent", "note", "note_sealed"),
    ("personaldataaccess", "purpose", "purpose_sealed"),
)


def seal_free_text(apps: Any, schema_editor: Any) -> None:
    from resettle.pipeline.crypto import seal  # noqa: PLC0415 - the settings' key, at run time

    for model_name, old, new in FREE_TEXT:
        model = apps.get_model("pipeline", model_name)
        for row in model.objects.exclude(**{old: ""}).iterator(chunk_size=500):
            model.objects.filter(pk=row.pk).update(**{new: seal(getattr(row, old))})


def unseal_free_text(apps: Any, schema_editor: Any) -> None:
    from resettle.pipeline.crypto import unseal  # noqa: PLC0415 - as above

    for model_name, old, new in FREE_TEXT:
        model = apps.get_model("pipeline", model_name)
        for row in model.objects.exclude(**{new: ""}).iterator(chunk_size=500):
            text = unseal(getattr(row, new))
            model.objects.filter(pk=row.pk).update(
                **{old: text[:200] if old == "purpose" else text}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_resettlement_cases"),
        ("pipeline", "0001_case_pipeline"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="casefile",
            name="erased_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="personal data erased"),
        ),
        migrations.AddField(
            model_name="casefile",
            name="reason_sealed",
            field=models.TextField(
                blank=True,
                help_text="Why the case is on hold or withdrawn.",
                verbose_name="hold or withdrawal reason (encrypted)",
            ),
        ),
        migrations.AddField(
            model_name="familymember",
            name="erased_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="personal data erased"),
        ),
        migrations.AddField(
            model_name="personaldataaccess",
            name="purpose_sealed",
            field=models.TextField(blank=True, verbose_name="purpose (encrypted)"),
        ),
        migrations.AddField(
            model_name="stageevent",
            name="note_sealed",
            field=models.TextField(blank=True, verbose_name="note (encrypted)"),
        ),
        migrations.RunPython(seal_free_text, unseal_free_text),
        migrations.RemoveField(
            model_name="casefile",
            name="reason",
        ),
        migrations.RemoveField(
            model_name="personaldataaccess",
            name="purpose",
        ),
        migrations.RemoveField(
            model_name="stageevent",
            name="note",
        ),
        migrations.AlterField(
            model_name="personaldataaccess",
            name="what",
            field=models.CharField(
                choices=[
                    ("personal", "Names and dates of birth"),
                    ("medical", "Medical details"),
                    ("export", "Export of family members"),
                    ("subject", "Export of everything held about the family (subject access)"),
                ],
                max_length=10,
                verbose_name="what",
            ),
        ),
        migrations.AlterField(
            model_name="personaldataaccess",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="who",
            ),
        ),
        migrations.CreateModel(
            name="SubjectRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("export", "Export of everything held"), ("erasure", "Erasure")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("personal", "Personal data: names pseudonymised, the rest removed"),
                            ("medical", "Medical details only"),
                        ],
                        max_length=10,
                        verbose_name="scope",
                    ),
                ),
                (
                    "origin",
                    models.CharField(
                        choices=[("request", "On request"), ("retention", "Retention period over")],
                        default="request",
                        max_length=10,
                        verbose_name="origin",
                    ),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                (
                    "counts",
                    models.JSONField(blank=True, default=dict, verbose_name="records changed"),
                ),
                ("actor_repr", models.CharField(max_length=150, verbose_name="who (name)")),
                (
                    "channel",
                    models.CharField(default="admin", max_length=10, verbose_name="channel"),
                ),
                (
                    "at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="when"
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="who",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.resettlementcase",
                        verbose_name="case",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="pipeline.familymember",
                        verbose_name="family member",
                    ),
                ),
            ],
            options={
                "verbose_name": "data subject request",
                "verbose_name_plural": "data subject requests",
                "ordering": ["-at", "-pk"],
            },
        ),
    ]

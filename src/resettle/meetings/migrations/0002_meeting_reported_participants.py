# Historic participation figures for meetings held before registrations were kept.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0001_meetings_agenda_planning'),
    ]

    operations = [
        # Geneva keeps the time of the IANA zone Europe/Zurich ("Europe/Geneva" does not exist).
        migrations.AlterField(
            model_name='meeting',
            name='time_zone',
            field=models.CharField(default='UTC', help_text='The time zone of the venue, such as Europe/Zurich for Geneva.', max_length=64, verbose_name='time zone'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='reported_participants',
            field=models.PositiveIntegerField(blank=True, help_text='For a meeting held before registrations were kept here: the number of participants reported at the time. Leave empty when registrations are recorded.', null=True, verbose_name='reported participants'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='reported_refugee_participants',
            field=models.PositiveIntegerField(blank=True, help_text='For a meeting held before registrations were kept here: the number of refugee representatives reported at the time (for example 4 at the ATCR 2018).', null=True, verbose_name='reported refugee participants'),
        ),
    ]

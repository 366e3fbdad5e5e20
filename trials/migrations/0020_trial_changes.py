"""What changed, per trial (trials/models/changes.py). A trial already here gets its "first listed
here" row, dated by its record's last update and the day it came in: imports record the rest."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def first_listed(apps, schema_editor):
    Trial = apps.get_model("trials", "Trial")
    TrialChange = apps.get_model("trials", "TrialChange")
    trials = Trial.objects.filter(is_synthetic=False).values_list(
        "pk", "last_update_post_date", "created_at"
    )
    TrialChange.objects.bulk_create(
        [
            TrialChange(
                trial_id=pk, kind="first_listed", registry_posted_on=posted, seen_at=created
            )
            for pk, posted, created in trials.iterator()
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('trials', '0019_trial_attributes'),
    ]

    operations = [
        migrations.CreateModel(
            name='TrialChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('first_listed', 'First listed here'), ('status', 'Enrolment status changed'), ('site_added', 'Site added'), ('site_opened', 'Site opened'), ('site_closed', 'Site closed'), ('site_status', 'Site status changed'), ('site_removed', 'Site removed'), ('eligibility', 'Eligibility criteria changed'), ('ages', 'Age limits changed'), ('dates', 'Dates moved'), ('results_posted', 'Results posted'), ('correction', 'Corrected by our curators'), ('withdrawn', 'No longer listed here')], max_length=20)),
                ('subject', models.CharField(blank=True, help_text="What changed, where it is not the whole trial: a site's name and place, or the field a curator corrected.", max_length=500)),
                ('old_value', models.TextField(blank=True, help_text='The value before (a registry code, a date, an age); empty if none.')),
                ('new_value', models.TextField(blank=True, help_text='The value after (a registry code, a date, an age); empty if none.')),
                ('registry_posted_on', models.DateField(blank=True, help_text="The registry's last-update posted date of the record that brought the change; empty for a curator's change.", null=True, verbose_name='Posted by the registry')),
                ('seen_at', models.DateTimeField(default=django.utils.timezone.now, help_text='When the portal saw the change.', verbose_name='Seen here')),
                ('trial', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='trials.trial')),
            ],
            options={
                'ordering': ['-seen_at', 'pk'],
                'indexes': [models.Index(fields=['trial', 'seen_at'], name='change_trial_seen_idx'), models.Index(fields=['seen_at'], name='change_seen_idx')],
            },
        ),
        migrations.RunPython(first_listed, migrations.RunPython.noop),
    ]

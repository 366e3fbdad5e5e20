from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0022_site_location_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="trial",
            name="source_text_digest",
            field=models.CharField(
                blank=True,
                help_text="Fingerprint of the record's text as imported, and of the code that "
                "read it: the same record again is skipped before it is read.",
                max_length=64,
            ),
        ),
    ]

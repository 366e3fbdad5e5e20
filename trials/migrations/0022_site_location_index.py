from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0021_follows"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="site",
            name="site_coordinates_idx",
        ),
        migrations.AddIndex(
            model_name="site",
            index=models.Index(
                fields=["latitude", "longitude"],
                include=("trial", "status"),
                name="site_location_idx",
            ),
        ),
    ]

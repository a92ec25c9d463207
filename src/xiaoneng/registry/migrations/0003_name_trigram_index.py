"""PostgreSQL: a trigram index on entity names, so that a name fragment is found by index.

``name LIKE '%fragment%'`` (Django's ``contains``) then reads the index instead of the table:
under a millisecond for a rare fragment in a million entities. It needs the pg_trgm
extension; where the database user may not create it, the migration says so and goes on
(search still works, by scanning). SQLite keeps the scan: see docs/benchmarks.md.
"""

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as error:
            log.warning(
                "pg_trgm is not available (%s): entity names are searched by scanning", error
            )
            return
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS entity_name_trgm ON registry_entity "
            "USING gin (name gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS entity_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_reference_data")]
    operations = [migrations.RunPython(create, drop)]

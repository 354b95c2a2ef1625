"""The company account's models are named for the company: ZoomAccountConnection becomes
ZoomCompanyAccount and ZoomAccountMember becomes ZoomCompanyMember.

Nothing changes in the database: both keep their tables (the names are pinned first, so the
renames find the table already named and leave it), columns and constraints. The content types
are renamed by Django with the models (RenameModel), so granted permissions stay attached; the
default permissions' codenames, which carry the model's name, are renamed here too.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Old model name -> (new model name, the old and new verbose names in the permissions' names).
RENAMED = {
    "zoomaccountconnection": ("zoomcompanyaccount", "company Zoom account", "company Zoom account"),
    "zoomaccountmember": ("zoomcompanymember", "zoom account member", "zoom company member"),
}
ACTIONS = ("add", "change", "delete", "view")


def rename_permissions(apps, schema_editor, backwards=False):
    permission = apps.get_model("auth", "Permission")
    for old, (new, old_label, new_label) in RENAMED.items():
        if backwards:
            old, new, old_label, new_label = new, old, new_label, old_label
        for action in ACTIONS:
            for granted in permission.objects.filter(
                content_type__app_label="zoom", codename=f"{action}_{old}"
            ):
                granted.codename = f"{action}_{new}"
                granted.name = granted.name.replace(old_label, new_label)
                granted.save(update_fields=["codename", "name"])


def rename_permissions_back(apps, schema_editor):
    rename_permissions(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("zoom", "0005_account_reconnect_reasons"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelTable(
            name="zoomaccountconnection", table="zoom_zoomaccountconnection"
        ),
        migrations.AlterModelTable(name="zoomaccountmember", table="zoom_zoomaccountmember"),
        migrations.RenameModel(old_name="ZoomAccountConnection", new_name="ZoomCompanyAccount"),
        migrations.RenameModel(old_name="ZoomAccountMember", new_name="ZoomCompanyMember"),
        migrations.AlterField(
            model_name="zoomcompanymember",
            name="rep",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="zoom_company_member",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(rename_permissions, rename_permissions_back),
    ]

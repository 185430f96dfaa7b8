"""Create the two roles as groups with their permissions."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "巡察办工作人员"
CLERK_GROUP = "医院填报员"

STAFF_PERMISSIONS = [
    ("tracking", "review_progress"),
    ("notices", "upload_notice"),
    ("notices", "reparse_notice"),
    ("notices", "view_notice"),
    ("notices", "change_notice"),
    ("tracking", "view_institution"),
    ("tracking", "change_institution"),
    ("tracking", "add_institution"),
    ("tracking", "view_institutionmember"),
    ("tracking", "add_institutionmember"),
    ("tracking", "change_institutionmember"),
    ("tracking", "view_inspection"),
    ("tracking", "change_inspection"),
    ("tracking", "view_issuecategory"),
    ("tracking", "view_feedbackissue"),
    ("tracking", "change_feedbackissue"),
    ("tracking", "view_issuestatement"),
    ("tracking", "view_measure"),
    ("tracking", "view_issuesection"),
    ("tracking", "view_issueaction"),
    ("tracking", "view_immediateitem"),
    ("tracking", "view_statuschange"),
]
CLERK_PERMISSIONS = [("notices", "upload_notice")]


def create_roles(apps, schema_editor):
    # Permissions are normally made after migrate; roles need them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ((STAFF_GROUP, STAFF_PERMISSIONS), (CLERK_GROUP, CLERK_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[STAFF_GROUP, CLERK_GROUP]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0001_initial"),
        ("notices", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]

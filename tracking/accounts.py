"""Hospital accounts made by 巡察办 staff: a clerk bound to one hospital, and a password reset for it.

Staff may create and reset only clerk accounts (医院填报员): never a staff or
superuser account, so this page cannot be used to take over a colleague's.
A reset password is generated, shown once to the staff member, and never stored
in clear.
"""
from __future__ import annotations

import secrets

from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .models import InstitutionMember
from .roles import CLERK_GROUP, clerk_institution_id, is_reviewer

_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(14))


def clerk_accounts():
    return (get_user_model().objects.filter(membership__isnull=False, is_superuser=False)
            .select_related("membership__institution").order_by("membership__institution__name_pinyin", "username"))


def clerk_create(*, created_by, username: str, institution, full_name: str = "", email: str = "",
                 password: str = "") -> tuple[object, str]:
    """Create a clerk bound to ``institution``; returns the user and the password to hand over."""
    if not is_reviewer(created_by):
        raise PermissionDenied("只有巡察办工作人员可以创建医院账号。")
    User = get_user_model()
    username = (username or "").strip()
    if not username:
        raise ValidationError("请填写用户名。", code="username_required")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"用户名「{username}」已被使用。", code="username_taken")
    password = password or generate_password()
    user = User(username=username, first_name=(full_name or "").strip()[:150], email=(email or "").strip())
    validate_password(password, user)
    with transaction.atomic(), set_actor(created_by):
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=CLERK_GROUP))
        InstitutionMember.objects.create(user=user, institution=institution)
    return user, password


def clerk_reset_password(*, reset_by, user) -> str:
    """A new random password for a clerk account; returns it to be shown once."""
    if not is_reviewer(reset_by):
        raise PermissionDenied("只有巡察办工作人员可以重置医院账号密码。")
    if user.is_superuser or is_reviewer(user) or clerk_institution_id(user) is None:
        raise PermissionDenied("只能重置医院填报员账号的密码。")
    password = generate_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    return password

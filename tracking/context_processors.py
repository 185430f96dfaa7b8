from .roles import can_upload, clerk_institution_id, is_reviewer


def roles(request):
    user = getattr(request, "user", None)
    return {
        "is_reviewer": is_reviewer(user),
        "is_clerk": clerk_institution_id(user) is not None,
        "can_upload": can_upload(user),
    }

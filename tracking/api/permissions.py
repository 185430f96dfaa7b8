from rest_framework.permissions import BasePermission

from ..roles import clerk_institution_id, is_reviewer


class CanViewProgress(BasePermission):
    """The pages' rule: staff, or a clerk bound to a hospital; querysets then narrow to what each may see."""

    message = "只有巡察办工作人员和医院填报员可以查看整改进展。"

    def has_permission(self, request, view):
        return is_reviewer(request.user) or clerk_institution_id(request.user) is not None


class IsReviewer(BasePermission):
    message = "只有巡察办工作人员可以核查问题。"

    def has_permission(self, request, view):
        return is_reviewer(request.user)

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from rectify_site.input_text import CleanCharField

from .. import accounts
from ..models import Institution
from .access import ReviewerRequiredMixin


class ClerkForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = CleanCharField(label="姓名", max_length=150, required=False)
    email = forms.EmailField(label="电子邮箱（接收每日提醒）", required=False,
                             error_messages={"invalid": "请输入有效的电子邮箱地址。"})
    institution = CleanCharField(label="所属单位（全称）", max_length=200)
    password = forms.CharField(label="初始密码（留空则自动生成）", required=False, widget=forms.PasswordInput)

    def clean_institution(self):
        name = self.cleaned_data["institution"].strip()
        found = Institution.objects.filter(name=name).first() or Institution.objects.filter(
            normalized_name=name).first()
        if found is None:
            raise ValidationError(f"系统中没有名为「{name}」的单位，请核对全称。")
        return found


class AccountsView(ReviewerRequiredMixin, TemplateView):
    """Staff create hospital clerk accounts bound to a hospital and reset their passwords."""

    template_name = "tracking/accounts.html"

    def get_context_data(self, **kwargs):
        page = Paginator(accounts.clerk_accounts(), 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, clerks=list(page.object_list),
                                        form=kwargs.pop("form", None) or ClerkForm(), **kwargs)

    def post(self, request):
        form = ClerkForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user, password = accounts.clerk_create(
                    created_by=request.user, username=data["username"], institution=data["institution"],
                    full_name=data["full_name"], email=data["email"], password=data["password"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                shown = "" if data["password"] else f"初始密码：{password}（只显示这一次，请转交本人并提醒其登录后修改）"
                messages.success(request, f"已创建医院填报员账号「{user.username}」，绑定「{data['institution'].name}」。{shown}")
                return redirect("tracking:accounts")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AccountPasswordView(ReviewerRequiredMixin, View):
    def post(self, request, pk):
        user = get_object_or_404(get_user_model(), pk=pk)
        password = accounts.clerk_reset_password(reset_by=request.user, user=user)
        messages.success(request, f"账号「{user.username}」的新密码：{password}（只显示这一次）")
        return redirect("tracking:accounts")

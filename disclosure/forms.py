"""Forms: the public comment form (with its honeypot) and the staff forms."""
import re

from django import forms

from rectify_site.input_text import CleanCharField

from .models import COMMENT_MAX_LENGTH, CONTACT_MAX_LENGTH, NAME_MAX_LENGTH
from .window import MAX_WORKING_DAYS

# A phone number (digits, spaces, dashes, brackets, +) or an e-mail address.
_CONTACT = re.compile(r"^(\+?[\d\s\-()（）]{5,30}|[^@\s]+@[^@\s]+\.[^@\s]+)$")
HONEYPOT_FIELD = "website"


class CommentForm(forms.Form):
    text = CleanCharField(
        label="意见建议", max_length=COMMENT_MAX_LENGTH, strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": COMMENT_MAX_LENGTH}),
        error_messages={"required": "请填写意见内容。",
                        "max_length": f"意见内容不能超过{COMMENT_MAX_LENGTH}字（当前%(show_value)d字）。"},
    )
    issue = forms.TypedChoiceField(label="针对的问题（可选）", required=False, coerce=int, empty_value=None,
                                   error_messages={"invalid_choice": "所选问题不属于这份通报。"})
    name = CleanCharField(label="姓名（可选）", required=False, max_length=NAME_MAX_LENGTH,
                           error_messages={"max_length": f"姓名不能超过{NAME_MAX_LENGTH}字。"})
    contact = CleanCharField(label="联系方式（可选，电话或电子邮箱）", required=False, max_length=CONTACT_MAX_LENGTH,
                              error_messages={"max_length": f"联系方式不能超过{CONTACT_MAX_LENGTH}字。"})
    # Hidden from people by CSS; a bot filling every field gives itself away.
    website = forms.CharField(label="请勿填写此项", required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, issue_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issue"].choices = [("", "（不针对具体问题）"), *issue_choices]

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text:
            raise forms.ValidationError("请填写意见内容。")
        return text

    def clean_contact(self):
        contact = self.cleaned_data["contact"].strip()
        if contact and not _CONTACT.match(contact):
            raise forms.ValidationError("联系方式请填写电话号码或电子邮箱。")
        return contact


class WindowForm(forms.Form):
    start = forms.DateField(label="公开开始日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            error_messages={"required": "请填写开始日期。", "invalid": "开始日期格式不正确。"})
    end = forms.DateField(label="公开结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          error_messages={"invalid": "结束日期格式不正确。"})
    working_days = forms.IntegerField(
        label="或：工作日数", required=False, min_value=1, max_value=MAX_WORKING_DAYS,
        error_messages={"min_value": "工作日数至少为1。", "max_value": f"工作日数不能超过{MAX_WORKING_DAYS}。",
                        "invalid": "工作日数应为整数。"},
    )
    reason = CleanCharField(label="说明（可选）", required=False, max_length=500,
                             widget=forms.TextInput())

    def clean(self):
        data = super().clean()
        end, days = data.get("end"), data.get("working_days")
        if self.errors:
            return data
        if end is None and days is None:
            raise forms.ValidationError("请填写结束日期或工作日数（二选一）。")
        if end is not None and days is not None:
            raise forms.ValidationError("结束日期和工作日数只能填写一项。")
        if end is not None and data.get("start") and end < data["start"]:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data


class ReasonForm(forms.Form):
    reason = CleanCharField(label="原因（可选）", required=False, max_length=500)


class HandleForm(forms.Form):
    reply_note = CleanCharField(
        label="处理说明", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写处理说明。", "max_length": "处理说明不能超过2000字。"},
    )

"""The upload form: several files at once; the institution is the clerk's own, staff choose it."""
from django import forms
from django.conf import settings

from tracking.models import Institution
from tracking.roles import is_reviewer

from .services import ACCEPTED_EXTENSIONS, notice_validate_upload, too_large_message


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        errors = []
        for f in cleaned:
            try:
                notice_validate_upload(filename=f.name, size=f.size)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class NoticeUploadForm(forms.Form):
    files = MultipleFileField(label="通报文件", required=False)
    institution = forms.ModelChoiceField(
        Institution.objects.all(), label="所属单位", required=False, empty_label="按通报内容自动识别",
    )

    def __init__(self, *args, user, oversized=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Files over the limit never reach request.FILES (the upload handler drops them while streaming).
        self.oversized = list(oversized)
        accept = ",".join(f".{ext}" for ext in ACCEPTED_EXTENSIONS)
        self.fields["files"].widget.attrs.update({"accept": accept, "multiple": True})
        self.max_bytes = settings.NOTICE_MAX_UPLOAD_BYTES
        self.max_mb = f"{self.max_bytes / 1048576:g}"
        if not is_reviewer(user):
            # A clerk's uploads always belong to their own hospital; the field is not offered.
            del self.fields["institution"]

    def clean(self):
        cleaned = super().clean()
        for name in self.oversized:
            self.add_error("files", too_large_message(name))
        if not self.oversized and not cleaned.get("files") and "files" not in self.errors:
            self.add_error("files", "请选择要上传的通报文件")
        return cleaned

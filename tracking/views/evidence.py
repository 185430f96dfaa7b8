from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View

from ..evidence import content_type
from ..models import Evidence
from .access import ProgressAccessMixin


class EvidenceDownloadView(ProgressAccessMixin, View):
    """An evidence file, only to staff and the hospital's own clerk; always as an attachment."""

    def get(self, request, pk):
        item = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
        try:
            handle = item.file.open("rb")
        except FileNotFoundError as error:
            raise Http404("文件不存在") from error
        response = FileResponse(handle, as_attachment=True, filename=item.original_name,
                                content_type=content_type(item.extension))
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

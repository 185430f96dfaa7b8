"""Typed failures of extraction and parsing.

A ``NoticeFileError`` means the file itself is bad: the message is Chinese,
shown to the uploader as is, and the job is not retried.
"""


class NoticeFileError(Exception):
    """The uploaded bytes cannot become notice text; ``str(exc)`` is the Chinese message."""

    def __init__(self, message: str, *, code: str = "bad_file"):
        super().__init__(message)
        self.message = message
        self.code = code

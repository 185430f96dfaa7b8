"""Public disclosure: comments the public sends during a notice's 公开期限."""

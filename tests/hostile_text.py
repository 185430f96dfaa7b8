"""Characters stored text must never carry, for the tests of input cleaning and exports."""

# Every C0 control but tab and newline — and but NUL, which PostgreSQL cannot store at all (input removes it).
C0 = "".join(chr(c) for c in range(1, 0x20) if chr(c) not in "\t\n")
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
BAD = set(C0 + "\x7f" + BIDI) - {"\r"}

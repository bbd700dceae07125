"""A long-lived child process holding a warm typst compiler, for `nsp watch`.

typst memoises its work inside one Compiler, so recompiling after a small edit
costs a fraction of a cold compile. Running it in a child keeps a typst crash
from taking nsp down. Protocol: one JSON request per line on stdin
({"output", "timestamp", "standards"}), one JSON reply per line on stdout
({"ok": true} or {"error": diagnostic}).

Usage: python -m nsp.render.typst_server SOURCE ROOT FONTS
"""

from __future__ import annotations

import json
import os
import signal
import sys


def main(argv: list[str]) -> int:
    # Ctrl-C at the terminal reaches the whole process group: stopping this child is nsp's job
    # (it closes it on the way out), and a traceback from here would only alarm the user.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    source, root, fonts = argv
    import typst

    compiler = typst.Compiler(source, root=root, font_paths=[fonts] if os.path.isdir(fonts) else [],
                              ignore_system_fonts=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            compiler.compile(output=request["output"], timestamp=request.get("timestamp"),
                             **({"pdf_standards": request["standards"]} if request.get("standards") else {}))
            reply: dict[str, object] = {"ok": True}
        except Exception as exc:  # typst's own compile errors
            reply = {"error": getattr(exc, "diagnostic", None) or str(exc).strip()}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

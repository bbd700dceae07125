"""The site's last guard before it replaces build/site: what links.problems refuses, and relative links."""

from __future__ import annotations

from pathlib import Path

from nsp.site.links import problems, relative


def page(body: str, css: str = "site.css") -> str:
    return f'<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="{css}"></head><body>{body}</body></html>'


def test_relative_links_work_from_any_folder() -> None:
    assert relative("index.html", "newsletters/index.html") == "newsletters/index.html"
    assert relative("releases/small-1.0/index.html", "site.css") == "../../site.css"
    assert relative("newsletters/2020-01.html", "newsletters/index.html") == "index.html"


def test_a_clean_site_has_no_problems(tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text("body { color: #111; }\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(page('<a href="a/index.html#x">a</a> <a href="#top" id="top">top</a> '
                                              '<a href="mailto:x@example.org">mail</a>'))
    (tmp_path / "a" / "index.html").write_text(page('<h1 id="x">A</h1><a href="../index.html">home</a>', "../site.css"))
    assert problems(tmp_path) == []


def test_what_is_refused(tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text("@font-face { src: url(https://fonts.example.org/f.woff2); }\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(page("<p>A folder</p>", "../site.css"))
    (tmp_path / "index.html").write_text(page(
        '<a href="a/">a folder, which file:// shows no index of</a><a href="#gone">gone</a>'
        '<a href="a/index.html#gone">gone too</a><a href="../outside.html">outside</a>'
        '<img src="//cdn.example.org/x.png" alt=""><a href="javascript:void(0)">js</a>'
        '<p onclick="x()">p</p><script>x()</script>'))
    assert problems(tmp_path) == [
        "index.html: the link a/ leads to no file of the site",
        "index.html: the link #gone leads to no place in its page",
        "index.html: the link a/index.html#gone leads to no place in its page",
        "index.html: the link ../outside.html leads to no file of the site",
        "index.html: a script (javascript:void(0))",
        "index.html: a script (onclick= on <p>)",
        "index.html: a script (<script>)",
        "index.html: //cdn.example.org/x.png would be fetched from the network",
        "site.css: a url() from the network",
    ]

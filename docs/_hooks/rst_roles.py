"""MkDocs hook: docstrings written before the site existed use Sphinx roles
(:func:`jaxvac.check`, :class:`ScanResult`); Markdown renders them as ":func:" followed by
code. Drop the role prefix so that only the code remains."""

import re

_ROLE = re.compile(r":(?:func|class|meth|attr|mod|data|exc|obj|ref):(?=<code>)")


def on_page_content(html, page, config, files):
    return _ROLE.sub("", html)

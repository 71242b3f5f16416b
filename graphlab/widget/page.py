"""The explorer's browser half on a page of its own, with a stand-in for the notebook's model.

The page holds the state the Python half would sync and plays it locally: the
graph draws, both passes step, nodes inspect. What would go back to Python (a
new rounding, an answer to check) is only recorded in ``window.sent``; the
model is ``window.model``. The browser tests and the README's screenshot use it.
"""

from __future__ import annotations

import json
from html import escape

from graphlab.widget.explorer import HERE, Explorer

SYNCED = ("graph", "position", "selected", "mode", "answers", "message")

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title><style>{css}</style></head>
<body style="background: white; margin: 12px"><div id="widget"></div>
<script type="module">
const state = {state};
const listeners = {{}};
window.sent = [];
window.model = {{
  get: (key) => state[key],
  set: (key, value) => {{ state[key] = value; (listeners["change:" + key] || []).forEach((f) => f()); }},
  on: (event, f) => (listeners[event] ||= []).push(f),
  save_changes: () => {{}},
  send: (content) => window.sent.push(content),
}};
const source = {source};
const module = await import(URL.createObjectURL(new Blob([source], {{type: "text/javascript"}})));
module.default.render({{model: window.model, el: document.getElementById("widget")}});
window.rendered = true;
</script></body></html>
"""


def standalone_page(widget: Explorer, **state: object) -> str:
    """An HTML page hosting ``widget``'s browser half with its current state (``state`` overrides it)."""
    synced = {name: getattr(widget, name) for name in SYNCED} | state
    return PAGE.format(title=escape(widget.graph["title"] or widget.graph["formula"] or "graphlab"),
                       css=(HERE / "explorer.css").read_text(encoding="utf-8"),
                       state=json.dumps(synced).replace("</", "<\\/"),
                       source=json.dumps((HERE / "explorer.js").read_text(encoding="utf-8")).replace("</", "<\\/"))

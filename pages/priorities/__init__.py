"""Priorities: the ranked districts, with the weights, the map, need against coverage and stability."""

from pages.page import Page
from pages.priorities import callbacks, layout

PAGE = Page(name="priorities", path="/priorities", title=layout.TITLE, nav="Priorities", draws_map=True,
            layout=layout.layout, register=callbacks.register)

"""Change: an indicator between two rounds, as a map and the largest drops."""

from pages.change import callbacks, layout
from pages.page import Page

PAGE = Page(name="change", path="/change", title=layout.TITLE, nav="Change", draws_map=True, layout=layout.layout,
            register=callbacks.register)

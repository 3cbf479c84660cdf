"""The overview: headline figures and the district map of any indicator, with its table."""

from pages.overview import callbacks, layout
from pages.page import Page

PAGE = Page(name="overview", path="/", title=layout.TITLE, nav="Overview", draws_map=True, layout=layout.layout,
            register=callbacks.register)

"""Services: availability by domain, tracer services, barriers, and district x service for a province."""

from pages.page import Page
from pages.services import callbacks, layout

PAGE = Page(name="services", path="/services", title=layout.TITLE, nav="Services", draws_map=False,
            layout=layout.layout, register=callbacks.register)

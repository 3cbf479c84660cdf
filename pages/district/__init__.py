"""The district profile: one district against its province and the standards, across rounds."""

from pages.district import callbacks, facilities_callbacks, layout
from pages.page import Page


def register(app, ctx) -> None:
    callbacks.register(app, ctx)
    facilities_callbacks.register(app, ctx)


PAGE = Page(name="district", path="/district", title=layout.TITLE, layout=layout.layout, register=register)

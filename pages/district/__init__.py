"""The district profile: one district against its province and the standards, across rounds."""

from pages.district import callbacks, layout
from pages.page import Page

PAGE = Page(name="district", path="/district", title=layout.TITLE, layout=layout.layout, register=callbacks.register)

"""Data: what the dataset is made of, the rejected rows and the methodology."""

from pages.data import callbacks, layout
from pages.page import Page

PAGE = Page(name="data", path="/data", title=layout.TITLE, nav="Data", draws_map=False, layout=layout.layout,
            register=callbacks.register)

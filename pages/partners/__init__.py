"""Partners: who is where, gaps and duplication, reached against targeted."""

from pages.page import Page
from pages.partners import callbacks, layout

PAGE = Page(name="partners", path="/partners", title=layout.TITLE, nav="Partners", draws_map=True, layout=layout.layout,
            register=callbacks.register)

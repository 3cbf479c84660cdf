"""The app's pages: one folder a page (see pages/page.py), the shared components and wiring beside them."""

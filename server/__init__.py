"""The Flask side of HealthGaps, beside the Dash pages: login and sessions, the data update pages, static files
and the geometry, security headers and the closed public view.

It sits below the pages: it may import context, exports, analysis, data and settings, never layouts, callbacks
or pages (the pages ask it who is logged in, not the other way round). Its HTML comes from the Jinja templates
in server/templates/, autoescaped.
"""

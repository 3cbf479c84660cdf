"""Page layouts (functions returning components) and the component ids."""
